/* procfs.h - what forklab reads from /proc about a traced process: its descriptor table, its
 * parent, its memory, and the scan that finds processes left over after a run. */
#ifndef FORKLAB_PROCFS_H
#define FORKLAB_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "record.h"

/* Snapshot of /proc/PID/fd (readlink) + /proc/PID/fdinfo (flags), sorted by fd. 0 on success
 * (s->taken set); -1 when the process is gone or unreadable (s left empty, not taken). */
int procfs_read_fds(pid_t pid, struct rec_fdset *s);

/* Classifies a readlink target into a rec_fd kind ('p', 's', 'n', 't', 'f', 'o'). */
char procfs_fd_kind(const char *target);

/* The inode of "pipe:[N]" / "socket:[N]", else 0. */
unsigned long procfs_link_inode(const char *target);

/* Where descriptor fd of pid points (readlink), into buf. -1 when unreadable. */
int procfs_fd_target(pid_t pid, int fd, char *buf, size_t len);

/* Fields of /proc/PID/stat: parent pid, process group, state letter. -1 when gone. */
int procfs_stat(pid_t pid, pid_t *ppid, pid_t *pgrp, char *state);
/* When the process started, in clock ticks since boot (field 22 of /proc/PID/stat); 0 when
 * gone. */
unsigned long long procfs_starttime(pid_t pid);

/* Thread group id of a task (from /proc/TID/status), or -1. */
pid_t procfs_tgid(pid_t tid);

/* Virtual memory size now (statm) and peak (status VmPeak), in bytes. -1 when gone. */
long long procfs_vmsize(pid_t pid);
/* Minor page faults so far (stat), and private dirty memory in KiB (smaps_rollup). -1 when
 * gone. */
long long procfs_minflt(pid_t pid);
long long procfs_private_dirty_kib(pid_t pid);
/* The system call the task is blocked in (/proc/PID/syscall), or -1 when it runs, is in user
 * space or cannot be read. Its wait channel into buf; -1 when none. */
int procfs_syscall_nr(pid_t pid);
int procfs_wchan(pid_t pid, char *buf, size_t len);
long long procfs_vmpeak(pid_t pid);


/* The parsers behind the readers, on a file's text (NUL-terminated): for tests and fuzzing. */
struct procfs_statline {
	char state;
	pid_t ppid, pgrp;
	unsigned long long minflt; /* minor page faults; 0 when the line is too short */
	unsigned long long start; /* 0 when the line is too short to hold it */
};
int procfs_parse_stat(const char *buf, struct procfs_statline *sl);  /* /proc/PID/stat: 0 or -1 */
long long procfs_parse_field(const char *buf, const char *key);      /* status "Key:", or -1 */
int procfs_parse_flags(const char *fdinfo);                          /* fdinfo "flags:", or -1 */

/* /proc/PID/stat read once, with the owner of the file (the process's euid while it is
 * dumpable, as forklab keeps the run's processes; uid may be NULL): 0, or -1 when the process
 * is gone. */
int procfs_stat_owner(pid_t pid, struct procfs_statline *sl, uid_t *uid);

/* Calls fn(pid, arg) for every process in /proc. */
void procfs_each_pid(void (*fn)(pid_t pid, void *arg), void *arg);

#endif
