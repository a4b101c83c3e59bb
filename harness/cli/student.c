/* student.c - the commands a student works with besides grade: `forklab list` (the course at a
 * glance), `forklab hint LAB` (one more hint each time) and `forklab reset LAB` (the starter
 * back, the student's version kept). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "grade.h"

extern char **environ;

int student_where(char *const *specs, int nspecs, struct labs_place *w, const struct lab **lab)
{
	if (labs_place_find(false, "labs", specs, nspecs, w) < 0)
		return -1;
	*lab = w->here;
	if (w->nspecs > 1) {
		fprintf(stderr, "forklab: name one lab\n");
		labs_place_free(w);
		return -1;
	}
	if (w->nspecs == 1) {
		*lab = lab_lookup(w->specs[0]);
		if (!*lab) {
			fprintf(stderr, "forklab: no lab '%s' (forklab list shows them)\n",
				w->specs[0]);
			labs_place_free(w);
			return -1;
		}
	}
	return 0;
}

static void score(char *buf, size_t len, int s, int max)
{
	if (s < 0 || max < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%d/%d", s, max);
}

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: forklab list   (or: forklab status)\n\n"
		       "Every lab with its title, your last and best score from forklab grade,\n"
		       "whether it is done (best score = full marks), and the lab to do next.\n"
		       "Scores are kept in build/progress beside the labs.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "forklab: list takes no arguments (try: forklab list --help)\n");
		return 2;
	}
	struct labs_place w;
	const struct lab *here;
	if (student_where(NULL, 0, &w, &here) < 0)
		return 2;
	struct progress *p = progress_load(w.build_dir);
	if (!p) {
		fprintf(stderr, "forklab: out of memory\n");
		labs_place_free(&w);
		return 2;
	}
	size_t next = progress_next(p), done = 0, n = progress_nlabs();
	printf("  %-22s %-36s %7s %7s\n", "lab", "title", "last", "best");
	for (size_t i = 0; i < n; i++) {
		char last[32], best[32];
		score(last, sizeof last, p[i].last, p[i].max);
		score(best, sizeof best, p[i].best, p[i].max);
		done += progress_done(&p[i]);
		printf("%s %-22s %-36.36s %7s %7s%s\n", i == next ? ">" : " ", labs_all[i]->name,
		       labs_all[i]->title ? labs_all[i]->title : "", last, best,
		       progress_done(&p[i]) ? "  done" : "");
	}
	printf("%zu of %zu labs done.", done, n);
	if (next < n) {
		char *dir = lab_dir_from_here(labs_all[next], w.labs_dir);
		printf(" next: lab %s (%sREADME.md; forklab hint %02d for a hint)\n",
		       labs_all[next]->name, dir ? dir : "", labs_all[next]->number);
		free(dir);
	} else {
		printf(" Every lab is done.\n");
	}
	free(p);
	labs_place_free(&w);
	return 0;
}

/* A hint, indented by 2 and wrapped at 100 columns. */
static void put_wrapped(const char *s)
{
	while (*s) {
		size_t n = strlen(s);
		if (n > 96) {
			n = 96;
			while (n > 0 && s[n] != ' ')
				n--;
			if (n == 0)
				n = 96;
		}
		printf("  %.*s\n", (int)n, s);
		s += n;
		while (*s == ' ')
			s++;
	}
}

int cmd_hint(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: forklab hint [LAB] [--again]\n\n"
		       "The next hint for LAB (without it: the lab whose directory you are in, else\n"
		       "the first lab not done), one more each time, from the idea to the detail;\n"
		       "never the solution. The hints already shown are counted in build/progress;\n"
		       "--again shows them all again without a new one.\n");
		return 0;
	}
	bool again = false;
	char *spec[2] = { NULL, NULL };
	int nspec = 0;
	for (int k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--again") == 0)
			again = true;
		else if (nspec == 0 && argv[k][0] != '-')
			spec[nspec++] = argv[k];
		else
			nspec = 2;
	}
	if (nspec > 1) {
		fprintf(stderr, "forklab: usage: forklab hint [LAB] [--again]\n");
		return 2;
	}
	struct labs_place w;
	const struct lab *lab;
	if (student_where(spec, nspec, &w, &lab) < 0)
		return 2;
	struct progress *p = progress_load(w.build_dir);
	if (!lab && p && progress_next(p) < progress_nlabs())
		lab = labs_all[progress_next(p)];     /* the lab to do next */
	if (!lab) {
		fprintf(stderr, p ? "forklab: hint: every lab is done\n" : "forklab: out of memory\n");
		free(p);
		labs_place_free(&w);
		return 2;
	}
	size_t i = 0, nh = 0;
	while (labs_all[i] != lab)
		i++;
	while (lab->hints && lab->hints[nh])
		nh++;
	if (!p || nh == 0) {
		fprintf(stderr, p ? "forklab: lab %s has no hints\n" : "forklab: out of memory\n",
			lab->name);
		free(p);
		labs_place_free(&w);
		return 2;
	}
	size_t shown = (size_t)p[i].hints;
	if (!again && shown < nh)
		shown++;
	if (shown == 0)
		shown = 1;
	for (size_t k = again ? 0 : shown - 1; k < shown; k++) {
		printf("hint %zu of %zu for lab %s:\n", k + 1, nh, lab->name);
		put_wrapped(lab->hints[k]);
	}
	if (shown == nh && !again && p[i].hints == (int)nh)
		printf("(that was the last hint: the handout's sections and your verdicts say the "
		       "rest)\n");
	int rc = 0;
	if (p[i].hints != (int)shown) {
		p[i].hints = (int)shown;
		if (progress_save(w.build_dir, p) < 0) {
			fprintf(stderr, "forklab: hint: cannot save progress in %s: %s\n",
				w.build_dir ? w.build_dir : "build", strerror(errno));
			rc = 2;
		}
	}
	free(p);
	labs_place_free(&w);
	return rc;
}

