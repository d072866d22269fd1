/*
 * schema.c — does the live database have the schema the blueprint declares? (check "schema")
 *
 * Two parts, both through the host's ABI 1.2 database functions (no client library), so the
 * same check runs on SQLite, PostgreSQL and MySQL/MariaDB:
 *
 *  - Drift. The host introspects the live schema (a constant number of catalog queries) and
 *    diffs it against the declared one (db_schema_compare); each difference becomes one
 *    finding whose code follows its kind (VG520–VG536): missing and mismatching elements are
 *    errors, extra ones warnings. The finding carries the difference's words, the raw and
 *    normalised types, its blueprint location and the driver's SQL proposal. Live objects
 *    listed as `unmanaged`, and the migration history table, are the host's to leave out.
 *  - Migration history, when the blueprint declares migrations (schema.migrations): the
 *    history table `vigil migrate` writes (schema.migration_table, default
 *    vigil_schema_migrations: version integer primary key, description, checksum = SHA-256 of
 *    the migration's `up` text as 64 lower-case hex digits, applied_at; in schema.namespace
 *    when the blueprint names one) is read and compared with the declared list: pending (VG537), changed since applied (VG538), applied but not
 *    declared (VG539), unreadable (VG540), absent (VG542, a warning: nothing can be verified).
 *
 * Outcome: FAILED with any error finding, else PASSED; ERROR when the live schema could not be
 * read at all (VG541, with the reason); SKIPPED when the database declares neither tables nor
 * migrations (there is nothing to compare against).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/plugin.h>

#define MIGRATION_TABLE_DEFAULT "vigil_schema_migrations"
/* A bound on the declared migrations read: a blueprint is read whole, this only ends the loop. */
#define MIGRATIONS_MAX 100000

/* One run of the check: what every part needs, and what decides the outcome. */
typedef struct schema_run {
	vigil_check_ctx *ctx;
	const vigil_host *host;
	const char *database; /* the database's name in the blueprint */
	const char *type;     /* "sqlite", "postgresql", "mysql" */
	vigil_db_session *session;
	int broken;           /* the connection was lost: release it as broken */
	size_t errors;        /* error findings added */
	int check_error;      /* the check could not do its whole job: status ERROR */
	char reason[700];     /* why, for set_status */
} schema_run;

