CREATE TABLE `integration_status` (
	`integration_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`since` integer NOT NULL,
	`consecutive_failures` integer NOT NULL,
	`consecutive_successes` integer NOT NULL,
	`consecutive_slow` integer NOT NULL,
	`last_result_at` integer,
	`last_success_at` integer,
	`last_failure_class` text
);
--> statement-breakpoint
CREATE TABLE `notification_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`channel_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`delivered_at` integer,
	`abandoned_at` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_outbox_key` ON `notification_outbox` (`key`);--> statement-breakpoint
CREATE INDEX `notification_outbox_due` ON `notification_outbox` (`delivered_at`,`abandoned_at`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notification_outbox_created` ON `notification_outbox` (`created_at`);--> statement-breakpoint
CREATE TABLE `probe_results` (
	`id` integer PRIMARY KEY NOT NULL,
	`integration_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` real NOT NULL,
	`success` integer NOT NULL,
	`failure_class` text,
	`reason` text,
	`status_code` integer,
	`tls_expires_at` integer,
	`phases` text
);
--> statement-breakpoint
CREATE INDEX `probe_results_integration_started` ON `probe_results` (`integration_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `probe_results_started` ON `probe_results` (`started_at`);--> statement-breakpoint
CREATE TABLE `probe_rollups` (
	`resolution` text NOT NULL,
	`integration_id` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`runs` integer NOT NULL,
	`successes` integer NOT NULL,
	`failures_timeout` integer NOT NULL,
	`failures_dns` integer NOT NULL,
	`failures_connect_refused` integer NOT NULL,
	`failures_connect_reset` integer NOT NULL,
	`failures_tls` integer NOT NULL,
	`failures_status` integer NOT NULL,
	`failures_condition` integer NOT NULL,
	`failures_body_too_large` integer NOT NULL,
	`failures_other` integer NOT NULL,
	`duration_sum_ms` real NOT NULL,
	`duration_buckets` text NOT NULL,
	PRIMARY KEY(`resolution`, `integration_id`, `bucket_start`)
);
--> statement-breakpoint
CREATE INDEX `probe_rollups_resolution_bucket` ON `probe_rollups` (`resolution`,`bucket_start`);--> statement-breakpoint
CREATE TABLE `status_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`integration_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `status_events_integration_at` ON `status_events` (`integration_id`,`at`);--> statement-breakpoint
CREATE INDEX `status_events_at` ON `status_events` (`at`);