#!/bin/sh
# fuzz.sh - `make fuzz`: builds forklab's libFuzzer targets (harness/fuzz/fuzz_*.c) with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, and runs each for FUZZ_SECONDS (default 60)
# from its corpus in harness/fuzz/corpus/NAME/. New inputs are kept in BUILD/fuzz/corpus/NAME/
# (copy the interesting ones into the repository's corpus); an input that breaks a target is
# saved as BUILD/fuzz/crash/NAME/crash-* and the run fails. Add each crash to the repository's
# corpus once fixed: the test suite replays every corpus file (test_fuzz_corpus.c).
# FUZZ_SECONDS=0 only builds each target and runs it over its corpus once (CI does, so that
# the targets keep building). FUZZ_PKGS: the libraries to link (make passes its PKGS).
# Arguments: the build directory, then optionally the targets to run (default: all).
set -u
B=${1:-build}
[ $# -gt 0 ] && shift
SECONDS_EACH=${FUZZ_SECONDS:-60}
PKGS=${FUZZ_PKGS:-libseccomp jansson inih}
case $SECONDS_EACH in
'' | *[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a whole number of seconds, not '$SECONDS_EACH'" >&2
	exit 2 ;;
0) limit="-runs=0" ;;
*) limit="-max_total_time=$SECONDS_EACH" ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: clang is missing (make deps-fuzz installs it)" >&2
	exit 2
fi
out="$B/fuzz"
obj="$out/obj"
mkdir -p "$obj"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# (libseccomp's SCMP_A* macros leave a field to its default, which clang warns about)
CFLAGS="-std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -Wno-missing-field-initializers $SAN \
 -Iharness/lib -Iharness/grade -Iharness/cli -Iharness/fuzz -Iharness/tests \
 $(pkg-config --cflags $PKGS 2>/dev/null)"
LIBS="$(pkg-config --libs $PKGS 2>/dev/null || echo -lseccomp -ljansson -linih) -lpthread"

# The library, the grader and the checks, as the targets see them (a stand-in for Criterion's
# assertions lets the test fixtures build in).
objs=""
for src in harness/lib/*.c harness/grade/*.c harness/checks/*.c harness/tests/test_grade_fixture.c \
	harness/fuzz/fuzz_util.c; do
	o="$obj/$(echo "$src" | tr / _).o"
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ]; then
		clang $CFLAGS -Iharness/fuzz/shim -fsanitize=fuzzer-no-link -c -o "$o" "$src" || exit 2
	fi
	objs="$objs $o"
done
# The command's other parts, for the targets that include one of its files.
cliobjs=""
for src in harness/cli/*.c; do
	case $src in harness/cli/forklab.c|harness/cli/cmd_run.c) continue ;; esac
	o="$obj/$(echo "$src" | tr / _).o"
	clang $CFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$src" || exit 2
	cliobjs="$cliobjs $o"
done

targets=${*:-$(for f in harness/fuzz/fuzz_*.c; do n=$(basename "$f" .c); [ "$n" = fuzz_util ] || echo "${n#fuzz_}"; done)}
failed=0
ran=0
for t in $targets; do
	ran=$((ran + 1))
	extra=""
	quiet=""
	[ "$t" = run_args ] && extra="$cliobjs" && quiet="-close_fd_mask=3"
	if ! clang $CFLAGS -Iharness/fuzz/shim -DFORKLAB_FUZZ_TARGET -fsanitize=fuzzer \
		-o "$out/fuzz_$t" "harness/fuzz/fuzz_$t.c" $extra $objs $LIBS; then
		echo "fuzz: cannot build fuzz_$t" >&2
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$out/corpus/$t" "$out/crash/$t"
	log="$out/fuzz_$t.log"
	# -rss_limit_mb: the report targets hold a whole result tree per input.
	ASAN_OPTIONS=detect_leaks=1 "$out/fuzz_$t" "$limit" \
		-rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 $quiet \
		-artifact_prefix="$out/crash/$t/" "$out/corpus/$t" "harness/fuzz/corpus/$t" \
		>"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ $rc -ne 0 ]; then
		echo "FAIL fuzz_$t: $(grep -m1 -E 'ERROR|SUMMARY|deadly' "$log"); see $log and $out/crash/$t/"
		failed=$((failed + 1))
	else
		echo "PASS fuzz_$t: ${runs:-?} inputs in ${SECONDS_EACH} s, ${cov:-cov: ?}, corpus $(ls "$out/corpus/$t" | wc -l) files"
	fi
done
echo "fuzz: $((ran - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
