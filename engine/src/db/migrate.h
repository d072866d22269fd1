/*
 * migrate.h — applying a blueprint database's declared migrations and recording them
 * (`vigil migrate`, vigil_migrate_file).
 *
 * The history table (schema.migration_table, default VG_MIGRATION_TABLE_DEFAULT), in the
 * connection's default namespace, created through the driver's own DDL when absent:
 *   version      bigint        primary key: the migration's version
 *   description  varchar(255)  nullable: its description as written, no ${VAR} expanded
 *                              (cut to 255 characters)
 *   checksum     char(64)      not null: vg_migration_checksum, lower-case hex
 *   applied_at   datetime      not null: the server's CURRENT_TIMESTAMP (PostgreSQL, MySQL);
 *                              on SQLite ISO 8601 UTC text, "2024-05-01T12:00:00Z"
 *
 * THE CHECKSUM is the SHA-256 of the migration's `up` text AS WRITTEN in the blueprint: the
 * YAML scalar's value (quotes and escapes resolved, block-scalar indentation removed, as
 * libyaml yields it) BEFORE `${VAR}` expansion — vg_scalar(m->up_node), its bytes up to the
 * NUL. The schema check plugin recomputes it the same way from host->config_get, so the two
 * must never diverge: `printf '%s' "$up" | sha256sum` of the same text gives it too. What
 * runs is the expanded text (m->up).
 *
 * One database, in version order, each declared migration not in the history:
 *  - transactional DDL (the driver's transactional_ddl: PostgreSQL, SQLite): BEGIN; each
 *    statement of `up`; INSERT the history row; COMMIT. A failure rolls that migration back
 *    (nothing of it remains) and stops the database.
 *  - otherwise (MySQL/MariaDB commit DDL implicitly): the statements one by one, then the
 *    row. A failure stops the database; the event names the statement (1-based, of how
 *    many) and says that the statements before it were applied and stay.
 * Checksums are compared first: an applied migration whose text changed since is reported
 * as VIGIL_MIGRATE_CHANGED and never re-run, and then nothing more runs on that database
 * (its history no longer matches the blueprint); the pending ones are VIGIL_MIGRATE_NOT_RUN.
 * History rows of versions the blueprint no longer declares are left alone.
 *
 * SQLite: the driver never creates a missing file; migrate creates it (empty) first, except
 * in a dry run, where a missing file means every migration is pending.
 *
 * Every message is scrubbed of the URL and the password (db.c).
 */
#ifndef VG_MIGRATE_H
#define VG_MIGRATE_H

#include "vigil/vigil.h"

#include "blueprint.h"
#include "plugin_loader.h"

/** The checksum of a migration (see above) into `out` (64 hex digits and a NUL). A
 *  migration without an `up` scalar gets the checksum of the empty text. */
void vg_migration_checksum(const vg_migration *m, char out[65]);

/**
 * Migrates one database: opens it through its driver plugin (loaded from `plugins` by
 * name), creates the history table if absent, applies what is pending (see above), calling
 * `fn` once per declared migration (and once with has_migration 0 when the database itself
 * fails: no driver, unreachable, history table unreadable). `flags`: VIGIL_MIGRATE_DRY_RUN.
 * Returns VIGIL_OK when nothing failed or changed; VIGIL_EMIGRATION when a migration failed
 * or changed or the database could not be reached; VIGIL_EPLUGIN when its driver plugin
 * cannot be loaded; VIGIL_ENOMEM. `first_problem` (may be NULL, `size` bytes) gets a
 * one-line summary of the first failure. `deadline_ms` (the check timeout) bounds each
 * statement and lock wait on the server (vg_db_set_deadline).
 */
int vg_migrate_database(vg_plugins *plugins, const vg_database *database, unsigned deadline_ms,
                        unsigned flags, vigil_migrate_event_fn fn, void *payload,
                        char *first_problem, size_t size);

#endif
