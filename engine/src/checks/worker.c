/* worker.c — database checks in worker processes: fork, stream, deadlines, reaping. */
#define _GNU_SOURCE /* pipe2 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_LEAK_CHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_LEAK_CHECK 1
#endif
#endif
#if defined(VIGIL_LEAK_CHECK)
#include <sanitizer/lsan_interface.h>
#endif

#include "check_db.h"
#include "check_result.h"
#include "clock.h"
#include "worker.h"
#include "write_all.h"

#define FRAME_MAX (64u * 1024u * 1024u) /* a result larger than this is a protocol error */
#define EXIT_GRACE_MS 1000.0            /* a worker that closed its pipe must be gone by then */

/* What every database's run shares. */
typedef struct run_env {
	const vg_worker_options *opt;
	vigil_report *report;
	vg_check_env check_env;
	vg_plan plan;
	const vigil_plugin_desc *const *plugins;
	size_t plugin_count;
	pid_t parent;
} run_env;

/* One database: its checks' records and, while it runs, its worker. */
typedef struct db_job {
	const vg_database *db;
	size_t rec0;        /* level-3 record of its first check */
	int *status;        /* per plan check: vigil_status, -1 while unknown */
	size_t next;        /* the first check without a result */
	pid_t pid;          /* running worker, or 0 */
	int fd;             /* read end of its pipe, or -1 */
	unsigned char *buf; /* bytes read, not yet a whole frame */
	size_t len, cap;
	double check_t0; /* when the time of check `next` started */
} db_job;

const char *vg_signal_describe(int sig, char *buf, size_t size)
{
	static const struct {
		int sig;
		const char *name, *what;
	} names[] = {
		{ SIGSEGV, "SIGSEGV", "segmentation fault" },
		{ SIGABRT, "SIGABRT", "aborted" },
		{ SIGBUS, "SIGBUS", "bus error" },
		{ SIGFPE, "SIGFPE", "floating-point exception" },
		{ SIGILL, "SIGILL", "illegal instruction" },
		{ SIGTRAP, "SIGTRAP", "trace/breakpoint trap" },
		{ SIGSYS, "SIGSYS", "bad system call" },
		{ SIGKILL, "SIGKILL", "killed" },
		{ SIGTERM, "SIGTERM", "terminated" },
		{ SIGINT, "SIGINT", "interrupted" },
		{ SIGPIPE, "SIGPIPE", "broken pipe" },
		{ SIGXCPU, "SIGXCPU", "CPU time limit exceeded" },
		{ SIGXFSZ, "SIGXFSZ", "file size limit exceeded" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].sig == sig) {
			snprintf(buf, size, "%s (%s)", names[i].name, names[i].what);
			return buf;
		}
	}
	snprintf(buf, size, "signal %d", sig);
	return buf;
}

/* ------------------------------------------------------------------ the worker (child) */

static int send_frame(int fd, const cJSON *msg)
{
	char *text = cJSON_PrintUnformatted(msg);
	if (!text)
		return -1;
	size_t n = strlen(text);
	uint32_t len = (uint32_t)n;
	int rc = -1;
	if (n < FRAME_MAX && vg_write_all(fd, &len, sizeof len) == 0 &&
	    vg_write_all(fd, text, n) == 0)
		rc = 0;
	cJSON_free(text);
	return rc;
}

/* host->log inside a worker: a log frame to the parent. */
static void worker_log(void *payload, const char *check, int severity, const char *message)
{
	cJSON *msg = cJSON_CreateObject();
	if (msg && cJSON_AddStringToObject(msg, "t", "log") &&
	    (!check || cJSON_AddStringToObject(msg, "check", check)) &&
	    cJSON_AddNumberToObject(msg, "severity", severity) &&
	    cJSON_AddStringToObject(msg, "message", message))
		send_frame(*(const int *)payload, msg);
	cJSON_Delete(msg);
}

/* The worker's process state: its own group (so a timeout kills whatever the check
 * started), gone with the parent, stdin/stdout on /dev/null, default signal dispositions
 * (a crash must show as the signal that caused it). */
static int worker_setup(const run_env *env, int *fd)
{
	setpgid(0, 0);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if (getppid() != env->parent)
		return -1;
	if (*fd <= STDERR_FILENO) { /* keep the protocol off the standard descriptors */
		int moved = fcntl(*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		if (moved < 0)
			return -1;
		*fd = moved;
	}
	int devnull = open("/dev/null", O_RDWR);
	if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDOUT_FILENO) < 0)
		return -1;
	if (devnull > STDERR_FILENO)
		close(devnull);
	static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP };
	for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
		signal(crash_signals[i], SIG_DFL);
	signal(SIGPIPE, SIG_IGN); /* a vanished parent shows as a failed write */
	signal(SIGINT, SIG_DFL);  /* the CLI's handlers (during healing) are the parent's */
	signal(SIGTERM, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	return 0;
}

