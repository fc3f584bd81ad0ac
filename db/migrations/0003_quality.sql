CREATE TABLE `dataset_schemas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dataset_id` text NOT NULL,
	`observed_at` integer NOT NULL,
	`columns` text NOT NULL,
	`changes` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dataset_schemas_dataset_observed` ON `dataset_schemas` (`dataset_id`,`observed_at`);--> statement-breakpoint
CREATE TABLE `quality_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dataset_id` text NOT NULL,
	`check_name` text NOT NULL,
	`check_type` text NOT NULL,
	`run_at` integer NOT NULL,
	`duration_ms` real NOT NULL,
	`outcome` text NOT NULL,
	`value` real,
	`unit` text NOT NULL,
	`threshold` text NOT NULL,
	`message` text NOT NULL,
	`rows` integer,
	`observed` real,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `quality_results_dataset_check_run` ON `quality_results` (`dataset_id`,`check_name`,`run_at`);--> statement-breakpoint
CREATE INDEX `quality_results_run` ON `quality_results` (`run_at`);