/* filter_only.c - for benchmark (c): runs PROGRAM under a seccomp filter that allows every call
 * (libseccomp's, with no rule), and no tracer at all. What it costs is the price any tracer that
 * relies on a seccomp filter pays on each system call, before doing anything itself.
 * Usage: filter_only PROGRAM [ARG...] */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: filter_only PROGRAM [ARG...]\n");
		return 2;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		fprintf(stderr, "filter_only: seccomp_init failed\n");
		return 2;
	}
	int rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		fprintf(stderr, "filter_only: seccomp_load: %s\n", strerror(-rc));
		return 2;
	}
	execv(argv[1], argv + 1);
	fprintf(stderr, "filter_only: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