static void thread_hooks_init(const run_env *env, int *thread_rc)
{
	for (size_t p = 0; p < env->plugin_count; p++)
		thread_rc[p] = env->plugins[p]->thread_init
		                       ? env->plugins[p]->thread_init(env->check_env.host)
		                       : 0;
}

static void thread_hooks_fini(const run_env *env, const int *thread_rc)
{
	for (size_t p = env->plugin_count; p-- > 0;)
		if (thread_rc[p] == 0 && env->plugins[p]->thread_fini)
			env->plugins[p]->thread_fini(env->check_env.host);
}

/* validation.performance.clients, the benchmarks' default client count (0: not given). */
static unsigned performance_clients(const run_env *env)
{
	const vg_node *perf =
	        vg_map_get(vg_map_get(env->check_env.root, "validation"), "performance");
	const char *clients = vg_scalar(vg_map_get(perf, "clients"));
	long n = clients ? strtol(clients, NULL, 10) : 0;
	return n > 0 && n < 100000 ? (unsigned)n : 0;
}

/*
 * In a sanitizer build, LeakSanitizer looks at the worker too before it ends (_exit skips
 * the check it makes at exit): its report goes to the worker's stderr, which is vigil's, and
 * the exit status is non-zero. Elsewhere 0.
 */
static int worker_leak_check(void)
{
#if defined(VIGIL_LEAK_CHECK)
	return __lsan_do_recoverable_leak_check() ? 23 : 0;
#else
	return 0;
#endif
}

/* Runs the job's checks from `next` on, streaming each result; never returns. */
static void worker_main(run_env *env, db_job *job, int fd) __attribute__((noreturn));
static void worker_main(run_env *env, db_job *job, int fd)
{
	if (worker_setup(env, &fd) != 0)
		_exit(70);
	env->check_env.log_sink = worker_log;
	env->check_env.log_payload = &fd;
	int *thread_rc = calloc(env->plugin_count ? env->plugin_count : 1, sizeof *thread_rc);
	if (!thread_rc)
		_exit(71);
	thread_hooks_init(env, thread_rc);
	/* The database is opened here, in the worker: a driver that crashes takes down only it. */
	env->check_env.check_db = vg_check_db_new(env->check_env.host, env->opt->plugins, job->db,
	                                          performance_clients(env), env->opt->timeout_ms);
	for (size_t i = job->next; i < env->plan.count; i++) {
		const vg_plan_check *pc = &env->plan.checks[i];
		cJSON *res = vg_check_run(&env->check_env, &env->plan, i, job->db, job->status,
		                          thread_rc[pc->plugin_index]);
		if (!res || send_frame(fd, res) != 0)
			_exit(72);
		job->status[i] = (int)cJSON_GetObjectItemCaseSensitive(res, "status")->valuedouble;
		cJSON_Delete(res);
	}
	vg_check_db_free(env->check_env.check_db); /* closes connections politely */
	thread_hooks_fini(env, thread_rc);
	free(thread_rc);
	_exit(worker_leak_check()); /* no atexit handlers, no stdio flush: the parent's */
}

/* ------------------------------------------------------------------ the parent */

static void kill_worker(db_job *job)
{
	kill(-job->pid, SIGKILL); /* its process group: whatever the check started */
	kill(job->pid, SIGKILL);  /* in case it had not made its group yet */
}

