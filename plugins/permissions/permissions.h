/*
 * permissions.h — what the permissions check's files share: the privilege vocabulary, what
 * the blueprint requires (required.c) and the rolled-back probes (probe.c).
 */
#ifndef VIGIL_PERMISSIONS_H
#define VIGIL_PERMISSIONS_H

#include <stddef.h>

#include <vigil/plugin.h>

/* The driver ABI's privilege names, one bit each (see "Privilege names a driver reports"). */
enum {
	PRIV_SELECT = 1u << 0,
	PRIV_INSERT = 1u << 1,
	PRIV_UPDATE = 1u << 2,
	PRIV_DELETE = 1u << 3,
	PRIV_REFERENCES = 1u << 4,
	PRIV_TRIGGER = 1u << 5,
	PRIV_CREATE = 1u << 6,
	PRIV_ALTER = 1u << 7,
	PRIV_DROP = 1u << 8,
	PRIV_INDEX = 1u << 9,
	PRIV_EXECUTE = 1u << 10,
	PRIV_USAGE = 1u << 11,
	PRIV_ALL = 1u << 12,
	PRIV_COUNT = 13
};

/* The privileges that change the schema: requiring one of them makes DDL expected (no VG552). */
#define PRIV_DDL (PRIV_CREATE | PRIV_ALTER | PRIV_DROP)
/* What a rolled-back statement can prove. */
#define PRIV_PROBEABLE (PRIV_SELECT | PRIV_INSERT | PRIV_UPDATE | PRIV_DELETE)

/* The lower-case name of one privilege bit. */
const char *privilege_name(unsigned bit);
/* The bit of a privilege name (case-insensitive), or 0 when vigil does not know it. */
unsigned privilege_bit(const char *name);
/* The names of `mask`'s bits, ", "-separated, into out ("none" for an empty mask). */
void privilege_list(char *out, size_t size, unsigned mask);

/* How many Store components a table remembers by name for the report. */
#define STORES_KEPT 4

/* One table the connected user must be able to use. Strings are borrowed from the host
 * (config_get), valid until the check's callback returns. */
typedef struct required_table {
	const char *name;
	unsigned mask;        /* every privilege required on it */
	unsigned from_list;   /* the part the database's permissions: list requires */
	const char *column;   /* its first declared column (the UPDATE probe), or NULL */
	int declared;         /* in schema.tables */
	const char *stores[STORES_KEPT]; /* Store components writing into it */
	size_t store_count;   /* all of them, also those not kept */
} required_table;

typedef struct requirements {
	required_table *tables;
	size_t count, cap;
	unsigned list_mask;   /* the permissions: list */
	int out_of_memory;
} requirements;

/* Reads the requirements of ctx's database from the blueprint. Returns 0, or -1 when out of
 * memory. Unknown privilege names are logged and left out. */
int requirements_read(requirements *req, vigil_check_ctx *ctx, const vigil_host *host);
void requirements_free(requirements *req);

/* What a probe proved. */
typedef enum probe_outcome {
	PROBE_HELD = 0,         /* the statement ran */
	PROBE_DENIED = 1,       /* refused for lack of a privilege, or the database is read-only */
	PROBE_NO_TABLE = 2,     /* the table does not exist */
	PROBE_INCONCLUSIVE = 3, /* failed for another reason (see the error) */
	PROBE_BROKEN = 4        /* the session cannot be trusted any more (rollback failed) */
} probe_outcome;

typedef struct prober {
	vigil_check_ctx *ctx;
	const vigil_host *host;
	vigil_db_session *session;
	int mysql;            /* backtick quoting */
	unsigned count;       /* statements probed */
	int broken;           /* release the session as broken */
} prober;

/*
 * Tries `privilege` (one PRIV_SELECT/INSERT/UPDATE/DELETE bit) on `table` with a statement that
 * touches no row, inside a transaction that is always rolled back. `column` is a column of the
 * table (needed for UPDATE; NULL makes that probe inconclusive). The statement tried is
 * written into sql, the database's error into err.
 */
probe_outcome probe_privilege(prober *p, const char *table, const char *column,
                              unsigned privilege, char *sql, size_t sql_size,
                              vigil_db_error *err);

#endif /* VIGIL_PERMISSIONS_H */
