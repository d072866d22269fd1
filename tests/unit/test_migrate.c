/*
 * Unit tests of vigil_migrate_file (engine/src/migrate_file.c) on SQLite through the public API:
 * the events (order, fields, outcomes), the return codes, the checksum definition (SHA-256
 * of `up` as written, before ${VAR} expansion), a dry run, a failing statement, a changed
 * migration, a long description, an unknown database and a blueprint with level-2 errors.
 * (PostgreSQL and MariaDB: tests/migrate.sh.)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vigil/vigil.h"

#include "sha256.h"

#include "check.h"

#define MAX_EVENTS 16

typedef struct seen_event {
	char database[64];
	int has_migration;
	long long migration;
	char description[300];
	vigil_migrate_outcome outcome;
	char message[1024];
	char checksum[65];
	char recorded[65];
	size_t statement, statement_count;
	int partially_applied;
} seen_event;

typedef struct seen {
	seen_event events[MAX_EVENTS];
	size_t count;
} seen;

static void copy(char *to, size_t size, const char *from)
{
	snprintf(to, size, "%s", from ? from : "");
}

static void on_event(const vigil_migrate_event *ev, void *payload)
{
	seen *s = payload;
	CHECK_INT(ev->version, VIGIL_MIGRATE_EVENT_VERSION);
	if (s->count == MAX_EVENTS)
		return;
	seen_event *e = &s->events[s->count++];
	copy(e->database, sizeof e->database, ev->database);
	e->has_migration = ev->has_migration;
	e->migration = ev->migration;
	copy(e->description, sizeof e->description, ev->description);
	e->outcome = ev->outcome;
	copy(e->message, sizeof e->message, ev->message);
	copy(e->checksum, sizeof e->checksum, ev->checksum);
	copy(e->recorded, sizeof e->recorded, ev->recorded_checksum);
	e->statement = ev->statement;
	e->statement_count = ev->statement_count;
	e->partially_applied = ev->partially_applied;
}

static char dir[64];
static char blueprint[128];

/* A blueprint whose database `main` (SQLite, file m.db beside it) has these migrations:
 * `migrations` is the YAML of the list's items, indented for it. */
static void write_blueprint(const char *migrations)
{
	FILE *f = fopen(blueprint, "w");
	if (!CHECK(f != NULL))
		return;
	fprintf(f,
	        "schema_version: \"1.0.0\"\n"
	        "system:\n"
	        "  name: migrate_unit\n"
	        "  version: 1.0.0\n"
	        "  components:\n"
	        "    - {name: writer, type: Source, outputs: [{name: out, schema: Rec}]}\n"
	        "    - name: store\n"
	        "      type: Store\n"
	        "      config: {database: main, table: t1}\n"
	        "      inputs: [{name: input, schema: Rec}]\n"
	        "  bindings:\n"
	        "    - {from: writer.out, to: store.input}\n"
	        "  databases:\n"
	        "    main:\n"
	        "      type: sqlite\n"
	        "      url: sqlite:///m.db\n"
	        "      schema:\n"
	        "        tables:\n"
	        "          - name: t1\n"
	        "            columns: [{name: id, type: integer, primary_key: true}]\n"
	        "        migrations:\n"
	        "%s"
	        "schemas:\n"
	        "  Rec: {type: object, properties: {id: {type: integer}}}\n",
	        migrations);
	fclose(f);
}

static int migrate(vigil_engine *engine, const char *database, unsigned flags, seen *s,
                   vigil_diag *diag, vigil_report **validation)
{
	memset(s, 0, sizeof *s);
	memset(diag, 0, sizeof *diag);
	return vigil_migrate_file(validation, engine, blueprint, database, flags, on_event, s,
	                          diag);
}

static const char *sha(const char *text, char out[65])
{
	vg_sha256_hex(text, strlen(text), out);
	return out;
}

static int file_exists(const char *name)
{
	char path[256];
	struct stat info;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &info) == 0;
}

