/*
 * migrations.c — components.migrations: each database's migrations have versions that are
 * present, unique and increasing in the order listed (VG227), and `up` SQL (VG228).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "components.h"

static int blank(const char *s)
{
	while (s && isspace((unsigned char)*s))
		s++;
	return !s || !*s;
}

static void check_database(vigil_check_ctx *ctx, const vg_database *db)
{
	const vg_migration *latest = NULL; /* the highest version so far */
	for (size_t i = 0; i < db->migration_count; i++) {
		const vg_migration *m = &db->migrations[i];
		if (!m->has_version && !m->version_node) {
			vigil_finding *f = vg_emit(ctx, VG_MIGRATION_ORDER, m->node,
			                           "migration %zu of database '%s' has no version", i + 1,
			                           db->name);
			vg_object(f, db->name, NULL);
			vg_hint(f, "give it `version:` with an integer greater than the migration before it");
		} else if (!m->has_version) {
			/* Text versions ("001", the pipeline's V5EnhancedStore form) order by value. */
			const char *written = vg_scalar(m->version_node);
			vigil_finding *f = vg_emit(
			        ctx, VG_MIGRATION_ORDER, m->version_node,
			        "migration %zu of database '%s' has version `%s`, which is not a whole number",
			        i + 1, db->name, written ? written : "?");
			vg_object(f, db->name, NULL);
			vg_hint(f,
			        "give it an integer version (\"001\" and 1 are the same), greater than the migration before it");
		} else {
			const vg_migration *twin = NULL;
			for (size_t j = 0; j < i && !twin; j++)
				if (db->migrations[j].has_version && db->migrations[j].version == m->version)
					twin = &db->migrations[j];
			const vg_node *at = m->version_node ? m->version_node : m->node;
			if (twin) {
				vigil_finding *f = vg_emit(ctx, VG_MIGRATION_ORDER, at,
				                           "migration version %lld of database '%s' is repeated",
				                           m->version, db->name);
				vg_object(f, db->name, NULL);
				const vg_node *first = twin->version_node ? twin->version_node : twin->node;
				if (first)
					vg_detail(f, "the first migration with version %lld is at line %u", twin->version,
					          first->line);
				vg_hint(f, "give each migration its own version");
			} else if (latest && m->version < latest->version) {
				vigil_finding *f = vg_emit(ctx, VG_MIGRATION_ORDER, at,
				                           "migration version %lld of database '%s' comes after version %lld",
				                           m->version, db->name, latest->version);
				vg_object(f, db->name, NULL);
				char expected[40], actual[40];
				snprintf(expected, sizeof expected, "> %lld", latest->version);
				snprintf(actual, sizeof actual, "%lld", m->version);
				vg_evidence(f, expected, actual);
				vg_hint(f, "list migrations in increasing version order: they run in that order");
			}
			if (!latest || m->version > latest->version)
				latest = m;
		}
		if (blank(m->up)) {
			vigil_finding *f = vg_emit(ctx, VG_MIGRATION_EMPTY, m->up_node ? m->up_node : m->node,
			                           "migration %s%lld of database '%s' has no `up` SQL",
			                           m->has_version ? "" : "#", m->has_version ? m->version : (long long)(i + 1),
			                           db->name);
			vg_object(f, db->name, NULL);
			vg_hint(f, "add `up:` (or `sql:`) with the SQL that applies the migration");
		}
	}
}

int vgc_check_migrations(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	for (size_t d = 0; d < bp->database_count; d++)
		check_database(ctx, &bp->databases[d]);
	return 0;
}
