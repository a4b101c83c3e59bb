/* seccomp_filter.h - the seccomp-bpf filter forklab installs in the traced program: it stops
 * (SECCOMP_RET_TRACE) only on the calls the tracer must see, and refuses the escapes. */
#ifndef FORKLAB_SECCOMP_FILTER_H
#define FORKLAB_SECCOMP_FILTER_H

#include <linux/filter.h>

/* The SECCOMP_RET_DATA of forklab's TRACE rules; a stop with other data comes from a filter
 * the program installed itself. */
#define FILTER_TRACE_DATA 0x0f1b

/* Anonymous mmap and mremap stop only when asking for at least this much: what a growing
 * program asks for near the memory limit (malloc's large blocks, and its fallback once brk
 * fails), not what the loader maps from files at every exec. */
#define FILTER_BIG_MAP (1ULL << 20)

/* On x86_64, writes stop only on descriptors 1 and 2 (and the calls that can make another
 * descriptor point where those do stop instead); a process that makes such an alias gets
 * fallback_program() stacked in by the tracer (trace_sys.c). Elsewhere every write stops. */
#if defined(__x86_64__)
#define FILTER_FD_WRITES 1
#endif

/* Builds the filter once (thread-safe) and returns it, or NULL with a reason in err. The
 * program stays valid for the life of the process; a forked child installs it with
 * filter_install() without allocating. */
const struct sock_fprog *filter_program(char *err, size_t errlen);

/* The filter that makes every write of a process stop (NULL if the filters could not be
 * built): for the tracer to stack into a process, never installed by forklab itself. */
const struct sock_fprog *fallback_program(void);

/* In the child: no_new_privs, then the filter. Returns 0 or -1 with errno. */
int filter_install(const struct sock_fprog *prog);

#endif
