-- Tables for workflows/bitrix24-dictionaries-to-mysql.json (MySQL 5.7+/8, MariaDB 10.3+; utf8mb4, InnoDB).
--
-- What the workflow relies on:
--   * `btxid` holds the Bitrix24 ID and has a UNIQUE key: the upsert is INSERT … ON DUPLICATE KEY UPDATE on it.
--   * `id` is the local key other tables point to; children keep the parent's Bitrix24 ID (`city_btxid`) and the
--     workflow looks the local id (`city_id`) up from it after writing, so parents and children can arrive in
--     any order within a run.
--   * `deleted_at` is set when a record is gone from Bitrix24 (see the Config node) and cleared when it returns.
--   * `updated_at` changes only when a row really changes: the workflow never rewrites unchanged rows.
--   * Strict SQL mode (the default) makes a too-long value fail instead of being cut; the workflow then reports
--     that one record and writes the others.
-- Columns you add for other applications are left alone as long as the field map does not name them
-- (user.tg_id and user.secret_key are protected in the Config node as well).

CREATE TABLE IF NOT EXISTS `city` (
	`id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
	`btxid` INT UNSIGNED NOT NULL,
	`name` VARCHAR(255) NULL,
	`deleted_at` DATETIME NULL,
	`created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	`updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
	PRIMARY KEY (`id`),
	UNIQUE KEY `uq_city_btxid` (`btxid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `violation_category` (
	`id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
	`btxid` INT UNSIGNED NOT NULL,
	`name` VARCHAR(255) NULL,
	`sort` INT NULL,
	`deleted_at` DATETIME NULL,
	`created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	`updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
	PRIMARY KEY (`id`),
	UNIQUE KEY `uq_violation_category_btxid` (`btxid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `object` (
	`id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
	`btxid` INT UNSIGNED NOT NULL,
	`name` VARCHAR(255) NULL,
	`address` VARCHAR(255) NULL,
	`city_btxid` INT UNSIGNED NULL,
	`city_id` INT UNSIGNED NULL,
	`deleted_at` DATETIME NULL,
	`created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	`updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
	PRIMARY KEY (`id`),
	UNIQUE KEY `uq_object_btxid` (`btxid`),
	KEY `ix_object_city_btxid` (`city_btxid`),
	CONSTRAINT `fk_object_city` FOREIGN KEY (`city_id`) REFERENCES `city` (`id`) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `violation` (
	`id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
	`btxid` INT UNSIGNED NOT NULL,
	`name` VARCHAR(255) NULL,
	`category_btxid` INT UNSIGNED NULL,
	`category_id` INT UNSIGNED NULL,
	`deleted_at` DATETIME NULL,
	`created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	`updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
	PRIMARY KEY (`id`),
	UNIQUE KEY `uq_violation_btxid` (`btxid`),
	KEY `ix_violation_category_btxid` (`category_btxid`),
	CONSTRAINT `fk_violation_category` FOREIGN KEY (`category_id`) REFERENCES `violation_category` (`id`) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `user` (
	`id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
	`btxid` INT UNSIGNED NOT NULL,
	`first_name` VARCHAR(100) NULL,
	`last_name` VARCHAR(100) NULL,
	`email` VARCHAR(255) NULL,
	`active` TINYINT(1) NULL,
	-- filled by other applications; the workflow never writes them
	`tg_id` VARCHAR(64) NULL,
	`secret_key` VARCHAR(128) NULL,
	`deleted_at` DATETIME NULL,
	`created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	`updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
	PRIMARY KEY (`id`),
	UNIQUE KEY `uq_user_btxid` (`btxid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
