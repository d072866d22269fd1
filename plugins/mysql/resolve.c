/*
 * resolve.c — host name lookup with a deadline. Connector/C resolves names with a blocking
 * getaddrinfo, even in its non-blocking connect, which can outlast any connect timeout when a
 * resolver does not answer. So the driver resolves first, on a thread it can walk away from,
 * and hands the connector numeric addresses. An abandoned lookup finishes on its own and frees
 * its job; the plugin is linked with -z nodelete so that its code outlives a dlclose.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "mysql_driver.h"

/* Shared by the caller and the lookup thread; whoever is done with it last frees it. */
typedef struct lookup {
	pthread_mutex_t mutex;
	pthread_cond_t done_cond;
	int done, abandoned, rc;
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
	hints.ai_protocol = IPPROTO_TCP;
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

static void add_address(vmy_addresses *out, const struct sockaddr *sa)
{
	char text[INET6_ADDRSTRLEN];
	const void *raw = sa->sa_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
	                                            : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	if (out->count >= VMY_MAX_ADDRESSES || !inet_ntop(sa->sa_family, raw, text, sizeof text))
		return;
	for (size_t i = 0; i < out->count; i++)
		if (strcmp(out->text[i], text) == 0)
			return;
	memcpy(out->text[out->count++], text, strlen(text) + 1);
}

static int numeric(const char *host, vmy_addresses *out)
{
	unsigned char raw[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, host, raw) != 1 && inet_pton(AF_INET6, host, raw) != 1)
		return 0;
	out->count = 1;
	snprintf(out->text[0], sizeof out->text[0], "%s", host);
	return 1;
}

int vmy_resolve(const char *host, long long deadline_ms, unsigned timeout_ms,
                vmy_addresses *out, vigil_db_error *err)
{
	out->count = 0;
	if (numeric(host, out))
		return 0;
	size_t n = strlen(host);
	lookup *job = calloc(1, sizeof *job + n + 1);
	if (!job) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory");
		return -1;
	}
	memcpy(job->host, host, n + 1);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_mutex_init(&job->mutex, NULL);
	pthread_cond_init(&job->done_cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_t thread;
	if (pthread_create(&thread, NULL, lookup_run, job) != 0) {
		lookup_free(job);
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "could not start the host name lookup");
		return -1;
	}
	pthread_detach(thread);

	struct timespec until = { (time_t)(deadline_ms / 1000), (long)(deadline_ms % 1000) * 1000000L };
	pthread_mutex_lock(&job->mutex);
	while (!job->done)
		if (pthread_cond_timedwait(&job->done_cond, &job->mutex, &until) == ETIMEDOUT)
			break;
	int done = job->done;
	if (!done)
		job->abandoned = 1; /* the thread frees the job when getaddrinfo returns */
	pthread_mutex_unlock(&job->mutex);
	if (!done) {
		vmy_error_set(err, VIGIL_DB_ERR_TIMEOUT, NULL,
		              "the host name %s did not resolve within %u ms (connect timeout)", host, timeout_ms);
		return -1;
	}
	int rc = job->rc;
	for (struct addrinfo *a = job->result; rc == 0 && a; a = a->ai_next)
		if (a->ai_family == AF_INET || a->ai_family == AF_INET6)
			add_address(out, a->ai_addr);
	lookup_free(job);
	if (rc != 0 || out->count == 0) {
		vmy_error_set(err, rc == EAI_AGAIN ? VIGIL_DB_ERR_TIMEOUT : VIGIL_DB_ERR_DNS, NULL,
		              "the host name %s does not resolve: %s", host,
		              rc ? gai_strerror(rc) : "no IPv4 or IPv6 address");
		return -1;
	}
	return 0;
}
