CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`body` text NOT NULL,
	`pinned` integer DEFAULT false,
	`owner_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`modified_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`deleted_at` text,
	`created_by` text,
	`modified_by` text,
	`deleted_by` text
);
--> statement-breakpoint
CREATE INDEX `notes_owner_id_created_at_desc_id_idx` ON `notes` (`owner_id`,"created_at" desc,`id`) WHERE "notes"."deleted_at" is null;
--> statement-breakpoint
CREATE TABLE `ticket_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`body` text NOT NULL,
	`organization_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`modified_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`deleted_at` text,
	`created_by` text,
	`modified_by` text,
	`deleted_by` text,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ticket_comments_organization_id_created_at_desc_id_idx` ON `ticket_comments` (`organization_id`,"created_at" desc,`id`) WHERE "ticket_comments"."deleted_at" is null;
--> statement-breakpoint
CREATE INDEX `ticket_comments_organization_id_created_at_id_idx` ON `ticket_comments` (`organization_id`,`created_at`,`id`) WHERE "ticket_comments"."deleted_at" is null;
--> statement-breakpoint
CREATE INDEX `ticket_comments_ticket_id_idx` ON `ticket_comments` (`ticket_id`);
--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`estimate` integer,
	`done` integer DEFAULT false,
	`due_at` text,
	`assignee_id` text,
	`customer_email` text,
	`organization_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`modified_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`deleted_at` text,
	`created_by` text,
	`modified_by` text,
	`deleted_by` text
);
--> statement-breakpoint
CREATE INDEX `tickets_organization_id_created_at_desc_id_idx` ON `tickets` (`organization_id`,"created_at" desc,`id`) WHERE "tickets"."deleted_at" is null;
--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` integer,
	`headers` text,
	`body` text,
	`locked_until` real NOT NULL,
	`expires_at` real NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_expires_idx` ON `idempotency_keys` (`expires_at`);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_user_id_expires_idx` ON `idempotency_keys` (`user_id`,`expires_at`);
