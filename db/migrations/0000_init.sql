CREATE TABLE `catalog_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`applied_at` integer NOT NULL,
	`source` text NOT NULL,
	`hash` text NOT NULL,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `datasets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`owner` text,
	`spec` text NOT NULL,
	`spec_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`retired_at` integer,
	`system_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `datasets_system` ON `datasets` (`system_id`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`owner` text,
	`spec` text NOT NULL,
	`spec_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`retired_at` integer,
	`source_system_id` text NOT NULL,
	`target_system_id` text NOT NULL,
	`kind` text NOT NULL,
	`tier` text NOT NULL,
	`channel` text
);
--> statement-breakpoint
CREATE INDEX `integrations_source` ON `integrations` (`source_system_id`);--> statement-breakpoint
CREATE INDEX `integrations_target` ON `integrations` (`target_system_id`);--> statement-breakpoint
CREATE INDEX `integrations_tier` ON `integrations` (`tier`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` real NOT NULL,
	`outcome` text NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `job_runs_started` ON `job_runs` (`started_at`);--> statement-breakpoint
CREATE INDEX `job_runs_job_started` ON `job_runs` (`job`,`started_at`);--> statement-breakpoint
CREATE TABLE `participants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`owner` text,
	`spec` text NOT NULL,
	`spec_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`retired_at` integer,
	`role` text NOT NULL,
	`country` text NOT NULL,
	`industry` text,
	`stage` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `participants_role_stage` ON `participants` (`role`,`stage`);--> statement-breakpoint
CREATE TABLE `systems` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`owner` text,
	`spec` text NOT NULL,
	`spec_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`retired_at` integer,
	`participant_id` text NOT NULL,
	`kind` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `systems_participant` ON `systems` (`participant_id`);--> statement-breakpoint
CREATE TABLE `value_model` (
	`id` integer PRIMARY KEY NOT NULL,
	`currency` text NOT NULL,
	`cost_per_manual_handoff` real NOT NULL,
	`savings_per_standard_integration` real NOT NULL,
	`yearly_ecosystem_cost` real NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`owner` text,
	`spec` text NOT NULL,
	`spec_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`retired_at` integer
);