/* printf into a new string (NULL when memory runs out); the caller frees it. */
static char *format_alloc(const char *fmt, ...) VIGIL_PLUGIN_PRINTF(1, 2);
static char *format_alloc(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* The first check-error reason wins: it is usually the cause of the later ones. */
static void set_check_error(schema_run *r, const char *fmt, ...) VIGIL_PLUGIN_PRINTF(2, 3);
static void set_check_error(schema_run *r, const char *fmt, ...)
{
	if (r->check_error)
		return;
	r->check_error = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
}

static vigil_finding *add_finding(schema_run *r, const char *code, int severity,
                                  const char *message)
{
	vigil_finding *f = r->host->finding_add(r->ctx, code, severity,
	                                        message ? message : "(out of memory)");
	if (severity == VIGIL_PLUGIN_ERROR)
		r->errors++;
	return f;
}

static void note_db_error(schema_run *r, const vigil_db_error *err)
{
	if (err->kind == VIGIL_DB_ERR_LOST)
		r->broken = 1;
}

/* "the server's message (SQLSTATE 42P01)" */
static void describe_db_error(char *out, size_t size, const vigil_db_error *err)
{
	const char *message = err->message[0] ? err->message : "the driver gave no message";
	if (err->sqlstate[0])
		snprintf(out, size, "%s (SQLSTATE %s)", message, err->sqlstate);
	else
		snprintf(out, size, "%s", message);
}

/* ================================================================ drift */

typedef struct difference_code {
	const char *kind; /* vigil_schema_difference.kind */
	const char *code;
	int severity;
} difference_code;

static const difference_code difference_codes[] = {
	{ "missing_table", "VG520", VIGIL_PLUGIN_ERROR },
	{ "extra_table", "VG521", VIGIL_PLUGIN_WARNING },
	{ "missing_column", "VG522", VIGIL_PLUGIN_ERROR },
	{ "extra_column", "VG523", VIGIL_PLUGIN_WARNING },
	{ "type_mismatch", "VG524", VIGIL_PLUGIN_ERROR },
	{ "nullability_mismatch", "VG525", VIGIL_PLUGIN_ERROR },
	{ "default_mismatch", "VG526", VIGIL_PLUGIN_ERROR },
	{ "auto_increment_mismatch", "VG527", VIGIL_PLUGIN_ERROR },
	{ "primary_key_mismatch", "VG528", VIGIL_PLUGIN_ERROR },
	{ "missing_unique", "VG529", VIGIL_PLUGIN_ERROR },
	{ "extra_unique", "VG530", VIGIL_PLUGIN_WARNING },
	{ "missing_index", "VG531", VIGIL_PLUGIN_ERROR },
	{ "extra_index", "VG532", VIGIL_PLUGIN_WARNING },
	{ "index_mismatch", "VG533", VIGIL_PLUGIN_ERROR },
	{ "missing_foreign_key", "VG534", VIGIL_PLUGIN_ERROR },
	{ "extra_foreign_key", "VG535", VIGIL_PLUGIN_WARNING },
	{ "foreign_key_mismatch", "VG536", VIGIL_PLUGIN_ERROR },
};

static const difference_code *code_of(const char *kind)
{
	for (size_t i = 0; kind && i < VIGIL_COUNT_OF(difference_codes); i++)
		if (strcmp(difference_codes[i].kind, kind) == 0)
			return &difference_codes[i];
	return NULL;
}

/* One side of the detail: "varchar(200) (canonical varchar(200))", or "none". */
static char *describe_side(const char *raw, const char *normalised, const char *word)
{
	if (!raw)
		raw = "none";
	if (!normalised)
		return format_alloc("%s", raw);
	/* Some hosts already say the canonical form in the raw words: "varchar(200) (text)". */
	size_t raw_length = strlen(raw), normalised_length = strlen(normalised);
	if (raw_length > normalised_length + 3 && raw[raw_length - 1] == ')' &&
	    strncmp(raw + raw_length - normalised_length - 3, " (", 2) == 0 &&
	    strncmp(raw + raw_length - normalised_length - 1, normalised, normalised_length) == 0)
		return format_alloc("%.*s (%s %s)", (int)(raw_length - normalised_length - 3), raw,
		                    word, normalised);
	return format_alloc("%s (%s %s)", raw, word, normalised);
}

/* "declared X (canonical Y), live A (canonical B); rule: R" — only when the host gave the
 * normalised forms or a rule; NULL otherwise. */
static char *difference_detail(const vigil_schema_difference *d)
{
	if (!d->expected_normalised && !d->actual_normalised && !d->rule)
		return NULL;
	const char *word = strcmp(d->kind, "type_mismatch") == 0 ? "canonical" : "normalised";
	char *declared = describe_side(d->expected, d->expected_normalised, word);
	char *live = describe_side(d->actual, d->actual_normalised, word);
	char *detail = NULL;
	if (declared && live)
		detail = d->rule ? format_alloc("declared %s, live %s; rule: %s", declared, live,
		                                d->rule)
		                 : format_alloc("declared %s, live %s", declared, live);
	free(declared);
	free(live);
	return detail;
}

/* "apply: <first line of the SQL>" ("…" when more follows: the whole SQL is the finding's
 * proposal), with the caveat when there is one, or the note saying why there is no
 * proposal; NULL when the host gave neither. */
static char *difference_hint(const vigil_schema_difference *d)
{
	if (d->proposal && *d->proposal) {
		int first_line = (int)strcspn(d->proposal, "\n");
		const char *rest = d->proposal + first_line;
		const char *more = rest[0] && rest[strspn(rest, "\n")] ? " …" : "";
		if (d->proposal_note && *d->proposal_note)
			return format_alloc("apply: %.*s%s (note: %s)", first_line, d->proposal, more,
			                    d->proposal_note);
		return format_alloc("apply: %.*s%s", first_line, d->proposal, more);
	}
	if (d->proposal_note && *d->proposal_note)
		return format_alloc("%s", d->proposal_note);
	return NULL;
}

static void report_difference(schema_run *r, const vigil_schema_difference *d,
                              const difference_code *code)
{
	const vigil_host *host = r->host;
	vigil_finding *f = add_finding(r, code->code, code->severity, d->description);
	if (!f)
		return;
	host->finding_set_object(f, NULL, d->object ? d->object : d->table);
	host->finding_set_evidence(f, d->expected, d->actual);
	char *detail = difference_detail(d);
	if (detail)
		host->finding_set_detail(f, detail);
	free(detail);
	if (d->file && *d->file)
		host->finding_set_location(f, d->file, d->line, d->column);
	if (d->proposal && *d->proposal)
		host->finding_set_proposal(f, d->proposal, d->risk);
	char *hint = difference_hint(d);
	if (hint)
		host->finding_set_hint(f, hint);
	free(hint);
}

static void report_introspection_failure(schema_run *r, const vigil_db_error *err)
{
	char why[600];
	describe_db_error(why, sizeof why, err);
	char *message = format_alloc("database %s (%s): the live schema could not be read",
	                             r->database, r->type);
	vigil_finding *f = add_finding(r, "VG541", VIGIL_PLUGIN_ERROR, message);
	free(message);
	r->host->finding_set_detail(f, why);
	r->host->finding_set_evidence(f, "the live schema, read from the catalogs",
	                              "introspection failed");
	const char *hint;
	switch (err->kind) {
	case VIGIL_DB_ERR_PERMISSION:
		hint = "let the database's user read the catalogs (information_schema / pg_catalog / "
		       "sqlite_schema) of its schema";
		break;
	case VIGIL_DB_ERR_LOST:
	case VIGIL_DB_ERR_TIMEOUT:
		hint = "the connection broke or stalled while the catalogs were read: see the "
		       "server's log and run the check again";
		break;
	default:
		hint = "see the detail; the server's log may say more";
		break;
	}
	r->host->finding_set_hint(f, hint);
	set_check_error(r, "the live schema of database %s could not be read: %s", r->database,
	                why);
}

/* Metrics of the comparison, as the report shows them beside the check. */
static void report_comparison_metrics(schema_run *r, const vigil_schema_comparison *cmp)
{
	vigil_check_ctx *ctx = r->ctx;
	const vigil_host *host = r->host;
	host->set_metric(ctx, "tables_declared", (double)cmp->tables_declared, "tables");
	host->set_metric(ctx, "tables_live", (double)cmp->tables_live, "tables");
	host->set_metric(ctx, "tables_compared", (double)cmp->tables_compared, "tables");
	host->set_metric(ctx, "columns_compared", (double)cmp->columns_compared, "columns");
	host->set_metric(ctx, "differences", (double)cmp->count, NULL);
	host->set_metric(ctx, "unmanaged_skipped", (double)cmp->unmanaged_skipped, "objects");
	host->set_metric(ctx, "round_trips", (double)cmp->round_trips, "queries");
	host->set_metric(ctx, "introspect_ms", cmp->introspect_ms, "ms");
	host->set_metric(ctx, "diff_ms", cmp->diff_ms, "ms");
}

/* The smallest difference record this plugin reads: ABI 1.2's. */
#define DIFFERENCE_MIN_SIZE                                                                  \
	(offsetof(vigil_schema_difference, proposal_note) + sizeof(const char *))
#define COMPARISON_MIN_SIZE (offsetof(vigil_schema_comparison, diff_ms) + sizeof(double))

static void check_drift(schema_run *r)
{
	const vigil_schema_comparison *cmp = NULL;
	vigil_db_error err = { 0 };
	if (r->host->db_schema_compare(r->ctx, r->session, &cmp, &err) != 0 || !cmp) {
		note_db_error(r, &err);
		report_introspection_failure(r, &err);
		return;
	}
	if (cmp->size < COMPARISON_MIN_SIZE) {
		set_check_error(r, "the host's schema comparison record is %u bytes, smaller than "
		                   "ABI 1.2's %zu", (unsigned)cmp->size, (size_t)COMPARISON_MIN_SIZE);
		return;
	}
	report_comparison_metrics(r, cmp);
	if (cmp->count == 0)
		return;
	/* The host's records may be larger than this plugin's (a later minor appends fields):
	 * step through them by the size the host gives. */
	size_t stride = cmp->items[0].size;
	if (stride < DIFFERENCE_MIN_SIZE) {
		set_check_error(r, "the host's schema difference record is %zu bytes, smaller than "
		                   "ABI 1.2's %zu", stride, (size_t)DIFFERENCE_MIN_SIZE);
		return;
	}
	size_t unknown = 0;
	const char *first_unknown = NULL;
	for (size_t i = 0; i < cmp->count; i++) {
		const vigil_schema_difference *d =
		        (const vigil_schema_difference *)(const void *)((const char *)cmp->items +
		                                                        i * stride);
		const difference_code *code = code_of(d->kind);
		if (!code) {
			/* A kind from a newer host: never let it pass unreported. */
			if (!unknown++)
				first_unknown = d->kind ? d->kind : "(none)";
			r->host->log(r->ctx, VIGIL_PLUGIN_ERROR, "difference of unknown kind %s: %s",
			             d->kind ? d->kind : "(none)",
			             d->description ? d->description : "(no description)");
			continue;
		}
		report_difference(r, d, code);
	}
	if (unknown)
		set_check_error(r, "the host reported %zu difference%s of a kind this plugin does not "
		                   "know (%s): update the schema plugin", unknown,
		                unknown == 1 ? "" : "s", first_unknown);
}

/* ================================================================ migration history */

typedef struct declared_migration {
	size_t index;            /* position in schema.migrations */
	const char *version_text;
	long long version;
	const char *description;
	char checksum[65];       /* of `up` as config_get returns it */
	int applied;             /* found in the history table */
} declared_migration;

typedef struct history_row {
	long long version;
	char checksum[65];
} history_row;

typedef struct history {
	history_row *rows;
	size_t count, capacity;
	size_t odd;              /* rows that do not read as a migration */
	char first_odd[200];     /* the first of them, in words */
	int out_of_memory;
} history;

/* A whole decimal integer (optional sign, no spaces). */
static int parse_version(const char *text, long long *out)
{
	if (!text || !*text)
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || *end || end == text || isspace((unsigned char)*text))
		return 0;
	*out = v;
	return 1;
}

