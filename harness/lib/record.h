/* record.h - the record of one traced run: every process the program created, what each one
 * did (fork, exec, write, exit, reap), and how the run ended. Built by the tracer (trace.h),
 * read by the grader's checks and printed by record_print_tree() / record_to_json(). */
#ifndef FORKLAB_RECORD_H
#define FORKLAB_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* How a run ended. Everything from OUT_TIMEOUT on is a limit forklab enforced. */
enum outcome {
	OUT_EXITED,       /* the root exited normally and every process ended by itself */
	OUT_SIGNALED,     /* the root was killed by a signal that forklab did not send */
	OUT_TIMEOUT,      /* the wall-clock timeout expired */
	OUT_PROC_LIMIT,   /* the program kept hitting the process budget (a fork explosion) */
	OUT_OUTPUT_LIMIT, /* stdout+stderr went over --max-output */
	OUT_CPU_LIMIT,    /* a process used up its CPU time */
	OUT_MEM_LIMIT,    /* an allocation failed against the memory limit */
	OUT_LINGER,       /* descendants outlived the root by more than --linger */
	OUT_INTERRUPTED,  /* forklab itself was interrupted (SIGINT, SIGTERM) */
};

/* Stands for forklab itself where a pid is expected (reaped_by, adopted_by). */
#define REC_FORKLAB ((pid_t)-1)

struct rec_buf {
	char *data;
	size_t len, cap;
};

/* One open descriptor, as /proc showed it. */
struct rec_fd {
	int fd;
	char *target;        /* readlink of /proc/PID/fd/N: "/dev/null", "pipe:[4242]", "/tmp/x" */
	char kind;           /* 'f' file, 'p' pipe, 's' socket, 't' tty, 'n' /dev/null, 'o' other */
	char end;            /* for a pipe: 'r' read end, 'w' write end; otherwise 0 */
	unsigned long inode; /* pipe or socket inode, otherwise 0 */
	int flags;           /* open flags from /proc/PID/fdinfo/N (O_ACCMODE, O_APPEND...) */
};

struct rec_fdset {
	struct rec_fd *fds; /* sorted by fd */
	size_t n;
	bool taken;         /* false: no snapshot was taken */
};

/* One successful exec, seen once it had taken effect. */
struct rec_exec {
	double ms;
	unsigned long seq;
	char *path;        /* the path given to execve, or /proc/PID/exe for execveat */
	char **argv;       /* NULL-terminated */
	int argc;
	struct rec_fdset fds; /* open descriptors right after the exec (close-on-exec ones gone) */
};

/* One write to the captured stdout or stderr, in the order the tracer saw them complete. */
struct rec_write {
	unsigned long seq;
	double ms;
	struct rec_proc *proc;
	int stream;        /* 1 stdout, 2 stderr */
	size_t off, len;   /* bytes [off, off+len) of proc->out or proc->err */
};

/* One process (a thread group); threads are listed in it, not as processes. */
struct rec_proc {
	pid_t pid;
	char name[64];            /* tree name: P, P.1, P.1.2 (by fork order under the creator) */
	struct rec_proc *parent;  /* the creator; NULL for the root */
	struct rec_proc **children; /* in creation order */
	size_t nchildren;
	int index;                /* 1-based place among parent's children; 0 for the root */
	int depth;                /* 0 for the root */

	double forked_ms;         /* all times: ms since the run started */
	unsigned long forked_seq; /* all seqs: one counter over every recorded event of the run */
	struct rec_fdset parent_fds; /* the creator's descriptors when it forked this one (snap_fds) */

	struct rec_exec *execs;
	size_t nexecs;

	bool exited;              /* an exit was seen */
	int exit_code;            /* valid when exited and exit_signal == 0 */
	int exit_signal;          /* > 0: killed by this signal */
	bool killed_by_forklab;   /* the signal was forklab's (limit, sweep) */
	double exited_ms;
	unsigned long exited_seq;

	pid_t reaped_by;          /* the reaping process's pid, REC_FORKLAB, or 0 (never reaped) */
	struct rec_proc *reaper;  /* the reaping process's record, when it was a traced one */
	double reaped_ms;
	unsigned long reaped_seq;
	struct rec_fdset reaper_fds; /* the reaper's descriptors when it reaped this one (snap_fds) */

	bool orphaned;            /* its parent ended while it was still running (a zombie whose
				     parent ends is adopted, not orphaned: orphaned stays false
				     and adopted_by names the adopter) */
	pid_t adopted_by;         /* its new parent then: a pid, REC_FORKLAB, or 0 */
	double orphaned_ms;

