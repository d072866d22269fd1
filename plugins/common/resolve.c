/*
 * resolve.c — host name lookup with a deadline (see driver_common.h for why). The caller and
 * the lookup thread share a job; whoever is done with it last frees it: the caller when the
 * answer came in time, else the thread when getaddrinfo finally returns.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "driver_common.h"

typedef struct lookup {
	pthread_mutex_t mutex;
	pthread_cond_t done_cond;
	int done;
	int abandoned;
	int rc;
	struct addrinfo *result;
	char host[];
} lookup;

long long vdc_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vdc_is_numeric_address(const char *host)
{
	struct in_addr v4;
	struct in6_addr v6;
	return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1;
}

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

/* Starts the lookup on a detached thread; NULL when memory or a thread is not to be had. */
static lookup *lookup_start(const char *host)
{
	size_t n = strlen(host);
	lookup *job = calloc(1, sizeof *job + n + 1);
	if (!job)
		return NULL;
	memcpy(job->host, host, n + 1);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* the deadline's clock */
	int ok = pthread_mutex_init(&job->mutex, NULL) == 0;
	if (ok && pthread_cond_init(&job->done_cond, &attr) != 0) {
		pthread_mutex_destroy(&job->mutex);
		ok = 0;
	}
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

/* Waits until the deadline: 1 done, 0 timed out (the job is then the thread's to free). */
static int lookup_wait(lookup *job, long long deadline_ms)
{
	struct timespec until = { (time_t)(deadline_ms / 1000), (long)(deadline_ms % 1000) * 1000000L };
	pthread_mutex_lock(&job->mutex);
	while (!job->done)
		if (pthread_cond_timedwait(&job->done_cond, &job->mutex, &until) == ETIMEDOUT)
			break;
	int done = job->done;
	if (!done)
		job->abandoned = 1;
	pthread_mutex_unlock(&job->mutex);
	return done;
}

static void add_address(vdc_addresses *out, const struct addrinfo *ai)
{
	char numeric[VDC_NUMERIC_HOST];
	if (out->count >= VDC_MAX_ADDRESSES || (ai->ai_family != AF_INET && ai->ai_family != AF_INET6))
		return;
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, numeric, sizeof numeric, NULL, 0,
	                NI_NUMERICHOST) != 0)
		return;
	for (size_t i = 0; i < out->count; i++)
		if (strcmp(out->text[i], numeric) == 0)
			return;
	memcpy(out->text[out->count++], numeric, sizeof numeric);
}

vdc_resolve_status vdc_resolve(const char *host, long long deadline_ms, vdc_addresses *out,
                               int *gai_rc)
{
	out->count = 0;
	if (gai_rc)
		*gai_rc = 0;
	lookup *job = lookup_start(host);
	if (!job)
		return VDC_RESOLVE_NO_START;
	if (!lookup_wait(job, deadline_ms))
		return VDC_RESOLVE_TIMEOUT;
	int rc = job->rc;
	for (const struct addrinfo *ai = job->result; rc == 0 && ai; ai = ai->ai_next)
		add_address(out, ai);
	lookup_free(job);
	if (gai_rc)
		*gai_rc = rc;
	return rc == 0 && out->count > 0 ? VDC_RESOLVED : VDC_RESOLVE_FAILED;
}