static int is_checksum(const char *text, size_t length)
{
	if (length != 64)
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)text[i]))
			return 0;
	return 1;
}

static int history_row_cb(void *payload, size_t column_count, const char *const *values,
                          const size_t *lengths)
{
	history *h = payload;
	const char *version = column_count > 0 ? values[0] : NULL;
	const char *checksum = column_count > 1 ? values[1] : NULL;
	history_row row = { 0 };
	if (column_count < 2 || !parse_version(version, &row.version) || !checksum ||
	    !is_checksum(checksum, lengths[1])) {
		if (!h->odd++)
			snprintf(h->first_odd, sizeof h->first_odd, "version %s%.40s%s, checksum %s%.70s%s",
			         version ? "'" : "", version ? version : "NULL", version ? "'" : "",
			         checksum ? "'" : "", checksum ? checksum : "NULL", checksum ? "'" : "");
		return 0;
	}
	for (size_t i = 0; i < 64; i++)
		row.checksum[i] = (char)tolower((unsigned char)checksum[i]);
	if (h->count == h->capacity) {
		size_t capacity = h->capacity ? h->capacity * 2 : 16;
		history_row *rows = realloc(h->rows, capacity * sizeof *rows);
		if (!rows) {
			h->out_of_memory = 1;
			return 1;
		}
		h->rows = rows;
		h->capacity = capacity;
	}
	h->rows[h->count++] = row;
	return 0;
}