	double *threads;          /* creation time of each extra thread */
	size_t nthreads;

	struct rec_buf out, err;  /* what this process wrote to the captured stdout / stderr */

	/* Its memory as it ended, read at its exit stop (the mm still there): the private dirty
	 * memory of every mapping (smaps_rollup Private_Dirty) and its minor page faults
	 * (stat). -1 when they could not be read (a process that ended by SIGKILL has no exit
	 * stop with memory). */
	long long private_dirty_kib;
	long long minflt;
	/* For a process still alive when a limit (timeout, linger...) stopped the run: the
	 * system call it sat in (e.g. "futex", "read", "wait4"; NULL when running or unknown) and
	 * its wait channel (/proc/PID/wchan, e.g. "futex_wait_queue"; NULL when none). */
	char *blocked_in;
	char *wchan;

	unsigned forks_denied;    /* forks refused with EAGAIN by the process budget */
	unsigned accepts;         /* calls to accept()/accept4() */
	unsigned kills_denied;    /* kill()s refused because they aimed outside the run */
	unsigned long stops;      /* ptrace stops of its tasks: what tracing it cost */
	bool all_writes_traced;   /* it made (or inherited) a second descriptor on the captured
				     stdout or stderr, so every write it made stopped (on
				     x86_64 otherwise only writes to fds 1 and 2 stop) */
	struct rec_fdset end_fds; /* descriptors when forklab stopped the run (still alive then) */
};

/* A regular file left in the run's scratch directory (trace_opts.collect_files). */
struct rec_file {
	char *name;               /* relative to the scratch directory, e.g. "out.txt", "sub/x" */
	char *data;               /* at most trace_opts.collect_max_kib of it */
	size_t len;
	bool truncated;           /* the file was larger than what data holds */
	int mode;                 /* permission bits, e.g. 0644 */
};

struct record {
	enum outcome outcome;
	char *detail;             /* one line on why the run ended, e.g. "linger: P.1 (1234) still alive" */
	pid_t root_pid;
	struct rec_proc *root;
	double duration_ms;
	int leftover;             /* processes still alive after the final sweep: must be 0 */

	struct rec_buf out, err;  /* everything captured, as the pipes delivered it */
	bool output_truncated;

	struct rec_proc **procs;  /* in creation order; procs[0] is the root */
	size_t nprocs;
	struct rec_write *writes;
	size_t nwrites;

	int max_alive;            /* most processes alive at once */
	unsigned forks_denied;    /* over the whole run */
	int status;               /* what `forklab run` exits with: the root's code, 128+sig, 124 */

	struct rec_file *files;   /* collect_files: the scratch directory's files after the run */
	size_t nfiles;
};

const char *outcome_name(enum outcome o);

/* Lookups. NULL when there is none. */
struct rec_proc *record_find(const struct record *r, const char *name);
/* The file name (relative to the scratch directory) kept by collect_files. */
const struct rec_file *record_file(const struct record *r, const char *name);
struct rec_proc *record_by_pid(const struct record *r, pid_t pid);

/* Formatting: the student's tree view, and the full record as JSON text (malloc'd; NULL on
 * failure). */
int record_print_tree(const struct record *r, FILE *out, bool color);
/* The tree as `forklab run` shows it. */
struct tree_opts {
	bool color;           /* ANSI colours */
	bool separator;       /* a rule line first, so the tree stands apart from the output */
	bool fds;             /* under each process, descriptors 0-9 at each exec (pipes numbered)
	                         and, for a process still alive when the run was stopped, what it
	                         held then */
	bool timeline;        /* after the summary, one lane per process, time across */
	bool memory;          /* each process's private dirty memory and minor faults, as it
	                         ended (when the record has them: forklab run --memory) */
	int width;            /* lines are wrapped to this many columns (default 100) */
	pid_t forklab_pid;    /* named beside "forklab" as adopter and reaper (0: not shown) */
	double zombie_ms;     /* a zombie time is shown from this long (default 50 ms); from ten
	                         times that (500 ms) it is marked "(long)" and, in colour, red */
	bool zombies;         /* every reaped process's zombie time, and when it was reaped,
	                         whatever its length */
};
void tree_opts_init(struct tree_opts *o);
int record_print_tree_opts(const struct record *r, FILE *out, const struct tree_opts *o);
char *record_to_json(const struct record *r);
struct json_t;
struct json_t *record_to_jansson(const struct record *r);

void record_free(struct record *r);

#endif
