/*
 * pg_resolve.c — host name lookup with a deadline. libpq resolves names with a blocking
 * getaddrinfo inside PQconnectPoll, which can outlast any connect timeout when a resolver does
 * not answer. So the driver resolves first, on a thread it can walk away from, and hands libpq
 * numeric addresses (hostaddr) beside the name (host, still used for TLS and messages).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "pg_internal.h"

/* At most this many addresses are tried; a numeric IPv6 address with a scope fits. */
enum { MAX_ADDRESSES = 8, NUMERIC_HOST = 96 };

/* Shared by the caller and the lookup thread; whoever finishes with it last frees it. */
typedef struct lookup {
	pthread_mutex_t mutex;
	pthread_cond_t done_cond;
	int done;
	int abandoned;
	int rc;
	struct addrinfo *result;
	char host[];
} lookup;

static void lookup_free(lookup *job)
{
	if (job->result)
		freeaddrinfo(job->result);
	pthread_cond_destroy(&job->done_cond);
	pthread_mutex_destroy(&job->mutex);
	free(job);
}

static void *lookup_run(void *arg)
{
	lookup *job = arg;
	struct addrinfo hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	struct addrinfo *result = NULL;
	int rc = getaddrinfo(job->host, NULL, &hints, &result);
	pthread_mutex_lock(&job->mutex);
	job->rc = rc;
	job->result = result;
	job->done = 1;
	int abandoned = job->abandoned;
	pthread_cond_signal(&job->done_cond);
	pthread_mutex_unlock(&job->mutex);
	if (abandoned)
		lookup_free(job);
	return NULL;
}

long long pg_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Starts the lookup; NULL when a thread or memory is not to be had. */
static lookup *lookup_start(const char *host)
{
	size_t n = strlen(host);
	lookup *job = calloc(1, sizeof *job + n + 1);
	if (!job)
		return NULL;
	memcpy(job->host, host, n + 1);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int ok = pthread_mutex_init(&job->mutex, NULL) == 0;
	ok = ok && pthread_cond_init(&job->done_cond, &attr) == 0;
	pthread_condattr_destroy(&attr);
	if (!ok) {
		free(job);
		return NULL;
	}
	pthread_t thread;
	pthread_attr_t thread_attr;
	pthread_attr_init(&thread_attr);
	pthread_attr_setdetachstate(&thread_attr, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&thread, &thread_attr, lookup_run, job);
	pthread_attr_destroy(&thread_attr);
	if (rc != 0) {
		lookup_free(job);
		return NULL;
	}
	return job;
}

/* Waits for the lookup until the deadline: 1 done, 0 timed out (the job is then abandoned
 * to the thread). */
static int lookup_wait(lookup *job, long long deadline_ms)
{
	struct timespec now, until;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long left = deadline_ms - pg_now_ms();
	if (left < 0)
		left = 0;
	until.tv_sec = now.tv_sec + left / 1000;
	until.tv_nsec = now.tv_nsec + (left % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&job->mutex);
	while (!job->done) {
		if (pthread_cond_timedwait(&job->done_cond, &job->mutex, &until) == ETIMEDOUT)
			break;
	}
	int done = job->done;
	if (!done)
		job->abandoned = 1;
	pthread_mutex_unlock(&job->mutex);
	return done;
}

/* The addresses as libpq's comma-separated host / hostaddr lists, without duplicates. */
static int address_lists(const char *host, const struct addrinfo *result, pg_text *hosts,
                         pg_text *addrs)
{
	char seen[MAX_ADDRESSES][NUMERIC_HOST];
	size_t count = 0;
	for (const struct addrinfo *ai = result; ai && count < MAX_ADDRESSES; ai = ai->ai_next) {
		char numeric[NUMERIC_HOST];
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, numeric, sizeof numeric, NULL, 0,
		                NI_NUMERICHOST) != 0)
			continue;
		int dup = 0;
		for (size_t i = 0; i < count && !dup; i++)
			dup = strcmp(seen[i], numeric) == 0;
		if (dup)
			continue;
		memcpy(seen[count++], numeric, sizeof numeric);
		if (hosts->len) {
			pg_text_add(hosts, ",");
			pg_text_add(addrs, ",");
		}
		pg_text_add(hosts, host);
		pg_text_add(addrs, numeric);
	}
	return (int)count;
}

int pg_resolve(const char *host, long long deadline_ms, pg_text *hosts, pg_text *addrs,
               vigil_db_error *err)
{
	char message[300];
	lookup *job = lookup_start(host);
	if (!job)
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL,
		                "could not start a host name lookup (out of memory or threads)", NULL);
	if (!lookup_wait(job, deadline_ms)) {
		snprintf(message, sizeof message,
		         "could not translate host name \"%s\" to address: no answer within the connect timeout",
		         host);
		return pg_error(err, VIGIL_DB_ERR_TIMEOUT, NULL, message, NULL);
	}
	int rc = job->rc;
	int count = rc == 0 ? address_lists(host, job->result, hosts, addrs) : 0;
	lookup_free(job);
	if (rc != 0 || count == 0) {
		snprintf(message, sizeof message, "could not translate host name \"%s\" to address: %s",
		         host, rc != 0 ? gai_strerror(rc) : "no usable address");
		return pg_error(err, VIGIL_DB_ERR_DNS, NULL, message, NULL);
	}
	if (hosts->failed || addrs->failed)
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
	return 0;
}