/* `name` quoted as an identifier of the database's dialect. */
static char *quote_identifier(const char *type, const char *name)
{
	char quote = type && strcmp(type, "mysql") == 0 ? '`' : '"';
	size_t n = strlen(name);
	char *out = malloc(2 * n + 3);
	if (!out)
		return NULL;
	char *p = out;
	*p++ = quote;
	for (const char *s = name; *s; s++) {
		if (*s == quote)
			*p++ = quote;
		*p++ = *s;
	}
	*p++ = quote;
	*p = '\0';
	return out;
}

/* The history table does not exist (as opposed to: it exists and the query failed). */
static int is_missing_table(const vigil_db_error *err)
{
	return strcmp(err->sqlstate, "42P01") == 0 ||   /* PostgreSQL undefined_table */
	       strcmp(err->sqlstate, "42S02") == 0 ||   /* MySQL ER_NO_SUCH_TABLE */
	       strstr(err->message, "no such table");   /* SQLite */
}

/* The declared migrations, in blueprint order; NULL with *count 0 when there are none.
 * Sets a check error and returns NULL with *count > 0 when it cannot proceed. */
static declared_migration *read_declared(schema_run *r, size_t *count)
{
	*count = 0;
	size_t n = 0;
	char key[96];
	for (; n < MIGRATIONS_MAX; n++) {
		static const char *const fields[] = { "version", "up", "description", "down" };
		int present = 0;
		for (size_t k = 0; k < VIGIL_COUNT_OF(fields) && !present; k++) {
			snprintf(key, sizeof key, "schema.migrations.%zu.%s", n, fields[k]);
			present = r->host->config_get(r->ctx, key) != NULL;
		}
		if (!present)
			break;
	}
	if (n == 0)
		return NULL;
	*count = n;
	declared_migration *list = calloc(n, sizeof *list);
	if (!list) {
		set_check_error(r, "out of memory reading the declared migrations");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		declared_migration *m = &list[i];
		m->index = i;
		snprintf(key, sizeof key, "schema.migrations.%zu.version", i);
		m->version_text = r->host->config_get(r->ctx, key);
		snprintf(key, sizeof key, "schema.migrations.%zu.description", i);
		m->description = r->host->config_get(r->ctx, key);
		snprintf(key, sizeof key, "schema.migrations.%zu.up", i);
		const char *up = r->host->config_get(r->ctx, key);
		/* A migration without `up` hashes as the empty text, as `vigil migrate` records it. */
		if (!up)
			up = "";
		r->host->sha256_hex(up, strlen(up), m->checksum);
	}
	return list;
}

