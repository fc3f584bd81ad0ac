-- The value fold rewrites a customer's row on each later purchase. As a WITHOUT ROWID table the
-- row lives in the primary key's b-tree itself: one lookup and one write per upsert instead of
-- an index lookup plus a table lookup. Days are stored as UTC day numbers (days since
-- 1970-01-01, two bytes) instead of Unix ms (six): a fifth fewer pages for every fold commit to
-- write. Dropping the old table drops its triggers; they are created again, unchanged.
CREATE TABLE `__new_kpi_customers` (
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
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_kpi_customers` SELECT `customer_id`, `ch1`, `ch1_day` / 86400000, `ch2`, `ch2_day` / 86400000, `p1`, `p1_day` / 86400000, `p2`, `p2_day` / 86400000, `ecosystem`, `currencies`, `direct_revenue` FROM `kpi_customers` ORDER BY `customer_id`;--> statement-breakpoint
DROP TABLE `kpi_customers`;--> statement-breakpoint
ALTER TABLE `__new_kpi_customers` RENAME TO `kpi_customers`;--> statement-breakpoint
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
