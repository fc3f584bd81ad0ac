CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`participant_id` text,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash` ON `api_tokens` (`hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_name` ON `api_tokens` (`name`);--> statement-breakpoint
CREATE TABLE `discovered_edges` (
	`id` text PRIMARY KEY NOT NULL,
	`caller_service` text NOT NULL,
	`callee_service` text NOT NULL,
	`caller_system_id` text,
	`callee_system_id` text,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`calls` integer NOT NULL,
	`errors` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`integration_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discovered_edges_pair` ON `discovered_edges` (`caller_service`,`callee_service`);--> statement-breakpoint
CREATE INDEX `discovered_edges_last_seen` ON `discovered_edges` (`last_seen`);--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`time` integer NOT NULL,
	`received_at` integer NOT NULL,
	`source` text,
	`participant_id` text,
	`integration_id` text,
	`channel` text,
	`customer_id` text,
	`user_id` text,
	`amount` real,
	`currency` text,
	`unattributed` text,
	`hash` text NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_id` ON `events` (`id`);--> statement-breakpoint
CREATE INDEX `events_type_time` ON `events` (`type`,`time`);--> statement-breakpoint
CREATE INDEX `events_received` ON `events` (`received_at`);--> statement-breakpoint
CREATE TABLE `request_minutes` (
	`integration_id` text NOT NULL,
	`minute` integer NOT NULL,
	`success` integer NOT NULL,
	`client_error` integer NOT NULL,
	`server_error` integer NOT NULL,
	`error` integer NOT NULL,
	`duration_sum_seconds` real NOT NULL,
	`duration_buckets` text NOT NULL,
	PRIMARY KEY(`integration_id`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `request_minutes_minute` ON `request_minutes` (`minute`);--> statement-breakpoint
CREATE TABLE `workflow_minutes` (
	`workflow_id` text NOT NULL,
	`minute` integer NOT NULL,
	`started` integer NOT NULL,
	`completed` integer NOT NULL,
	`failed` integer NOT NULL,
	`abandoned` integer NOT NULL,
	`duration_sum_seconds` real NOT NULL,
	`duration_buckets` text NOT NULL,
	PRIMARY KEY(`workflow_id`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `workflow_minutes_minute` ON `workflow_minutes` (`minute`);--> statement-breakpoint
ALTER TABLE `integrations` ADD `origin` text DEFAULT 'file' NOT NULL;