/* One value from the test database, through the sqlite3 shell (in .ci/setup's packages). */
static const char *query(const char *sql)
{
	static char line[256];
	char command[512];
	snprintf(command, sizeof command, "sqlite3 '%s/m.db' '%s'", dir, sql);
	FILE *p = popen(command, "r");
	line[0] = '\0';
	if (p) {
		if (!fgets(line, sizeof line, p))
			line[0] = '\0';
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

#define M1 "          - {version: 1, description: one, up: 'CREATE TABLE t1 (id integer PRIMARY KEY)'}\n"
#define M2 "          - {version: 2, up: \"CREATE TABLE ${MIGRATE_UNIT_T2} (id integer); INSERT INTO t2 VALUES (1)\"}\n"
#define M3_BAD "          - {version: 3, description: bad, up: 'CREATE TABLE t3 (id integer); INSERT INTO nope VALUES (1); SELECT 1'}\n"
#define M3_OK "          - {version: 3, description: good, up: 'CREATE TABLE t3 (id integer)'}\n"

static void test_story(vigil_engine *engine)
{
	seen s;
	vigil_diag diag;
	vigil_report *validation = NULL;
	char hex[65];

	/* Dry run on nothing: pending, no file made. */
	write_blueprint(M1 M2);
	int rc = migrate(engine, NULL, VIGIL_MIGRATE_DRY_RUN, &s, &diag, &validation);
	CHECK_MSG(rc == VIGIL_OK, "rc %d: %s", rc, diag.message);
	CHECK(validation != NULL); /* the levels 1-2 report, whatever the verdict */
	vigil_report_free(validation);
	validation = NULL;
	CHECK_INT(s.count, 2);
	CHECK_INT(s.events[0].outcome, VIGIL_MIGRATE_PENDING);
	CHECK_INT(s.events[0].migration, 1);
	CHECK_STR(s.events[0].description, "one");
	CHECK_STR(s.events[0].database, "main");
	CHECK_INT(s.events[1].outcome, VIGIL_MIGRATE_PENDING);
	CHECK_INT(s.events[1].statement_count, 2);
	CHECK(!file_exists("m.db"));

	/* Apply both. The checksum of 2 is of the text with ${MIGRATE_UNIT_T2} unexpanded. */
	rc = migrate(engine, NULL, 0, &s, &diag, NULL);
	CHECK_MSG(rc == VIGIL_OK, "rc %d: %s", rc, diag.message);
	CHECK_INT(s.count, 2);
	CHECK_INT(s.events[0].outcome, VIGIL_MIGRATE_APPLIED);
	CHECK_INT(s.events[1].outcome, VIGIL_MIGRATE_APPLIED);
	CHECK_STR(s.events[0].checksum, sha("CREATE TABLE t1 (id integer PRIMARY KEY)", hex));
	CHECK_STR(s.events[1].checksum,
	          sha("CREATE TABLE ${MIGRATE_UNIT_T2} (id integer); INSERT INTO t2 VALUES (1)", hex));
	CHECK(s.events[1].description[0] == '\0');
	CHECK(file_exists("m.db"));

	/* Again: skipped. */
	rc = migrate(engine, "main", 0, &s, &diag, NULL);
	CHECK_INT(rc, VIGIL_OK);
	CHECK_INT(s.count, 2);
	CHECK_INT(s.events[0].outcome, VIGIL_MIGRATE_SKIPPED);
	CHECK_INT(s.events[1].outcome, VIGIL_MIGRATE_SKIPPED);

	/* A failing third migration: statement 2 of 3, rolled back, diag has it. */
	write_blueprint(M1 M2 M3_BAD);
	rc = migrate(engine, NULL, 0, &s, &diag, NULL);
	CHECK_INT(rc, VIGIL_EMIGRATION);
	CHECK_INT(s.count, 3);
	CHECK_INT(s.events[2].outcome, VIGIL_MIGRATE_FAILED);
	CHECK_INT(s.events[2].statement, 2);
	CHECK_INT(s.events[2].statement_count, 3);
	CHECK(!s.events[2].partially_applied);
	CHECK_MSG(contains(s.events[2].message, "statement 2 of 3") &&
	                  contains(s.events[2].message, "rolled back"),
	          "%s", s.events[2].message);
	CHECK_MSG(contains(diag.message, "migration 3 (bad)"), "%s", diag.message);
	CHECK_INT(diag.code, VIGIL_EMIGRATION);
	CHECK_STR(vigil_strerror(VIGIL_EMIGRATION),
	          "a migration failed or changed since it was applied");

	/* The fixed third one applies; a long description is cut to 255 characters. */
	char m3[1200];
	char description[301];
	memset(description, 'd', 300);
	description[300] = '\0';
	snprintf(m3, sizeof m3, "          - {version: 3, description: %s, up: 'CREATE TABLE t3 (id integer)'}\n",
	         description);
	char all[2000];
	snprintf(all, sizeof all, "%s%s%s", M1, M2, m3);
	write_blueprint(all);
	rc = migrate(engine, NULL, 0, &s, &diag, NULL);
	CHECK_MSG(rc == VIGIL_OK, "rc %d: %s", rc, diag.message);
	CHECK_INT(s.count, 3);
	CHECK_INT(s.events[2].outcome, VIGIL_MIGRATE_APPLIED);
	CHECK_STR(query("SELECT length(description) FROM vigil_schema_migrations WHERE version = 3"),
	          "255");
	CHECK_STR(query("SELECT count(*) FROM vigil_schema_migrations WHERE description IS NULL"),
	          "1"); /* migration 2 has none */

	/* Migration 1 changed: CHANGED with both checksums, nothing else runs. */
	write_blueprint("          - {version: 1, description: one, up: 'CREATE TABLE t1 (id bigint PRIMARY KEY)'}\n" M2 M3_OK
	                "          - {version: 4, up: 'CREATE TABLE t4 (id integer)'}\n");
	rc = migrate(engine, NULL, 0, &s, &diag, NULL);
	CHECK_INT(rc, VIGIL_EMIGRATION);
	CHECK_INT(s.count, 4);
	CHECK_INT(s.events[0].outcome, VIGIL_MIGRATE_CHANGED);
	CHECK_STR(s.events[0].recorded, sha("CREATE TABLE t1 (id integer PRIMARY KEY)", hex));
	CHECK_STR(s.events[0].checksum, sha("CREATE TABLE t1 (id bigint PRIMARY KEY)", hex));
	CHECK_INT(s.events[1].outcome, VIGIL_MIGRATE_SKIPPED);
	CHECK_INT(s.events[2].outcome, VIGIL_MIGRATE_SKIPPED); /* a description is not checksummed */
	CHECK_INT(s.events[3].outcome, VIGIL_MIGRATE_NOT_RUN);
	CHECK_INT(s.events[3].migration, 4);

	/* Unknown database: EINVAL naming it and the known ones. */
	rc = migrate(engine, "nope", 0, &s, &diag, NULL);
	CHECK_INT(rc, VIGIL_EINVAL);
	CHECK_MSG(contains(diag.message, "'nope'") && contains(diag.message, "it has: main"), "%s",
	          diag.message);
	CHECK_INT(s.count, 0);

	/* Unknown flags. */
	CHECK_INT(migrate(engine, NULL, 0x80, &s, &diag, NULL), VIGIL_EINVAL);
}

static void test_level2_errors(vigil_engine *engine)
{
	seen s;
	vigil_diag diag;
	vigil_report *validation = NULL;
	/* Versions out of order: a level-2 error (VG227), nothing runs. */
	write_blueprint("          - {version: 2, up: 'CREATE TABLE u2 (id integer)'}\n"
	                "          - {version: 1, up: 'CREATE TABLE u1 (id integer)'}\n");
	int rc = migrate(engine, NULL, 0, &s, &diag, &validation);
	CHECK_INT(rc, VIGIL_EBLUEPRINT);
	CHECK_INT(s.count, 0);
	CHECK_MSG(contains(diag.message, "VG227") && contains(diag.message, "nothing was migrated"),
	          "%s", diag.message);
	CHECK(diag.line > 0 && diag.file[0]);
	CHECK(validation && vigil_report_exit_code(validation) == VIGIL_EXIT_FAIL);
	vigil_report_free(validation);

	CHECK_INT(vigil_migrate_file(NULL, engine, "/nonexistent/bp.yaml", NULL, 0, NULL, NULL,
	                             &diag),
	          VIGIL_EBLUEPRINT);
	CHECK(diag.message[0] != '\0');
	CHECK_INT(vigil_migrate_file(NULL, NULL, blueprint, NULL, 0, NULL, NULL, &diag), VIGIL_EINVAL);
}

static void test_outcome_names(void)
{
	CHECK_STR(vigil_migrate_outcome_name(VIGIL_MIGRATE_APPLIED), "applied");
	CHECK_STR(vigil_migrate_outcome_name(VIGIL_MIGRATE_NOT_RUN), "not run");
	CHECK_STR(vigil_migrate_outcome_name((vigil_migrate_outcome)99), "unknown");
}

int main(void)
{
	setenv("MIGRATE_UNIT_T2", "t2", 1);
	snprintf(dir, sizeof dir, "/tmp/vigil-migrate-unit.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(blueprint, sizeof blueprint, "%s/bp.yaml", dir);
	vigil_engine *engine = NULL;
	vigil_diag diag;
	if (!CHECK(vigil_engine_new(&engine, &diag) == VIGIL_OK))
		return CHECK_SUMMARY();
	vigil_engine_set_plugin_discovery(engine, 0);
	CHECK(vigil_engine_add_plugin_dir(engine, VIGIL_BUILD_PLUGIN_DIR, &diag) == VIGIL_OK);

	test_story(engine);
	test_level2_errors(engine);
	test_outcome_names();

	vigil_engine_free(engine);
	char path[256];
	snprintf(path, sizeof path, "%s/m.db", dir);
	unlink(path);
	unlink(blueprint);
	rmdir(dir);
	return CHECK_SUMMARY();
}
