# forklab - a lab suite for the Unix process lifecycle, and the autograder that traces it.
# `make` builds build/forklab; `make grade` grades labs/; `make test` runs the project's tests.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror
PKGS     = libseccomp jansson inih
XCFLAGS  = -std=gnu11 -D_GNU_SOURCE $(WARN) -MMD -MP -Iharness/lib -Iharness/grade \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
XLIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lseccomp -ljansson -linih) \
           -lpthread -lm
# Flags the test and helper programs are built with: the grader's own (harness/grade/build.c),
# plus -Werror, which the grader leaves out so that a warning never fails a student.
LABFLAGS = -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror

# The labs themselves are listed once, in harness/checks/labs.c (labs_all[]): the grader builds
# each from labs/NN-topic/ (or --labs DIR) when it grades it.

# Debian packages: to build and grade (the course platforms' images install these), for the test
# suite only (it checks the pictures: dot reads the DOT output, a headless browser renders the
# pages), to benchmark and to fuzz.
DEB_PACKAGES       = gcc make patch pkg-config libseccomp-dev libjansson-dev libcriterion-dev \
                     valgrind curl perl procps libxml2-utils zip unzip git python3-yaml \
                     libinih-dev
DEB_TEST_PACKAGES  = graphviz chromium
DEB_BENCH_PACKAGES = hyperfine strace
DEB_FUZZ_PACKAGES  = clang libclang-rt-dev

B = build
LIB_SRC   = $(wildcard harness/lib/*.c)
GRADE_SRC = $(wildcard harness/grade/*.c) $(wildcard harness/checks/*.c)
CLI_SRC   = $(wildcard harness/cli/*.c)
TEST_SRC  = $(wildcard harness/tests/*.c)
# The fuzz targets the test suite replays its corpus through (fuzz_run_args is make fuzz's only).
FUZZ_SRC  = $(filter-out harness/fuzz/fuzz_run_args.c,$(wildcard harness/fuzz/fuzz_*.c))
LIB_OBJ   = $(LIB_SRC:harness/%.c=$(B)/obj/%.o)
GRADE_OBJ = $(GRADE_SRC:harness/%.c=$(B)/obj/%.o)
CLI_OBJ   = $(CLI_SRC:harness/%.c=$(B)/obj/%.o)
TEST_OBJ  = $(TEST_SRC:harness/%.c=$(B)/obj/%.o) $(FUZZ_SRC:harness/%.c=$(B)/obj/%.o)

# Small programs: the tracer's test programs, the grader's helper programs (staged on PATH for
# the labs that need them), the labs' wrong and right programs, and the benchmark programs.
PROGS     = $(patsubst harness/tests/progs/%.c,$(B)/progs/%,$(wildcard harness/tests/progs/*.c))
HELPERS   = $(patsubst harness/helpers/%.c,$(B)/helpers/%,$(wildcard harness/helpers/*.c))
LABPROGS  = $(patsubst solutions/tests/%.c,$(B)/labprogs/%,$(wildcard solutions/tests/*/*.c)) \
            $(patsubst solutions/tests/%.patch,$(B)/labprogs/%,$(wildcard solutions/tests/*/*.patch))
BENCHPROGS= $(patsubst harness/bench/%.c,$(B)/bench/%,$(wildcard harness/bench/*.c))

.PHONY: all deps deps-test deps-bench deps-fuzz grade test memcheck bench fuzz demo gradescope \
	autolab handout clean install install-files
all: $(B)/forklab $(HELPERS)

deps:
	$(GRADE_RUN)@sh harness/tools/deps.sh $(DEB_PACKAGES)
deps-test:
	@sh harness/tools/deps.sh $(DEB_PACKAGES) $(DEB_TEST_PACKAGES)
deps-bench:
	@sh harness/tools/deps.sh $(DEB_PACKAGES) $(DEB_BENCH_PACKAGES)
deps-fuzz:
	@sh harness/tools/deps.sh $(DEB_PACKAGES) $(DEB_FUZZ_PACKAGES)

$(B)/obj/%.o: harness/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -c -o $@ $<
$(B)/obj/tests/%.o $(B)/obj/fuzz/%.o: XCFLAGS += -Iharness/fuzz -Iharness/tests

$(B)/libforklab.a: $(LIB_OBJ) $(GRADE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/forklab: $(CLI_OBJ) $(B)/libforklab.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(B)/libforklab.a $(XLIBS)

$(B)/progs/%: harness/tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LABFLAGS) -pthread -o $@ $<
$(B)/helpers/%: harness/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LABFLAGS) -o $@ $<
$(B)/labprogs/%: solutions/tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LABFLAGS) -o $@ $<
# A wrong program kept as a patch: a reference solution (the one the patch names) with one
# mistake put in, applied to a copy and compiled like the others.
$(B)/labprogs/%: solutions/tests/%.patch $(wildcard solutions/*/*.c)
	@mkdir -p $(dir $@)
	@rm -f $@.c
	patch -s -p1 --no-backup-if-mismatch -r - -o $@.c -i $<
	$(CC) $(LABFLAGS) -o $@ $@.c
$(B)/bench/%: harness/bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LABFLAGS) -O2 -o $@ $<
$(B)/bench/filter_only: harness/bench/filter_only.c
	@mkdir -p $(dir $@)
	$(CC) $(LABFLAGS) -O2 -o $@ $< $(XLIBS)