/* "migration 3 (add owners)" */
static void migration_words(char *out, size_t size, const declared_migration *m)
{
	if (m->description && *m->description)
		snprintf(out, size, "migration %s (%s)", m->version_text, m->description);
	else
		snprintf(out, size, "migration %s", m->version_text);
}

static void report_history_unreadable(schema_run *r, const char *table, const char *what,
                                      const char *detail)
{
	char *message = format_alloc("database %s: migration history table %s cannot be read: %s",
	                             r->database, table, what);
	vigil_finding *f = add_finding(r, "VG540", VIGIL_PLUGIN_ERROR, message);
	free(message);
	r->host->finding_set_object(f, NULL, table);
	r->host->finding_set_detail(f, detail);
	r->host->finding_set_evidence(f, "columns version (integer) and checksum (64 hex digits)",
	                              what);
	r->host->finding_set_hint(
	        f, "the history table must be the one `vigil migrate` writes (version integer "
	           "primary key, description, checksum = SHA-256 of the migration's up text, "
	           "applied_at); point schema.migration_table at it, or rename the table in the way");
}

static void report_no_history(schema_run *r, const char *table, size_t declared)
{
	char *message = format_alloc("%zu migration%s declared, no history table %s: none can be "
	                             "verified", declared, declared == 1 ? "" : "s", table);
	vigil_finding *f = add_finding(r, "VG542", VIGIL_PLUGIN_WARNING, message);
	free(message);
	r->host->finding_set_object(f, NULL, table);
	r->host->finding_set_evidence(f, "a history table recording the applied migrations",
	                              "no such table");
	r->host->finding_set_hint(f, "apply the migrations with `vigil migrate` (it creates the "
	                             "table), or set schema.migration_table to the table that "
	                             "records them");
}

static void report_pending(schema_run *r, const char *table, const declared_migration *m)
{
	char words[300];
	migration_words(words, sizeof words, m);
	char *message = format_alloc("%s is pending: version %s is not in history table %s",
	                             words, m->version_text, table);
	vigil_finding *f = add_finding(r, "VG537", VIGIL_PLUGIN_ERROR, message);
	free(message);
	r->host->finding_set_object(f, NULL, table);
	char actual[80];
	snprintf(actual, sizeof actual, "no row with version %s", m->version_text);
	r->host->finding_set_evidence(f, "applied", actual);
	char detail[120];
	snprintf(detail, sizeof detail, "schema.migrations[%zu]", m->index);
	r->host->finding_set_detail(f, detail);
	r->host->finding_set_hint(f, "apply it (`vigil migrate`), or remove it from the blueprint "
	                             "if it must not run");
}