/* ---- reset ---- */

/* Runs git with args in dir; its stdout in *out (malloc'd). The exit status, or -1. */
static int run_git(const char *dir, const char *const *args, char **out)
{
	char tmpl[] = "/tmp/forklab-git-XXXXXX";
	int fd = mkstemp(tmpl);
	if (fd < 0)
		return -1;
	unlink(tmpl);
	const char *argv[16] = { "git", "-C", dir };
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	pid_t pid;
	int rc = posix_spawnp(&pid, "git", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	int st = 0;
	if (rc != 0 || waitpid(pid, &st, 0) < 0) {
		close(fd);
		return -1;
	}
	off_t len = lseek(fd, 0, SEEK_END);
	*out = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!*out || pread(fd, *out, (size_t)len, 0) != len) {
		free(*out);
		*out = NULL;
		close(fd);
		return -1;
	}
	(*out)[len] = '\0';
	close(fd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The starter as the course shipped it: the file in the branch this checkout follows (its
 * upstream), else in HEAD. NULL when git has no such file (said on stderr). */
static char *starter_from_git(const char *labdir, const char *file, size_t *len)
{
	char *out = NULL, *spec = NULL;
	const char *refs[] = { "@{upstream}", "HEAD" };
	for (size_t i = 0; i < 2; i++) {
		if (asprintf(&spec, "%s:./%s", refs[i], file) < 0)
			return NULL;
		int st = run_git(labdir, (const char *[]){ "show", spec, NULL }, &out);
		free(spec);
		if (st == 0 && out) {
			*len = strlen(out);
			return out;
		}
		free(out);
		out = NULL;
	}
	fprintf(stderr, "forklab: reset: git has no starter for %s/%s (reset takes the starter "
			"from the git checkout the labs came in)\n", labdir, file);
	return NULL;
}

static char *read_whole(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *s = NULL;
	if (fstat(fd, &st) == 0 && (s = malloc((size_t)st.st_size + 1)) &&
	    read(fd, s, (size_t)st.st_size) == st.st_size) {
		s[st.st_size] = '\0';
		*len = (size_t)st.st_size;
	} else {
		free(s);
		s = NULL;
	}
	close(fd);
	return s;
}

int cmd_reset(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: forklab reset [--yes] LAB\n\n"
		       "Puts LAB's starter back, as git has it in the branch your checkout follows.\n"
		       "When your file differs it asks first (--yes: do not ask) and keeps your\n"
		       "version beside it as FILE.saved-YYYYmmdd-HHMMSS.\n");
		return 0;
	}
	bool yes = argc > 1 && strcmp(argv[1], "--yes") == 0;
	char **specs = argv + 1 + yes;
	int nspecs = argc - 1 - yes;
	if (nspecs > 1) {
		fprintf(stderr, "forklab: usage: forklab reset [--yes] LAB\n");
		return 2;
	}
	struct labs_place w;
	const struct lab *lab;
	if (student_where(specs, nspecs, &w, &lab) < 0)
		return 2;
	if (!lab) {
		fprintf(stderr, "forklab: reset: which lab? (forklab reset 03)\n");
		labs_place_free(&w);
		return 2;
	}
	char *dir = lab_dir_from_here(lab, w.labs_dir);
	char labdir[4096];
	snprintf(labdir, sizeof labdir, "%s/%s", w.labs_dir, lab->name);
	int rc = 0;
	for (size_t k = 0; lab->sources[k] && rc == 0; k++) {
		const char *file = lab->sources[k];
		char path[4352];
		size_t slen = 0, mlen = 0;
		snprintf(path, sizeof path, "%s/%s", labdir, file);
		char *starter = starter_from_git(labdir, file, &slen);
		if (!starter) {
			rc = 2;
			break;
		}
		char *mine = read_whole(path, &mlen);
		if (mine && mlen == slen && memcmp(mine, starter, slen) == 0) {
			printf("%s%s is the starter already\n", dir ? dir : "", file);
		} else {
			if (mine && !yes) {
				printf("%s%s differs from the starter: put the starter back? (your "
				       "version is kept beside it) [y/N] ", dir ? dir : "", file);
				fflush(stdout);
				char answer[16] = "";
				if (!fgets(answer, sizeof answer, stdin) ||
				    (answer[0] != 'y' && answer[0] != 'Y')) {
					printf("left as it is\n");
					free(mine);
					free(starter);
					continue;
				}
			}
			char saved[4480] = "";
			if (mine) {
				char stamp[32];
				time_t t = time(NULL);
				strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&t));
				snprintf(saved, sizeof saved, "%s.saved-%s", path, stamp);
				if (cli_write_file(saved, mine, mlen) < 0) {
					fprintf(stderr, "forklab: reset: cannot keep a copy in %s: %s\n",
						saved, strerror(errno));
					rc = 2;
				}
			}
			if (rc == 0 && cli_write_file(path, starter, slen) < 0) {
				fprintf(stderr, "forklab: reset: cannot write %s: %s\n", path,
					strerror(errno));
				rc = 2;
			}
			if (rc == 0)
				printf("%s%s: starter put back%s%s\n", dir ? dir : "", file,
				       saved[0] ? "; yours is in " : "",
				       saved[0] ? strrchr(saved, '/') + 1 : "");
		}
		free(mine);
		free(starter);
	}
	free(dir);
	labs_place_free(&w);
	return rc;
}
