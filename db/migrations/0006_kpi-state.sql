-- KPI state: distinct users as hourly sketches; one row per customer, rewritten only when it
-- changes, with the per-segment counts the KPIs read kept by triggers. Customer rollups are
-- converted, not recomputed, so transactions that retention already pruned still count.
CREATE TABLE `kpi_customer_segments` (
	`segment` text NOT NULL,
	`currency` text NOT NULL,
	`customers` integer NOT NULL,
	`revenue` real NOT NULL,
	PRIMARY KEY(`segment`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `kpi_user_sketches` (
	`hour` integer PRIMARY KEY NOT NULL,
	`registers` blob NOT NULL
);
--> statement-breakpoint
DROP TABLE `kpi_users`;--> statement-breakpoint
-- One watermark per event fold (each family reads only its own event types), from the shared one.
INSERT INTO `kpi_watermarks` (`name`, `seq`, `minute`, `updated_at`)
SELECT `f`.`value`, `k`.`seq`, 0, `k`.`updated_at` FROM `kpi_watermarks` `k`
JOIN json_each('["participation","usage","value","qualitative"]') `f` WHERE `k`.`name` = 'kpi';--> statement-breakpoint
-- Active users are counted from sketches now: the fold rebuilds them from the `user.active`
-- events still stored for the last 31 days, from its own watermark.
INSERT INTO `kpi_watermarks` (`name`, `seq`, `minute`, `updated_at`)
SELECT 'users', min(coalesce((SELECT min(`seq`) - 1 FROM `events` WHERE `received_at` >= `k`.`updated_at` - 2678400000), `k`.`seq`), `k`.`seq`), 0, `k`.`updated_at`
FROM `kpi_watermarks` `k` WHERE `k`.`name` = 'kpi';--> statement-breakpoint
ALTER TABLE `kpi_customers` RENAME TO `__old_kpi_customers`;--> statement-breakpoint
CREATE TABLE `kpi_customers` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`ch1` text NOT NULL,
	`ch1_day` integer NOT NULL,
	`ch2` text,
	`ch2_day` integer NOT NULL,
	`p1` text NOT NULL,
	`p1_day` integer NOT NULL,
	`p2` text,
	`p2_day` integer NOT NULL,
	`ecosystem` integer NOT NULL,
	`currencies` text NOT NULL,
	`direct_revenue` text NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `kpi_customers_insert` AFTER INSERT ON `kpi_customers` BEGIN
	INSERT INTO `kpi_customer_segments` (`segment`, `currency`, `customers`, `revenue`)
	SELECT CASE NEW.`ecosystem` WHEN 1 THEN 'ecosystem' ELSE 'direct' END, c.`value`, 1,
		coalesce(json_extract(NEW.`direct_revenue`, '$."' || c.`value` || '"'), 0)
	FROM json_each(NEW.`currencies`) c WHERE true
	ON CONFLICT DO UPDATE SET `customers` = `customers` + excluded.`customers`, `revenue` = `revenue` + excluded.`revenue`;
END;
--> statement-breakpoint
CREATE TRIGGER `kpi_customers_update` AFTER UPDATE ON `kpi_customers`
WHEN OLD.`ecosystem` != NEW.`ecosystem` OR OLD.`currencies` != NEW.`currencies`
	OR OLD.`direct_revenue` != NEW.`direct_revenue` BEGIN
	INSERT INTO `kpi_customer_segments` (`segment`, `currency`, `customers`, `revenue`)
	SELECT CASE OLD.`ecosystem` WHEN 1 THEN 'ecosystem' ELSE 'direct' END, c.`value`, -1,
		-coalesce(json_extract(OLD.`direct_revenue`, '$."' || c.`value` || '"'), 0)
	FROM json_each(OLD.`currencies`) c WHERE true
	ON CONFLICT DO UPDATE SET `customers` = `customers` + excluded.`customers`, `revenue` = `revenue` + excluded.`revenue`;
	INSERT INTO `kpi_customer_segments` (`segment`, `currency`, `customers`, `revenue`)
	SELECT CASE NEW.`ecosystem` WHEN 1 THEN 'ecosystem' ELSE 'direct' END, c.`value`, 1,
		coalesce(json_extract(NEW.`direct_revenue`, '$."' || c.`value` || '"'), 0)
	FROM json_each(NEW.`currencies`) c WHERE true
	ON CONFLICT DO UPDATE SET `customers` = `customers` + excluded.`customers`, `revenue` = `revenue` + excluded.`revenue`;
END;
--> statement-breakpoint
INSERT INTO `kpi_totals` (`metric`, `k1`, `k2`, `k3`, `value`)
SELECT 'customer_revenue', `currency`, '', '', sum(`revenue`) FROM `__old_kpi_customers` GROUP BY `currency`;--> statement-breakpoint
WITH `channels` AS (
	SELECT `customer_id`, `channel` AS `v`, (max(`last_seen`) / 86400000) * 86400000 AS `d`
	FROM `kpi_customer_routes` GROUP BY 1, 2
), `ranked_channels` AS (
	SELECT *, row_number() OVER (PARTITION BY `customer_id` ORDER BY `d` DESC, `v`) AS `r` FROM `channels`
), `partners` AS (
	SELECT `customer_id`, `participant_id` AS `v`, (max(`last_seen`) / 86400000) * 86400000 AS `d`
	FROM `kpi_customer_routes` GROUP BY 1, 2
), `ranked_partners` AS (
	SELECT *, row_number() OVER (PARTITION BY `customer_id` ORDER BY `d` DESC, `v`) AS `r` FROM `partners`
), `customers` AS (
	SELECT `customer_id`, max(`ecosystem`) AS `ecosystem`, json_group_array(`currency` ORDER BY `currency`) AS `currencies`,
		json_group_object(`currency`, `revenue`) AS `revenue`
	FROM `__old_kpi_customers` GROUP BY `customer_id`
)
INSERT INTO `kpi_customers`
SELECT c.`customer_id`, c1.`v`, c1.`d`, c2.`v`, coalesce(c2.`d`, 0), p1.`v`, p1.`d`, p2.`v`, coalesce(p2.`d`, 0),
	c.`ecosystem`, c.`currencies`, CASE c.`ecosystem` WHEN 1 THEN '{}' ELSE c.`revenue` END
FROM `customers` c
JOIN `ranked_channels` c1 ON c1.`customer_id` = c.`customer_id` AND c1.`r` = 1
LEFT JOIN `ranked_channels` c2 ON c2.`customer_id` = c.`customer_id` AND c2.`r` = 2
JOIN `ranked_partners` p1 ON p1.`customer_id` = c.`customer_id` AND p1.`r` = 1
LEFT JOIN `ranked_partners` p2 ON p2.`customer_id` = c.`customer_id` AND p2.`r` = 2;--> statement-breakpoint
DROP TABLE `__old_kpi_customers`;--> statement-breakpoint
DROP TABLE `kpi_customer_routes`;
--> statement-breakpoint
CREATE INDEX `kpi_feedback_participant` ON `kpi_feedback` (`participant_id`,`at`,`score`,`sentiment`);
