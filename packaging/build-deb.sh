#!/usr/bin/env bash
# packaging/build-deb.sh - build the rollcall .deb from a copy of the tree.
#
#   packaging/build-deb.sh [-o OUTDIR]
#
# Copies the working tree as it is (git's tracked and untracked files
# without the ignored ones, so no build dirs) into a temp dir, adds
# packaging/debian as debian/, and runs `dpkg-buildpackage -b --no-sign`
# there with DEB_BUILD_OPTIONS="nocheck parallel=<cores>" (unless set).
# The .deb, the -dbgsym .ddeb, .buildinfo and .changes go to OUTDIR
# (default: build-deb/ in the tree), the temp dir is removed (KEEP=1 keeps
# it), and the path of the .deb is the one line printed on stdout; the
# build's own output goes to stderr.
#
# Needs dpkg-dev, debhelper and the Build-Depends of packaging/debian/control
# (tests/install-deps.sh installs them).  Not root: nothing is installed.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/build-deb
while getopts o: ch; do
	case $ch in
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-o OUTDIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { echo "usage: $0 [-o OUTDIR]" >&2; exit 2; }

for cmd in dpkg-buildpackage dh dpkg-parsechangelog; do
	command -v "$cmd" >/dev/null 2>&1 ||
	    { echo "build-deb: $cmd not found (apt-get install dpkg-dev debhelper)" >&2; exit 1; }
done

# The package's version is the project's: a release bumps both.
ver=$(sed -n 's/^project(rollcall VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
debver=$(dpkg-parsechangelog -l "$src/packaging/debian/changelog" -S Version)
if [ "$ver" != "$debver" ]; then
	echo "build-deb: CMakeLists.txt says $ver, packaging/debian/changelog $debver" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-deb.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
	echo "build-deb: KEEP=1: work dir $work" >&2
else
	trap 'rm -rf -- "$work"' EXIT
fi
tree=$work/rollcall-$ver
mkdir "$tree"

if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$src" ls-files -z --cached --others --exclude-standard |
	    while IFS= read -r -d '' f; do
		# tracked files deleted in the work tree are not copied
		[ -e "$src/$f" ] || [ -L "$src/$f" ] && printf '%s\0' "$f"
	    done | tar -C "$src" --null -T - -cf - | tar -C "$tree" -xf -
else
	tar -C "$src" --exclude='./build*' --exclude=./tests/tmp -cf - . |
	    tar -C "$tree" -xf -
fi
rm -rf "$tree/debian"
cp -a "$src/packaging/debian" "$tree/debian"

export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-"nocheck parallel=$(nproc)"}
start=$(date +%s)
(cd "$tree" && dpkg-buildpackage -b --no-sign) >&2
echo "build-deb: built in $(( $(date +%s) - start )) s" >&2

mkdir -p "$out"
deb=
for f in "$work"/*.deb "$work"/*.ddeb "$work"/*.buildinfo "$work"/*.changes; do
	[ -e "$f" ] || continue
	mv -f "$f" "$out/"
	case ${f##*/} in rollcall_*.deb) deb=$out/${f##*/} ;; esac
done
[ -n "$deb" ] || { echo "build-deb: no .deb was built" >&2; exit 1; }
echo "$deb"
