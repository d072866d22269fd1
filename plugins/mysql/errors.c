/*
 * errors.c — MySQL/MariaDB errors as vigil_db_error: a kind from the error code, the
 * library's message (never a password), the SQLSTATE.
 */
#include <stdio.h>
#include <string.h>

#include <errmsg.h>
#include <mysqld_error.h>

#include "mysql_driver.h"

void vmy_error_set(vigil_db_error *err, int kind, const char *sqlstate, const char *fmt, ...)
{
	if (!err)
		return;
	err->kind = kind;
	err->sqlstate[0] = '\0';
	if (sqlstate && strcmp(sqlstate, "00000") != 0 && strcmp(sqlstate, "HY000") != 0) {
		snprintf(err->sqlstate, sizeof err->sqlstate, "%s", sqlstate);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

/* Copies `message` into out (size bytes), every occurrence of `secret` made "****". */
static void redact(char *out, size_t size, const char *message, const char *secret)
{
	size_t secret_len = secret ? strlen(secret) : 0;
	size_t n = 0;
	for (const char *p = message; *p && n + 1 < size;) {
		if (secret_len && strncmp(p, secret, secret_len) == 0) {
			for (const char *s = "****"; *s && n + 1 < size; s++)
				out[n++] = *s;
			p += secret_len;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
}

/* Whether the library's message carries a timeout errno ("... (110)", "timed out"). */
static int says_timeout(const char *message)
{
	return message && (strstr(message, "(110)") || strstr(message, "timed out") ||
	                   strstr(message, "Timeout") || strstr(message, "timeout"));
}

int vmy_error_kind(unsigned code, const char *message, int connecting)
{
	switch (code) {
	case 0:
		return VIGIL_DB_OK;
	case ER_ACCESS_DENIED_ERROR:             /* 1045 */
	case ER_ACCESS_DENIED_NO_PASSWORD_ERROR: /* 1698 */
	case ER_NOT_SUPPORTED_AUTH_MODE:         /* 1251 */
	case ER_MUST_CHANGE_PASSWORD_LOGIN:      /* 1862 */
	case CR_AUTH_PLUGIN_CANNOT_LOAD:         /* 2059 */
		return VIGIL_DB_ERR_AUTH;
	case ER_BAD_DB_ERROR: /* 1049 */
		return VIGIL_DB_ERR_NO_DATABASE;
	case ER_DBACCESS_DENIED_ERROR: /* 1044: the server says so for a database the user may not
	                                  see, whether or not it exists */
		return connecting ? VIGIL_DB_ERR_NO_DATABASE : VIGIL_DB_ERR_PERMISSION;
	case CR_CONNECTION_ERROR: /* 2002: the unix socket */
	case CR_CONN_HOST_ERROR:  /* 2003: host:port */
		return says_timeout(message) ? VIGIL_DB_ERR_TIMEOUT : VIGIL_DB_ERR_REFUSED;
	case CR_UNKNOWN_HOST: /* 2005 */
		return VIGIL_DB_ERR_DNS;
	case CR_SERVER_LOST:         /* 2013 */
	case CR_SERVER_GONE_ERROR:   /* 2006 */
	case CR_SERVER_LOST_EXTENDED: /* 2055 */
		if (connecting && says_timeout(message))
			return VIGIL_DB_ERR_TIMEOUT;
		return VIGIL_DB_ERR_LOST;
	case CR_SSL_CONNECTION_ERROR: /* 2026 */
		return VIGIL_DB_ERR_TLS;
	case ER_TABLEACCESS_DENIED_ERROR:    /* 1142 */
	case ER_COLUMNACCESS_DENIED_ERROR:   /* 1143 */
	case ER_SPECIFIC_ACCESS_DENIED_ERROR: /* 1227 */
	case ER_PROCACCESS_DENIED_ERROR:     /* 1370 */
	case ER_KILL_DENIED_ERROR:           /* 1095 */
		return VIGIL_DB_ERR_PERMISSION;
	case ER_UNSUPPORTED_PS: /* 1295 */
		return VIGIL_DB_ERR_UNSUPPORTED;
	default:
		/* Server errors (1000-1999, 3000+) are about the statement; client ones are not. */
		return code >= CR_MIN_ERROR && code <= CR_MAX_ERROR ? VIGIL_DB_ERR_OTHER : VIGIL_DB_ERR_SQL;
	}
}

int vmy_error_from(vigil_db_error *err, unsigned code, const char *sqlstate, const char *message,
                   int connecting, const char *secret)
{
	if (!err)
		return -1;
	char text[sizeof err->message];
	redact(text, sizeof text, message && *message ? message : "unknown error", secret);
	int kind = vmy_error_kind(code, text, connecting);
	if (code == ER_DBACCESS_DENIED_ERROR && connecting)
		vmy_error_set(err, kind, sqlstate,
		              "%s (MySQL error %u: the database does not exist, or the user may not use it)",
		              text, code);
	else
		vmy_error_set(err, kind, sqlstate, "%s (MySQL error %u)", text, code);
	return -1;
}

int vmy_error_conn(vigil_db_error *err, MYSQL *mysql)
{
	return vmy_error_from(err, mysql_errno(mysql), mysql_sqlstate(mysql), mysql_error(mysql), 0,
	                      NULL);
}

int vmy_error_stmt(vigil_db_error *err, MYSQL_STMT *stmt)
{
	return vmy_error_from(err, mysql_stmt_errno(stmt), mysql_stmt_sqlstate(stmt),
	                      mysql_stmt_error(stmt), 0, NULL);
}
