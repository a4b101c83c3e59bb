#!/bin/sh
# package.sh - `make gradescope` and `make autolab`: packs forklab as a course platform's
# autograder for the labs given. Both packs hold what builds forklab and the labs' starters and
# handouts, the files git tracks there (student programs run where the pack is unpacked: nothing
# there should be worth reading, and solutions/ never is); each submission is graded by
# harness/tools/grade-submission.sh.
#   gradescope: OUT/forklab-autograder.zip with setup.sh (run once, as root, when Gradescope
#               builds the image) and run_autograder (run for each submission)
#   autolab:    OUT/autograde.tar and OUT/autograde-Makefile, the two files of an Autolab
#               assessment's autograder
# Usage: package.sh gradescope|autolab OUT_DIR [LAB...]  (LAB: 04, 4, 04-process-tree,
# process-tree; none: every lab). FORKLAB_PACKAGES: the Debian packages to name in autolab's
# Makefile (the Makefile's DEB_PACKAGES). FORKLAB_ASSIGNMENT: an assignment file, packed as
# forklab/assignment.ini and graded by (its labs when no LAB is given; needs build/forklab).
set -eu

usage="usage: package.sh gradescope|autolab OUT_DIR [LAB...]"
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
platform=$1
OUT=$2
shift 2
case $platform in
gradescope) tools="zip" ;;
autolab) tools="tar" ;;
*) echo "$usage" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in $tools; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "package: $tool is missing (make deps installs it)" >&2
		exit 2
	fi
done

# Each LAB as its directory name under labs/; none: all of them (or the assignment's).
names=""
asg=${FORKLAB_ASSIGNMENT:-}
if [ -n "$asg" ] && [ $# -eq 0 ]; then
	set -- $("$root/build/forklab" checks --assignment "$asg" | cut -f1 | uniq)
	[ $# -gt 0 ] || exit 2
fi
[ $# -gt 0 ] || set -- $(cd "$root/labs" && ls -d [0-9][0-9]-*)
for lab in "$@"; do
	num=$(printf '%s' "$lab" | sed -n 's/^0*\([0-9][0-9]*\).*/\1/p')
	if [ -n "$num" ]; then
		dir=$(cd "$root/labs" && ls -d "$(printf '%02d' "$num")"-* 2>/dev/null | head -n 1)
	else
		dir=$(cd "$root/labs" && ls -d [0-9][0-9]-"$lab" 2>/dev/null | head -n 1)
	fi
	if [ -z "$dir" ]; then
		echo "package: no lab '$lab' in labs/" >&2
		exit 2
	fi
	names="$names $dir"
done
names=${names# }

stage=$(mktemp -d "${TMPDIR:-/tmp}/forklab-package.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/forklab"
# What a package ships: the files that build forklab and the labs' starters and handouts. In a
# git checkout, only the files git tracks there (an answer key left untracked beside them stays
# out); elsewhere, every file of these directories.
SHIPPED="Makefile README.md docs labs
harness/lib harness/grade harness/checks harness/cli harness/helpers harness/tools"
if [ -e "$root/.git" ]; then
	(cd "$root" && git ls-files -z --cached -- $SHIPPED) >"$stage/files" || {
		echo "package: git cannot list the files it tracks in $root" >&2
		exit 2
	}
	(cd "$root" && xargs -0 sh -c \
		'for f; do [ ! -f "$f" ] || [ -L "$f" ] || cp --parents -t "$0" "$f" || exit 255; done' \
		"$stage/forklab" <"$stage/files")
else
	(cd "$root" && find $SHIPPED -type f -print0 | xargs -0 cp --parents -t "$stage/forklab")
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
asg_env=""
if [ -n "$asg" ]; then
	cp "$asg" "$stage/forklab/assignment.ini"
	asg_env="FORKLAB_ASSIGNMENT=\"\$ag/source/forklab/assignment.ini\" "
fi

if [ "$platform" = gradescope ]; then
	cat >"$stage/setup.sh" <<'EOF'
#!/bin/sh
# Gradescope runs this once, as root, when it builds the autograder image: forklab's Debian
# packages, then forklab itself.
set -e
cd "$(dirname "$0")/forklab"
make deps all
EOF
	cat >"$stage/run_autograder" <<EOF
#!/bin/sh
# Gradescope runs this for each submission, as root: forklab builds and grades the labs below and
# writes results/results.json; student programs run as an unprivileged uid of their own. The
# submission may be a repository, lab folders or the labs' files (grade-submission.sh). What it
# found, built and ran goes to stdout, Gradescope's debug log of the submission.
# FORKLAB_AUTOGRADER: where Gradescope's folders are (default /autograder).
ag=\${FORKLAB_AUTOGRADER:-/autograder}
mkdir -p "\$ag/results" || exit 2
echo "run_autograder: grading $names"
${asg_env}exec sh "\$ag/source/forklab/harness/tools/grade-submission.sh" "\$ag/submission" gradescope \\
	"\$ag/results/results.json" $names 2>&1
EOF
	chmod 755 "$stage/setup.sh" "$stage/run_autograder"
	rm -f "$OUT/forklab-autograder.zip"
	(cd "$stage" && zip -q -r "$OUT/forklab-autograder.zip" setup.sh run_autograder forklab)
	echo "package: $OUT/forklab-autograder.zip (labs: $names)"
else
	(cd "$stage" && tar -cf "$OUT/autograde.tar" forklab)
	asg_make=""
	[ -z "$asg" ] || asg_make='FORKLAB_ASSIGNMENT="$$PWD/forklab/assignment.ini" '
	sed -e "s|@LABS@|$names|" -e "s|@PACKAGES@|${FORKLAB_PACKAGES:-see forklab/README.md}|" \
		-e "s|@ASG@|$asg_make|" \
		>"$OUT/autograde-Makefile" <<'EOF'
# Autolab runs `make` where this file (as Makefile), autograde.tar and the student's handin file
# are, and reads the scores from the last line printed. It grades the handin with the forklab
# the image holds already built, when it was built from this same autograde.tar (the image of
# forklab/harness/tools/autolab.Dockerfile: in FORKLAB_PREBUILT, default /opt/forklab), or
# with the build FORKLAB_BUILD names; else it builds forklab first (a few seconds). The image
# needs forklab's Debian packages: @PACKAGES@
# (and, for student programs to run as a uid of their own, the grading must run as root).
LABS = @LABS@

all:
	@tar -xf autograde.tar
	@pre=$${FORKLAB_PREBUILT:-/opt/forklab}; build=$${FORKLAB_BUILD:-}; \
	if [ -z "$$build" ] && [ -x "$$pre/forklab/build/forklab" ] && \
		cmp -s autograde.tar "$$pre/autograde.tar"; then \
		build=$$pre/forklab/build; echo "autograde: forklab as built in the image ($$pre)"; \
	elif [ -z "$$build" ]; then \
		[ ! -x "$$pre/forklab/build/forklab" ] || \
			echo "autograde: the image's forklab ($$pre) is of another autograde.tar: building"; \
		build=$$PWD/forklab/build; \
		(cd forklab && $(MAKE) -s all >../forklab-build.log 2>&1) || \
			{ echo "forklab could not be built:"; cat forklab-build.log; exit 2; }; \
	fi; \
	@ASG@FORKLAB_BUILD=$$build sh forklab/harness/tools/grade-submission.sh \
		"$$(ls -A | grep -v -x -e Makefile -e autograde.tar -e forklab -e forklab-build.log | head -n 1)" \
		autolab - $(LABS)
EOF
	echo "package: $OUT/autograde.tar and $OUT/autograde-Makefile (labs: $names)"
fi