static void report_changed(schema_run *r, const char *table, const declared_migration *m,
                           const history_row *row)
{
	char words[300];
	migration_words(words, sizeof words, m);
	char *message = format_alloc("%s changed after it was applied: the checksum of its up text "
	                             "differs from the one in history table %s", words, table);
	vigil_finding *f = add_finding(r, "VG538", VIGIL_PLUGIN_ERROR, message);
	free(message);
	r->host->finding_set_object(f, NULL, table);
	r->host->finding_set_evidence(f, m->checksum, row->checksum);
	char detail[200];
	snprintf(detail, sizeof detail, "schema.migrations[%zu].up: SHA-256 of the declared text "
	                                "(expected) vs the one recorded when it was applied (actual)",
	         m->index);
	r->host->finding_set_detail(f, detail);
	r->host->finding_set_hint(f, "never edit an applied migration: restore its up text as it "
	                             "was applied and declare the change as a new migration");
}

static void report_unknown(schema_run *r, const char *table, const history_row *row)
{
	char *message = format_alloc("history table %s records migration %lld, which the blueprint "
	                             "does not declare", table, row->version);
	vigil_finding *f = add_finding(r, "VG539", VIGIL_PLUGIN_WARNING, message);
	free(message);
	r->host->finding_set_object(f, NULL, table);
	char actual[80];
	snprintf(actual, sizeof actual, "version %lld applied", row->version);
	r->host->finding_set_evidence(f, "only declared migrations applied", actual);
	r->host->finding_set_hint(f, "declare it in schema.migrations (the blueprint lost it?), or "
	                             "check that this database belongs to this blueprint");
}

static void check_migrations(schema_run *r, const char *table, declared_migration *declared,
                             size_t declared_count)
{
	vigil_check_ctx *ctx = r->ctx;
	const vigil_host *host = r->host;
	host->set_metric(ctx, "migrations_declared", (double)declared_count, "migrations");

	/* The history table lives beside the tables it records: in schema.namespace when the
	 * blueprint names one (a PostgreSQL schema, a MySQL database), else the connection's. */
	const char *namespace_ = host->config_get(ctx, "schema.namespace");
	char *quoted_namespace = namespace_ && *namespace_ ? quote_identifier(r->type, namespace_)
	                                                   : NULL;
	char *quoted = quote_identifier(r->type, table);
	char *sql = NULL;
	if (quoted && quoted_namespace)
		sql = format_alloc("SELECT version, checksum FROM %s.%s ORDER BY version",
		                   quoted_namespace, quoted);
	else if (quoted && !(namespace_ && *namespace_))
		sql = format_alloc("SELECT version, checksum FROM %s ORDER BY version", quoted);
	free(quoted);
	free(quoted_namespace);
	if (!sql) {
		set_check_error(r, "out of memory building the migration history query");
		return;
	}
	history h = { 0 };
	vigil_db_error err = { 0 };
	int rc = host->db_query(r->session, sql, 0, NULL, history_row_cb, &h, NULL, &err);
	if (rc != 0 && h.out_of_memory) {
		set_check_error(r, "out of memory reading migration history table %s", table);
		goto done;
	}
	if (rc != 0) {
		note_db_error(r, &err);
		if (is_missing_table(&err)) {
			report_no_history(r, table, declared_count);
			host->set_metric(ctx, "migrations_applied", 0, "migrations");
			host->set_metric(ctx, "migrations_pending", (double)declared_count, "migrations");
			goto done;
		}
		char why[600], what[700], detail[800];
		describe_db_error(why, sizeof why, &err);
		snprintf(what, sizeof what, "the query failed: %s", why);
		snprintf(detail, sizeof detail, "the query was: %s", sql);
		report_history_unreadable(r, table, what, detail);
		goto done;
	}
	if (h.odd) {
		char what[80], detail[400];
		snprintf(what, sizeof what, "%zu row%s without an integer version and a 64-hex checksum",
		         h.odd, h.odd == 1 ? "" : "s");
		snprintf(detail, sizeof detail, "the first: %s; the query was: %s", h.first_odd, sql);
		report_history_unreadable(r, table, what, detail);
		goto done;
	}

	size_t applied = 0, pending = 0;
	for (size_t i = 0; i < declared_count; i++) {
		declared_migration *m = &declared[i];
		if (!parse_version(m->version_text, &m->version)) {
			/* Level 2 reports the bad version itself; here it cannot be looked up. */
			host->log(ctx, VIGIL_PLUGIN_WARNING,
			          "schema.migrations[%zu] has no integer version (%s): not verified", i,
			          m->version_text ? m->version_text : "none");
			continue;
		}
		const history_row *row = NULL;
		for (size_t k = 0; k < h.count && !row; k++)
			if (h.rows[k].version == m->version)
				row = &h.rows[k];
		if (!row) {
			pending++;
			report_pending(r, table, m);
			continue;
		}
		m->applied = 1;
		applied++;
		if (strcmp(row->checksum, m->checksum) != 0)
			report_changed(r, table, m, row);
	}
	for (size_t k = 0; k < h.count; k++) {
		int known = 0;
		for (size_t i = 0; i < declared_count && !known; i++)
			known = declared[i].applied && declared[i].version == h.rows[k].version;
		if (!known)
			report_unknown(r, table, &h.rows[k]);
	}
	host->set_metric(ctx, "migrations_applied", (double)applied, "migrations");
	host->set_metric(ctx, "migrations_pending", (double)pending, "migrations");
done:
	free(h.rows);
	free(sql);
}

