#!/bin/sh
# Installs the Debian packages forklab needs that are missing (apt-get; sudo when not root), or
# stops with the one command to run. Arguments: the package names.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "forklab: missing packages:$missing (this is not a Debian-based system: install them by hand)" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo"
else
	echo "forklab: missing packages:$missing; run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "forklab: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null || { echo "forklab: apt-get update failed" >&2; exit 1; }
$SUDO apt-get install -y -q$missing >/dev/null || { echo "forklab: apt-get install$missing failed" >&2; exit 1; }
