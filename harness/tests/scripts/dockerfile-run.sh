#!/bin/sh
# dockerfile-run.sh DOCKERFILE CONTEXT PREFIX - does here what the last stage of an image
# recipe does for forklab: its ENV FORKLAB_PREBUILT (replaced by PREFIX), then each of its COPY
# and RUN instructions that use FORKLAB_PREBUILT, COPY from CONTEXT, RUN with /bin/sh -c as
# docker does. Lines ending in a backslash continue. Exit status: the first failure's, 1 when
# the recipe sets no FORKLAB_PREBUILT or runs nothing with it.
set -eu
file=$1
context=$2
FORKLAB_PREBUILT=$3
export FORKLAB_PREBUILT
steps=$(mktemp "${TMPDIR:-/tmp}/forklab-steps.XXXXXX")
trap 'rm -f "$steps"' EXIT
# One instruction a line, of the last stage only.
awk '/^[[:space:]]*#/ && !cont { next }
	{ line = cont ? line " " $0 : $0 }
	/\\$/ { sub(/\\$/, "", line); cont = 1; next }
	{ cont = 0; if (line ~ /^FROM /) n = 0; else if (line ~ /[^[:space:]]/) step[++n] = line }
	END { for (i = 1; i <= n; i++) print step[i] }' "$file" >"$steps"
grep -q '^ENV FORKLAB_PREBUILT=' "$steps" || { echo "$file: no ENV FORKLAB_PREBUILT" >&2; exit 1; }
ran=0
while IFS= read -r step; do
	case $step in
	*FORKLAB_PREBUILT*) ;;
	*) continue ;;
	esac
	case $step in
	"COPY "*)
		set -- ${step#COPY }
		[ $# -eq 2 ] || { echo "$file: cannot copy: $step" >&2; exit 1; }
		dst=$(eval "echo \"$2\"")
		mkdir -p "$(dirname "$dst")"
		cp "$context/$1" "$dst"
		echo "dockerfile-run: COPY $1 $dst" ;;
	"RUN "*)
		echo "dockerfile-run: RUN ${step#RUN }"
		/bin/sh -c "${step#RUN }"
		ran=$((ran + 1)) ;;
	esac
done <"$steps"
[ "$ran" -gt 0 ] || { echo "$file: runs nothing with FORKLAB_PREBUILT" >&2; exit 1; }
