/* filter_only.c - for benchmarks (c), (c') and (e): runs PROGRAM under a seccomp filter that
 * allows every call (libseccomp's, with no rule), and no tracer at all. What it costs is the
 * price any tracer that relies on a seccomp filter pays on each system call, before doing
 * anything itself.
 * With --write-check, the filter also compares write's descriptor with one that no program
 * uses (2147483647, which write refuses with EBADF anyway, as the rule does): nothing changes
 * for the program, but the kernel can no longer answer write from its per-call cache and runs
 * the filter at every write — the floor for any filter that decides by descriptor, as forklab's
 * does.
 * Usage: filter_only [--write-check] PROGRAM [ARG...] */
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int first = 1;
	if (argc > 1 && strcmp(argv[1], "--write-check") == 0)
		first = 2;
	if (argc <= first || argv[first][0] == '-') {
		fprintf(stderr, "usage: filter_only [--write-check] PROGRAM [ARG...]\n");
		return 2;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		fprintf(stderr, "filter_only: seccomp_init failed\n");
		return 2;
	}
	int rc = 0;
	if (first == 2)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EBADF), SCMP_SYS(write), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffULL, (scmp_datum_t)INT_MAX));
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		fprintf(stderr, "filter_only: seccomp: %s\n", strerror(-rc));
		return 2;
	}
	execv(argv[first], argv + first);
	fprintf(stderr, "filter_only: %s: %s\n", argv[first], strerror(errno));
	return 127;
}
