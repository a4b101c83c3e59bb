# forklab - a lab suite for the Unix process lifecycle, and the autograder that traces it.
# `make` builds build/forklab; `make grade` grades labs/; `make test` runs the project's tests.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror
PKGS     = libseccomp jansson
XCFLAGS  = -std=gnu11 -D_GNU_SOURCE $(WARN) -MMD -MP -Iharness/lib -Iharness/grade \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
XLIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lseccomp -ljansson) -lpthread -lm
# Flags the grader compiles labs with; also used for the test and helper programs.
LABFLAGS = -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror

# The labs themselves are listed once, in harness/checks/labs.c (labs_all[]): the grader builds
# each from labs/NN-topic/ (or --labs DIR) when it grades it.

# Debian packages: to build and test, and to benchmark. graphviz and chromium are for the tests
# only (they check the pictures: dot reads the DOT output, a headless browser renders the pages).
DEB_PACKAGES       = gcc make patch pkg-config libseccomp-dev libjansson-dev libcriterion-dev \
                     valgrind curl perl procps libxml2-utils zip unzip graphviz chromium
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
LABPROGS  = $(patsubst harness/tests/labs/%.c,$(B)/labprogs/%,$(wildcard harness/tests/labs/*/*.c)) \
            $(patsubst harness/tests/labs/%.patch,$(B)/labprogs/%,$(wildcard harness/tests/labs/*/*.patch))
BENCHPROGS= $(patsubst harness/bench/%.c,$(B)/bench/%,$(wildcard harness/bench/*.c))

.PHONY: all deps deps-bench deps-fuzz grade test memcheck bench fuzz demo gradescope autolab \
	clean install install-files
all: $(B)/forklab $(HELPERS)

deps:
	@sh harness/tools/deps.sh $(DEB_PACKAGES)
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
$(B)/labprogs/%: harness/tests/labs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LABFLAGS) -o $@ $<
# A wrong program kept as a patch: a reference solution (the one the patch names) with one
# mistake put in, applied to a copy and compiled like the others.
$(B)/labprogs/%: harness/tests/labs/%.patch $(wildcard solutions/*/*.c)
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

# The main job: grade the labs a student is working on (LAB=04 for one lab).
grade: deps all
	@$(B)/forklab grade $(LAB)

# A course platform's autograder for the labs in LAB (all without): Gradescope's zip in
# $(B)/gradescope/, Autolab's autograde.tar and autograde-Makefile in $(B)/autolab/.
gradescope: deps
	@sh harness/tools/package.sh gradescope $(B)/gradescope $(LAB)
autolab: deps
	@FORKLAB_PACKAGES="$(DEB_PACKAGES)" sh harness/tools/package.sh autolab $(B)/autolab $(LAB)

demo: deps all $(PROGS)
	$(B)/forklab run -- $(B)/progs/tree_demo

test: deps all $(PROGS) $(LABPROGS) $(B)/forklab-tests
	@bash harness/tools/run-tests.sh $(B)

memcheck: deps all $(PROGS) $(BENCHPROGS) $(B)/forklab-tests
	@sh harness/tools/memcheck.sh $(B)

bench: deps-bench all $(BENCHPROGS)
	@sh harness/bench/bench.sh $(B)

# libFuzzer targets (clang), FUZZ_SECONDS each (default 60); see docs/hardening.md.
fuzz: deps-fuzz
	@sh harness/tools/fuzz.sh $(B)

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
