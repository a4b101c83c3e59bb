#!/bin/sh
# gradescope.sh - `make gradescope`: packs a Gradescope autograder, a zip holding setup.sh (run
# once when Gradescope builds the image), run_autograder (run for each submission) and forklab's
# sources without the reference solutions, its tests or benchmarks (student programs run in that
# image: nothing there should be worth reading).
# Usage: gradescope.sh BUILD_DIR OUT_DIR [LAB...]   (LAB: 04, 4 or 04-process-tree; none: all)
set -eu

B=${1:?usage: gradescope.sh BUILD_DIR OUT_DIR [LAB...]}
OUT=${2:?usage: gradescope.sh BUILD_DIR OUT_DIR [LAB...]}
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)

for tool in zip; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "gradescope: $tool is missing (make deps installs it)" >&2
		exit 2
	fi
done

# Each LAB as its directory name under labs/ (what a submission's directories are called).
names=""
for lab in "$@"; do
	num=$(printf '%s' "$lab" | sed -n 's/^0*\([0-9][0-9]*\).*/\1/p')
	if [ -n "$num" ]; then
		dir=$(cd "$root/labs" && ls -d "$(printf '%02d' "$num")"-* 2>/dev/null | head -n 1)
	else
		dir=$(cd "$root/labs" && ls -d [0-9][0-9]-"$lab" 2>/dev/null | head -n 1)
	fi
	if [ -z "$dir" ]; then
		echo "gradescope: no lab '$lab' in labs/" >&2
		exit 2
	fi
	names="$names $dir"
done
names=${names# }

stage=$(mktemp -d "${TMPDIR:-/tmp}/forklab-gradescope.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/forklab"
# The project's files as they are in the working tree (in a git checkout the tracked ones, else
# all but build directories), less what the image must not hold.
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z -- . ':!solutions' ':!harness/tests' ':!harness/bench' |
		xargs -0 cp --parents -t "$stage/forklab")
else
	(cd "$root" && find . \( -path ./solutions -o -path ./harness/tests -o -path ./harness/bench \
		-o -path './build*' -o -path ./.git \) -prune -o -type f -print0 |
		xargs -0 cp --parents -t "$stage/forklab")
fi

cat >"$stage/setup.sh" <<'EOF'
#!/bin/sh
# Gradescope runs this once, as root, when it builds the autograder image: forklab's Debian
# packages, then forklab itself.
set -e
cd /autograder/source/forklab
make deps all
EOF

cat >"$stage/run_autograder" <<EOF
#!/bin/sh
# Gradescope runs this for each submission, as root. forklab builds and grades the labs below
# and writes results/results.json; student programs run as an unprivileged uid of their own.
# A submission may be the repository (labs/NN-topic/...), lab directories (NN-topic/...) or,
# when one lab is graded, that lab's files uploaded as they are.
labs="$names"
EOF
cat >>"$stage/run_autograder" <<'EOF'
ag=${FORKLAB_AUTOGRADER:-/autograder}
sub=$ag/submission
tmp=""
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT
mkdir -p "$ag/results" || exit 2
if [ -d "$sub/labs" ]; then
	tree=$sub/labs
elif set -- $labs && [ $# -eq 1 ] && [ ! -d "$sub/$1" ]; then
	tmp=$(mktemp -d) || exit 2
	ln -s "$sub" "$tmp/$1" || exit 2
	tree=$tmp
else
	tree=$sub
fi
cd "$ag/source/forklab" || exit 2
build/forklab grade --labs "$tree" --format gradescope --output "$ag/results/results.json" $labs
status=$?
# 1: some check failed, and results.json says which. 2: forklab could not grade at all.
[ "$status" -le 1 ] || exit "$status"
exit 0
EOF
chmod 755 "$stage/setup.sh" "$stage/run_autograder"

mkdir -p "$OUT"
zipfile=$(cd "$OUT" && pwd)/forklab-autograder.zip
rm -f "$zipfile"
(cd "$stage" && zip -q -r "$zipfile" setup.sh run_autograder forklab)
echo "gradescope: $zipfile (labs: ${names:-all})"