/* Waits for the worker to end; kills it when it outlives `grace_ms`. -1: status unknown. */
static int reap_worker(db_job *job, double grace_ms)
{
	int wstatus = 0;
	double until = vg_now_ms() + grace_ms;
	pid_t r;
	for (;;) {
		r = waitpid(job->pid, &wstatus, grace_ms > 0 ? WNOHANG : 0);
		if (r == job->pid || (r < 0 && errno != EINTR))
			break;
		if (r == 0 && vg_now_ms() >= until) {
			kill_worker(job);
			grace_ms = 0; /* now wait for it */
			continue;
		}
		if (r == 0) {
			struct timespec ts = { 0, 2 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	kill(-job->pid, SIGKILL); /* whatever the check started and left behind in its group */
	if (job->fd >= 0)
		close(job->fd);
	job->fd = -1;
	job->pid = 0;
	job->len = 0;
	return r == -1 ? -1 : wstatus;
}

static size_t job_rec(const db_job *job)
{
	return job->rec0 + job->next;
}

/* The running check's error, with its finding; the job's next check is the one after it. */
static int record_and_advance(run_env *env, db_job *job, vg_code code, const char *reason)
{
	double now = vg_now_ms();
	if (job->next >= env->plan.count)
		return VIGIL_OK;
	int rc =
	        vg_check_record_error(env->report, job_rec(job), code, reason, now - job->check_t0);
	job->status[job->next++] = VIGIL_STATUS_ERROR;
	job->check_t0 = now;
	return rc;
}

static int spawn_worker(run_env *env, db_job *job)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL); /* a check calling exit() must not write the parent's buffers twice */
	pid_t pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		worker_main(env, job, fds[1]);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	job->pid = pid;
	job->fd = fds[0];
	job->len = 0;
	job->check_t0 = vg_now_ms();
	return 0;
}

static void deliver_log(run_env *env, db_job *job, const cJSON *msg)
{
	const cJSON *check = cJSON_GetObjectItemCaseSensitive(msg, "check");
	const cJSON *sev = cJSON_GetObjectItemCaseSensitive(msg, "severity");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(msg, "message");
	if (env->opt->log && cJSON_IsString(text))
		env->opt->log(env->opt->log_payload, job->db->name,
		              cJSON_IsString(check) ? check->valuestring : NULL,
		              cJSON_IsNumber(sev) ? sev->valueint : VIGIL_PLUGIN_INFO,
		              text->valuestring);
}

/* One frame: a result for check `next`, or a log line. VIGIL_EINVAL: protocol error. */
static int handle_frame(run_env *env, db_job *job, const char *data, size_t n)
{
	cJSON *msg = cJSON_ParseWithLength(data, n);
	if (!msg)
		return VIGIL_EINVAL;
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(msg, "t");
	const cJSON *index = cJSON_GetObjectItemCaseSensitive(msg, "i");
	int rc = VIGIL_EINVAL;
	if (cJSON_IsString(type) && strcmp(type->valuestring, "log") == 0) {
		deliver_log(env, job, msg);
		rc = VIGIL_OK;
	} else if (cJSON_IsString(type) && strcmp(type->valuestring, "result") == 0 &&
	           cJSON_IsNumber(index) && index->valuedouble == (double)job->next &&
	           job->next < env->plan.count) {
		int status;
		rc = vg_check_apply(env->report, job_rec(job), msg, &status);
		if (rc == VIGIL_OK) {
			job->status[job->next++] = status;
			job->check_t0 = vg_now_ms();
		}
	}
	cJSON_Delete(msg);
	return rc;
}

/* Reads what the worker sent. 1: end of stream, 0: more to come, <0: error. */
static int drain(run_env *env, db_job *job)
{
	for (;;) {
		if (job->cap - job->len < 65536) {
			size_t cap = job->cap ? job->cap * 2 : 65536;
			unsigned char *grown = realloc(job->buf, cap);
			if (!grown)
				return VIGIL_ENOMEM;
			job->buf = grown;
			job->cap = cap;
		}
		ssize_t r = read(job->fd, job->buf + job->len, job->cap - job->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (r <= 0)
			return 1;
		job->len += (size_t)r;
		while (job->len >= 4) {
			uint32_t n;
			memcpy(&n, job->buf, sizeof n);
			if (n >= FRAME_MAX)
				return VIGIL_EINVAL;
			if (job->len < 4 + (size_t)n)
				break;
			int rc = handle_frame(env, job, (const char *)job->buf + 4, n);
			if (rc != VIGIL_OK)
				return rc;
			memmove(job->buf, job->buf + 4 + n, job->len - 4 - n);
			job->len -= 4 + (size_t)n;
		}
	}
}

/* The worker closed its pipe: it finished, or died before reporting check `next`. */
static int worker_ended(run_env *env, db_job *job)
{
	int finished = job->next >= env->plan.count;
	int wstatus = reap_worker(job, finished ? EXIT_GRACE_MS : EXIT_GRACE_MS / 4);
	if (finished)
		return VIGIL_OK;
	char reason[256], sig[64];
	if (wstatus != -1 && WIFSIGNALED(wstatus))
		snprintf(reason, sizeof reason, "the check crashed: %s",
		         vg_signal_describe(WTERMSIG(wstatus), sig, sizeof sig));
	else if (wstatus != -1 && WIFEXITED(wstatus))
		snprintf(reason, sizeof reason,
		         "the check crashed: its worker exited with status %d before the check "
		         "reported (the check called exit(), or a sanitizer stopped it)",
		         WEXITSTATUS(wstatus));
	else
		snprintf(reason, sizeof reason,
		         "the check crashed: its worker ended before the check "
		         "reported");
	return record_and_advance(env, job, VG_RUN_CHECK_CRASHED, reason);
}

static int worker_timed_out(run_env *env, db_job *job)
{
	kill_worker(job);
	reap_worker(job, 0);
	char reason[160];
	snprintf(reason, sizeof reason,
	         "the check did not finish within %u ms; its worker was killed",
	         env->opt->timeout_ms);
	return record_and_advance(env, job, VG_RUN_CHECK_TIMEOUT, reason);
}

static int worker_garbled(run_env *env, db_job *job)
{
	kill_worker(job);
	reap_worker(job, 0);
	return record_and_advance(env, job, VG_RUN_WORKER_LOST,
	                          "the check's worker sent a malformed result (protocol error)");
}

/* Starts a worker for the job's remaining checks; a failure to start errs them all. */
static int start_job(run_env *env, db_job *job)
{
	if (spawn_worker(env, job) == 0)
		return VIGIL_OK;
	char reason[200];
	snprintf(reason, sizeof reason, "could not start a worker process: %s", strerror(errno));
	int rc = VIGIL_OK;
	job->check_t0 = vg_now_ms();
	while (rc == VIGIL_OK && job->next < env->plan.count)
		rc = record_and_advance(env, job, VG_RUN_WORKER_LOST, reason);
	return rc;
}

static int poll_timeout(const run_env *env, const db_job *jobs, size_t count, double now)
{
	double wait = 60000;
	for (size_t j = 0; j < count; j++) {
		if (!jobs[j].pid)
			continue;
		double left = jobs[j].check_t0 + env->opt->timeout_ms - now;
		if (left < wait)
			wait = left;
	}
	return wait <= 0 ? 0 : (int)wait + 1;
}

/* One worker's event: data, end of stream, or its deadline. */
static int service_job(run_env *env, db_job *job, int readable)
{
	double deadline = job->check_t0 + env->opt->timeout_ms;
	/* At the deadline, read first: the result may have arrived just now. */
	int d = readable || vg_now_ms() >= deadline ? drain(env, job) : 0;
	if (d == 1)
		return worker_ended(env, job);
	if (d == VIGIL_EINVAL)
		return worker_garbled(env, job);
	if (d < 0)
		return d;
	if (job->next >= env->plan.count) { /* every result is in: the worker is exiting */
		reap_worker(job, EXIT_GRACE_MS);
		return VIGIL_OK;
	}
	if (vg_now_ms() >= job->check_t0 + env->opt->timeout_ms)
		return worker_timed_out(env, job);
	return VIGIL_OK;
}

static int run_isolated(run_env *env, db_job *jobs, size_t count)
{
	struct pollfd *pfds = calloc(count, sizeof *pfds);
	size_t *owner = calloc(count, sizeof *owner);
	int rc = pfds && owner ? VIGIL_OK : VIGIL_ENOMEM;
	unsigned max_running = env->opt->jobs ? env->opt->jobs : 1;
	while (rc == VIGIL_OK) {
		size_t running = 0;
		for (size_t j = 0; j < count; j++)
			running += jobs[j].pid != 0;
		for (size_t j = 0; j < count && running < max_running && rc == VIGIL_OK; j++) {
			if (jobs[j].pid || jobs[j].next >= env->plan.count)
				continue;
			rc = start_job(env, &jobs[j]);
			running += jobs[j].pid != 0;
		}
		if (rc != VIGIL_OK || running == 0)
			break;
		nfds_t n = 0;
		for (size_t j = 0; j < count; j++) {
			if (jobs[j].pid) {
				pfds[n] = (struct pollfd){ .fd = jobs[j].fd, .events = POLLIN };
				owner[n++] = j;
			}
		}
		int ready = poll(pfds, n, poll_timeout(env, jobs, count, vg_now_ms()));
		if (ready < 0 && errno != EINTR) {
			rc = VIGIL_EINTERNAL;
			break;
		}
		for (nfds_t k = 0; k < n && rc == VIGIL_OK; k++)
			rc = service_job(env, &jobs[owner[k]],
			                 ready > 0 &&
			                         (pfds[k].revents & (POLLIN | POLLHUP | POLLERR)));
	}
	/* On an error of our own, no worker may outlive the call. */
	for (size_t j = 0; j < count; j++) {
		if (jobs[j].pid) {
			kill_worker(&jobs[j]);
			reap_worker(&jobs[j], 0);
		}
	}
	free(pfds);
	free(owner);
	return rc;
}

/* host->log in-process: straight to the engine's callback. */
typedef struct inproc_log {
	const vg_worker_options *opt;
	const char *database;
} inproc_log;

static void inproc_log_sink(void *payload, const char *check, int severity, const char *message)
{
	const inproc_log *l = payload;
	if (l->opt->log)
		l->opt->log(l->opt->log_payload, l->database, check, severity, message);
}

static int run_in_process(run_env *env, db_job *jobs, size_t count)
{
	int *thread_rc = calloc(env->plugin_count ? env->plugin_count : 1, sizeof *thread_rc);
	if (!thread_rc)
		return VIGIL_ENOMEM;
	int rc = VIGIL_OK;
	for (size_t j = 0; j < count && rc == VIGIL_OK; j++) {
		db_job *job = &jobs[j];
		inproc_log log = { env->opt, job->db->name };
		env->check_env.log_sink = inproc_log_sink;
		env->check_env.log_payload = &log;
		thread_hooks_init(env, thread_rc);
		env->check_env.check_db = vg_check_db_new(env->check_env.host, env->opt->plugins,
		                                          job->db, performance_clients(env),
		                                          env->opt->timeout_ms);
		for (; job->next < env->plan.count && rc == VIGIL_OK;) {
			size_t i = job->next;
			cJSON *res = vg_check_run(&env->check_env, &env->plan, i, job->db,
			                          job->status,
			                          thread_rc[env->plan.checks[i].plugin_index]);
			int status = VIGIL_STATUS_ERROR;
			rc = res ? vg_check_apply(env->report, job_rec(job), res, &status)
			         : VIGIL_ENOMEM;
			cJSON_Delete(res);
			job->status[job->next++] = status;
		}
		vg_check_db_free(env->check_env.check_db);
		env->check_env.check_db = NULL;
		thread_hooks_fini(env, thread_rc);
	}
	free(thread_rc);
	return rc;
}

/* One record per database and check, made before anything runs: results then fill them by
 * index, whatever order they arrive in, and the report's order stays deterministic. */
static int make_jobs(run_env *env, const vg_blueprint *bp, vg_arena *arena, db_job *jobs)
{
	for (size_t d = 0; d < bp->database_count; d++) {
		db_job *job = &jobs[d];
		job->db = &bp->databases[d];
		job->fd = -1;
		job->rec0 = env->report->levels[2].check_count;
		job->status = vg_arena_array(arena, env->plan.count, sizeof *job->status);
		if (!job->status)
			return VIGIL_ENOMEM;
		for (size_t i = 0; i < env->plan.count; i++) {
			job->status[i] = -1;
			vg_check_rec *rec = vg_report_add_check(
			        env->report, 3, env->plan.checks[i].def->name, job->db->name);
			if (!rec)
				return VIGIL_ENOMEM;
			rec->status = VIGIL_STATUS_ERROR;
			rec->reason = "the check did not run";
		}
	}
	return VIGIL_OK;
}

int vg_run_database_checks(const vigil_check_ctx *base, const vigil_plugin_desc *const *plugins,
                           size_t plugin_count, const vg_worker_options *options)
{
	const vg_blueprint *bp = base->blueprint;
	if (!bp || bp->database_count == 0 || plugin_count == 0)
		return VIGIL_OK;
	vg_arena *arena = vg_arena_new();
	db_job *jobs = calloc(bp->database_count, sizeof *jobs);
	run_env env = {
		.opt = options,
		.report = base->report,
		.check_env = { .host = options->host,
		               .blueprint = bp,
		               .root = base->root,
		               .timeout_ms = options->timeout_ms },
		.plugins = plugins,
		.plugin_count = plugin_count,
		.parent = getpid(),
	};
	int rc = arena && jobs ? vg_plan_make(&env.plan, arena, plugins, plugin_count)
	                       : VIGIL_ENOMEM;
	if (rc == VIGIL_OK)
		rc = make_jobs(&env, bp, arena, jobs);
	if (rc == VIGIL_OK && env.plan.count > 0)
		rc = options->isolate ? run_isolated(&env, jobs, bp->database_count)
		                      : run_in_process(&env, jobs, bp->database_count);
	for (size_t d = 0; jobs && d < bp->database_count; d++)
		free(jobs[d].buf);
	free(jobs);
	vg_arena_free(arena);
	return rc;
}