$(B)/forklab-tests: $(TEST_OBJ) $(B)/libforklab.a
	$(CC) $(CFLAGS) -o $@ $(TEST_OBJ) $(B)/libforklab.a $(XLIBS) -lcriterion

# An assignment file (docs/instructors.md): the labs, points and hidden checks graded. In the
# students' repository `make handout ASSIGNMENT=FILE` writes, it is assignment.ini.
ASSIGNMENT ?= $(wildcard assignment.ini)

# The main job: grade the labs a student is working on (LAB=04 for one lab). forklab is built
# quietly (see harness/tools/grade.sh), and make ends with the grader's status: 0 when every
# check passed, 1 when one failed, 2 when forklab itself failed.
# make prints an "Error" line under any recipe that fails, which would read as a broken build
# under a report that only has failed checks. When grade is the only goal, make runs in question
# mode (-q), where a recipe ending with 1 makes make end with 1 without that line, and any other
# failure still prints it; the recipes it needs run anyway, marked "+" (grade.sh takes the q back
# out for the make it runs). Not under -n, which must only print the commands: the recipe names
# make through GRADE_MAKE, since a line that says $(MAKE) itself runs even under -n.
ifeq ($(MAKECMDGOALS)$(findstring n,$(firstword -$(MAKEFLAGS))),grade)
MAKEFLAGS += -q
GRADE_RUN = +
endif
GRADE_MAKE = $(MAKE)
grade: deps
	$(GRADE_RUN)@FORKLAB_ASSIGNMENT="$(ASSIGNMENT)" sh harness/tools/grade.sh "$(GRADE_MAKE)" $(B) $(LAB)

# A course platform's autograder for the labs in LAB (all without): Gradescope's zip in
# $(B)/gradescope/, Autolab's autograde.tar and autograde-Makefile in $(B)/autolab/.
# ASSIGNMENT=FILE: graded by that assignment file (its labs when LAB is not given).
gradescope: deps $(if $(ASSIGNMENT),all)
	@FORKLAB_ASSIGNMENT="$(ASSIGNMENT)" sh harness/tools/package.sh gradescope $(B)/gradescope $(LAB)
autolab: deps $(if $(ASSIGNMENT),all)
	@FORKLAB_ASSIGNMENT="$(ASSIGNMENT)" FORKLAB_PACKAGES="$(DEB_PACKAGES)" \
		sh harness/tools/package.sh autolab $(B)/autolab $(LAB)

# The students' repository, build/handout/ and build/handout.tar.gz (ASSIGNMENT=FILE: its labs).
handout: deps all
	@sh harness/tools/handout.sh $(B)/handout $(ASSIGNMENT)

demo: deps all $(PROGS)
	$(B)/forklab run -- $(B)/progs/tree_demo

test: deps-test all $(PROGS) $(LABPROGS) $(B)/forklab-tests
	@bash harness/tools/run-tests.sh $(B)

memcheck: deps all $(PROGS) $(BENCHPROGS) $(B)/forklab-tests
	@sh harness/tools/memcheck.sh $(B)

bench: deps-bench all $(BENCHPROGS)
	@sh harness/bench/bench.sh $(B)

# libFuzzer targets (clang), FUZZ_SECONDS each (default 60); see docs/hardening.md.
fuzz: deps-fuzz
	@FUZZ_PKGS="$(PKGS)" sh harness/tools/fuzz.sh $(B)

PREFIX ?= /usr/local
install: all
	@$(MAKE) --no-print-directory install-files

# What `make install` copies, without building first (the test suite installs what it built).
install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/lib/forklab/helpers
	install -m 0755 $(B)/forklab $(DESTDIR)$(PREFIX)/bin/forklab
	install -m 0755 $(HELPERS) $(DESTDIR)$(PREFIX)/lib/forklab/helpers/
	install -m 0644 docs/forklab.1 $(DESTDIR)$(PREFIX)/share/man/man1/forklab.1

clean:
	rm -rf $(B)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
