CREATE TABLE `kpi_call_days` (
	`integration_id` text NOT NULL,
	`day` integer NOT NULL,
	`calls` integer NOT NULL,
	`errors` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `kpi_call_days_day` ON `kpi_call_days` (`day`);--> statement-breakpoint
CREATE TABLE `kpi_channels` (
	`channel` text PRIMARY KEY NOT NULL,
	`first_revenue_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kpi_customer_routes` (
	`customer_id` text NOT NULL,
	`channel` text NOT NULL,
	`participant_id` text NOT NULL,
	`last_seen` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `channel`, `participant_id`)
);
--> statement-breakpoint
CREATE INDEX `kpi_customer_routes_last_seen` ON `kpi_customer_routes` (`last_seen`);--> statement-breakpoint
CREATE TABLE `kpi_customers` (
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`revenue` real NOT NULL,
	`transactions` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`ecosystem` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `kpi_days` (
	`metric` text NOT NULL,
	`day` integer NOT NULL,
	`k1` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`metric`, `day`, `k1`)
);
--> statement-breakpoint
CREATE TABLE `kpi_feedback` (
	`seq` integer PRIMARY KEY NOT NULL,
	`participant_id` text NOT NULL,
	`at` integer NOT NULL,
	`score` real NOT NULL,
	`sentiment` real,
	`scored` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `kpi_feedback_at` ON `kpi_feedback` (`at`);--> statement-breakpoint
CREATE INDEX `kpi_feedback_scored` ON `kpi_feedback` (`scored`);--> statement-breakpoint
CREATE TABLE `kpi_participant_activity` (
	`participant_id` text PRIMARY KEY NOT NULL,
	`last_event_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kpi_snapshots` (
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`at` integer NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`name`, `at`, `labels`)
);
--> statement-breakpoint
CREATE INDEX `kpi_snapshots_at` ON `kpi_snapshots` (`at`);--> statement-breakpoint
CREATE TABLE `kpi_stages` (
	`participant_id` text NOT NULL,
	`stage` text NOT NULL,
	`first_at` integer NOT NULL,
	PRIMARY KEY(`participant_id`, `stage`)
);
--> statement-breakpoint
CREATE TABLE `kpi_tickets` (
	`ticket` text PRIMARY KEY NOT NULL,
	`integration_id` text NOT NULL,
	`opened_at` integer,
	`closed_at` integer
);
--> statement-breakpoint
CREATE INDEX `kpi_tickets_open` ON `kpi_tickets` (`closed_at`);--> statement-breakpoint
CREATE TABLE `kpi_totals` (
	`metric` text NOT NULL,
	`k1` text NOT NULL,
	`k2` text NOT NULL,
	`k3` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`metric`, `k1`, `k2`, `k3`)
);
--> statement-breakpoint
CREATE TABLE `kpi_transaction_days` (
	`day` integer NOT NULL,
	`integration_id` text NOT NULL,
	`currency` text NOT NULL,
	`count` integer NOT NULL,
	`amount` real NOT NULL,
	PRIMARY KEY(`day`, `integration_id`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `kpi_users` (
	`user_id` text PRIMARY KEY NOT NULL,
	`last_seen` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `kpi_users_last_seen` ON `kpi_users` (`last_seen`);--> statement-breakpoint
CREATE TABLE `kpi_watermarks` (
	`name` text PRIMARY KEY NOT NULL,
	`seq` integer DEFAULT 0 NOT NULL,
	`minute` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