/* ================================================================ the check */

static int host_has_database_access(const vigil_host *host)
{
	return VIGIL_HOST_HAS(host, sha256_hex) && host->db_acquire && host->db_release &&
	       host->db_query && host->db_schema_compare && host->finding_set_proposal;
}

static int run_schema(vigil_check_ctx *ctx, const vigil_host *host)
{
	if (!host_has_database_access(host)) {
		host->set_status(ctx, VIGIL_CHECK_ERROR,
		                 "the host offers no schema comparison (ABI 1.2 functions missing)");
		return -1;
	}
	schema_run r = { .ctx = ctx, .host = host };
	r.database = host->database_name(ctx) ? host->database_name(ctx) : "(unnamed)";
	r.type = host->database_type(ctx) ? host->database_type(ctx) : "unknown";

	size_t migration_count = 0;
	declared_migration *migrations = NULL;
	int has_tables = host->config_get(ctx, "schema.tables.0.name") != NULL;
	int has_migrations = host->config_get(ctx, "schema.migrations.0.version") != NULL;
	if (!has_tables && !has_migrations) {
		char reason[300];
		snprintf(reason, sizeof reason,
		         "database %s declares no schema (no schema.tables, no schema.migrations): "
		         "nothing to compare the live one with", r.database);
		host->set_status(ctx, VIGIL_CHECK_SKIPPED, reason);
		return 0;
	}
	vigil_db_error err = { 0 };
	if (host->db_acquire(ctx, &r.session, &err) != 0 || !r.session) {
		char why[600], reason[700];
		describe_db_error(why, sizeof why, &err);
		snprintf(reason, sizeof reason, "cannot connect to database %s (%s): %s", r.database,
		         r.type, why);
		host->set_status(ctx, VIGIL_CHECK_ERROR, reason);
		return -1;
	}

	check_drift(&r);

	if (has_migrations && !host->sha256_hex) {
		set_check_error(&r, "the host offers no sha256_hex: the checksums of the migrations "
		                    "of database %s cannot be computed", r.database);
	} else if (has_migrations && !r.broken) {
		const char *table = host->config_get(ctx, "schema.migration_table");
		if (!table || !*table)
			table = MIGRATION_TABLE_DEFAULT;
		migrations = read_declared(&r, &migration_count);
		if (migrations)
			check_migrations(&r, table, migrations, migration_count);
	} else if (has_migrations) {
		host->log(ctx, VIGIL_PLUGIN_WARNING,
		          "the connection to database %s was lost: migration history not read",
		          r.database);
	}
	free(migrations);
	host->db_release(r.session, r.broken);

	if (r.check_error)
		host->set_status(ctx, VIGIL_CHECK_ERROR, r.reason);
	else
		host->set_status(ctx, r.errors ? VIGIL_CHECK_FAILED : VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static const vigil_check_def schema_checks[] = {
	{ "schema",
	  "compares the live schema with the declared one (drift) and the migration history "
	  "with the declared migrations",
	  "preflight",
	  run_schema,
	  NULL,
	  { 0 } },
};

VIGIL_PLUGIN_DEFINE(schema, VIGIL_IN_TREE_VERSION,
                    "database schema: drift against the blueprint, migration history",
                    VIGIL_PLUGIN_CHECK, 3, schema_checks, VIGIL_COUNT_OF(schema_checks), NULL,
                    NULL)
