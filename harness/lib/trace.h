/* trace.h - run a program under ptrace, within limits, and return its record (record.h).
 * The library never exits and never prints: errors come back as -1 and a message. */
#ifndef FORKLAB_TRACE_H
#define FORKLAB_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "record.h"

/* A file copied into the run's scratch directory before the program starts. Neither src's last
 * component nor anything under the scratch directory is followed when it is a link. */
struct trace_stage {
	const char *src;    /* path readable by forklab */
	const char *dst;    /* relative to the scratch directory, e.g. "bin/exit_with" */
	int mode;           /* e.g. 0755 */
	int dirfd;          /* when > 2: src is a name in this open directory (openat) */
};

struct trace_ctl;
/* Runs in its own thread while the program runs (e.g. lab 08's HTTP client); the run ends only
 * after it returns. Must not call ptrace or wait for the traced processes. */
typedef int (*trace_driver_fn)(struct trace_ctl *ctl, void *arg);

struct trace_opts {
	char *const *argv;       /* argv[0] is the program's path; NULL-terminated */
	int exe_fd;              /* when > 2: the program, an open descriptor (O_PATH will do),
	                            executed as it is; argv[0] is then only the name it is given */
	const char *stdin_path;  /* NULL: /dev/null */
	const char *stdin_data;  /* or: these bytes (NUL-terminated) as stdin, through a file */
	double timeout_s;        /* wall clock; default 10 */
	double cpu_s;            /* per process; default: the timeout */
	double linger_s;         /* how long descendants may outlive the root; < 0: until timeout */
	size_t mem_mib;          /* address space per process; default 1024 */
	size_t max_output_kib;   /* stdout+stderr; default 1024 */
	size_t fsize_mib;        /* largest file it may write; default 64 */
	int nofile;              /* open files; default 256 */
	int max_procs;           /* processes alive at once; default 64 */
	int max_threads;         /* extra threads alive at once over the run; default 256 */
	const struct trace_stage *stage;
	size_t nstage;
	const char *const *env;  /* extra "NAME=value" entries, NULL-terminated, or NULL */
	bool snap_fds;           /* record descriptor tables at each fork and each reap */
	bool untraced;           /* the same sandbox, limits, pipes, timeout and driver, but no
	                            ptrace and no seccomp filter: for measuring what tracing
	                            costs, and for the compiler the grader runs on students'
	                            sources. The record then knows the root process only, and
	                            the root's process group is killed when the root ends */
	bool confine_fs;         /* Landlock, where the kernel has it: the program may read and
	                            execute only the system's files (/usr, /lib*, /bin, /sbin,
	                            /etc), /proc, a few devices, its scratch directory (also its
	                            TMPDIR) and itself: for the grader's compiler and lab runs */
	double hold_children_ms; /* > 0: a new process (not a thread, not a vfork child) is held
	                            at its first stop until its parent has died or calls wait4 or
	                            waitid, or for this long at most: it runs only once its parent
	                            could have ended, an order a busy machine may choose (a child
	                            that reads getppid() right after fork() then sees its
	                            adopter). 0: off; at most 10000 */
	double merge_sigchld_ms; /* > 0: the first SIGCHLD a process is sent while another of its
	                            children still runs waits, the process stopped before its
	                            handler runs, until another child has ended, or for this long
	                            at most: the two endings then come as one signal, as when a
	                            busy machine runs the parent late (a handler that reaps one
	                            child per signal leaves a zombie). 0: off; at most 10000 */
	bool all_cpus;           /* let the program use every CPU; by default it shares the
	                            tracer's CPU, which makes each ptrace stop much cheaper */
	bool mem_at_exit;        /* read every process's memory figures at its exit
	                            (rec_proc.private_dirty_kib, minflt); without it only
	                            processes holding a mapping of 1 MiB or more are read */
	bool stdout_pty;         /* the program's stdout is a pseudo-terminal (forklab reads and
	                            records what it writes there as stdout; stderr stays a
	                            pipe): isatty(1) is true, stdio line-buffers */
	bool collect_files;      /* keep the scratch directory's regular files in record->files
	                            (read just before the directory is removed) */
	size_t collect_max_kib;  /* of each such file; default 1024 (the rest is cut, flagged);
	                            16 MiB of them all, or this when larger */
	trace_driver_fn driver;
	void *driver_arg;
	/* Called in the tracer's thread with each piece of captured output as it is read, stream 1
	 * or 2, in the order the writes were made, within the output cap. It must not block: the
	 * run's limits wait while it runs. */
	void (*on_output)(int stream, const char *data, size_t len, void *arg);
	void *on_output_arg;
};

/* Sets every field to its default. */
void trace_opts_init(struct trace_opts *o);

/* Runs o->argv under the tracer. One run at a time per process (calls are serialized): the
 * tracer waits for any child of the calling process, so run nothing else concurrently (use
 * trace_ctl_spawn from a driver). SIGCHLD, SIGINT and SIGTERM are blocked in the calling thread
 * during the run (SIGINT/SIGTERM end it as "interrupted") and restored after it. On success returns 0 and stores a record the caller frees with
 * record_free(). On failure (cannot fork, ptrace forbidden, bad options) returns -1 and writes
 * one line into err. A limit hit is not a failure: it is the record's outcome. */
int trace_run(const struct trace_opts *o, struct record **out, char *err, size_t errlen);

/* True when this machine lets forklab trace (ptrace and seccomp usable); otherwise false with the
 * reason in err. */
bool trace_supported(char *err, size_t errlen);

/* For drivers. All are safe to call from the driver thread. */
/* Waits until the captured stream (1 or 2) holds a complete line containing needle; copies that
 * line (without '\n') into line. 0 on success, -1 on timeout or end of run. The search starts
 * after the line the previous successful call on that stream returned, so consecutive calls
 * walk forward through the output. */
int trace_ctl_wait_line(struct trace_ctl *c, int stream, const char *needle, double timeout_s,
			char *line, size_t linelen);
/* Sends sig to the root process. */
int trace_ctl_signal_root(struct trace_ctl *c, int sig);
/* Starts a helper program (e.g. curl) outside the traced tree, its stdout to out_fd (or -1 for
 * /dev/null); then waits for it. The tracer reaps it and hands its status over. */
pid_t trace_ctl_spawn(struct trace_ctl *c, char *const argv[], int out_fd);
int trace_ctl_wait_helper(struct trace_ctl *c, pid_t pid, double timeout_s, int *status);
/* True once every traced process has ended or the run was stopped. */
bool trace_ctl_done(struct trace_ctl *c);
/* Milliseconds since the run started, on the record's clock. */
double trace_ctl_now_ms(struct trace_ctl *c);

#endif
