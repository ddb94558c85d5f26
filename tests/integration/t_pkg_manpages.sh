#!/usr/bin/env bash
# t_pkg_manpages.sh - the man pages (man/) agree with the programs: every
# option and command of `rollcall-agent -h` and `rollcall-coordinator -h` is
# in its page (OPTIONS, COMMANDS and SYNOPSIS) and every one of the page is
# in -h; every setting name common/conf.c accepts is in rollcall.conf(5) and
# every setting of the page is one conf.c accepts.  The pages render without
# groff warnings (as lintian checks them), lexgrog reads their NAME lines,
# their version is the project's, and the example configs of
# rollcall.conf(5) and packaging/ pass `check`.
# servers: none
# requires: man lexgrog
. "$(dirname "$0")/lib.sh"
it_setup pkg_manpages
require_cmd man lexgrog tsig-keygen

MAN=$SRCDIR/man
for b in "$ROLLCALL_AGENT" "$ROLLCALL_COORDINATOR"; do
	[ -x "$b" ] || fail "$b: not built (set ROLLCALL_AGENT/ROLLCALL_COORDINATOR)"
done
errors=()

# compare WHAT A-NAME A-LIST B-NAME B-LIST: each list one item a line;
# every difference is collected in errors (all are reported at the end).
compare() {
	local what=$1 an=$2 a=$3 bn=$4 b=$5 x
	for x in $(comm -23 <(sort -u <<<"$a") <(sort -u <<<"$b")); do
		errors+=("$what $x: in $an, not in $bn")
	done
	for x in $(comm -13 <(sort -u <<<"$a") <(sort -u <<<"$b")); do
		errors+=("$what $x: in $bn, not in $an")
	done
	return 0
}

# help_opts BIN: the options -h shows.  From the synopsis, the first word
# of each [...] group ([-dnvhV] is five options); from the description
# lines ("  -c file   ...", "  -h, -V   ..."), the words before the text.
help_opts() {
	"$1" -h | awk '
	/^  [-a-z]/ { desc = 1 }
	!desc {
		s = $0
		while (match(s, /\[-[^] []*/)) {
			w = substr(s, RSTART + 1, RLENGTH - 1)
			s = substr(s, RSTART + RLENGTH)
			if (w ~ /^--/) print w
			else for (i = 2; i <= length(w); i++) print "-" substr(w, i, 1)
		}
	}
	desc && /^  -/ {
		sub(/^  /, ""); sub(/  .*/, "")
		n = split($0, p, /, */)
		for (i = 1; i <= n; i++) { split(p[i], q, " "); print q[1] }
	}'
}

# help_cmds BIN: the commands -h shows: a|b|c groups of the synopsis, and
# description lines that start with a word ("  check   validate ...").
help_cmds() {
	"$1" -h | awk '
	/^  [-a-z]/ { desc = 1 }
	!desc {
		s = $0
		while (match(s, /[a-z]+(\|[a-z]+)+/)) {
			n = split(substr(s, RSTART, RLENGTH), w, "|")
			for (i = 1; i <= n; i++) print w[i]
			s = substr(s, RSTART + RLENGTH)
		}
	}
	desc && /^  [a-z]/ { print $1 }'
}

# man_section PAGE NAME: the lines of section NAME (.Sh NAME up to the next).
man_section() {
	awk -v s="$2" '/^\.Sh / { on = ($0 == ".Sh " s); next } on' "$1"
}

# man_opts PAGE: the .It Fl items of OPTIONS (\-once is --once).
man_opts() {
	man_section "$1" OPTIONS | sed -n 's/^\.It Fl \([^ ]*\).*/\1/p' |
	    sed 's/\\-/-/g; s/^/-/'
}

# man_synopsis_opts PAGE: the options of SYNOPSIS: .Op Fl dnvhV is five,
# .Op Fl c Ar file is -c, .Op Fl \-once is --once.
man_synopsis_opts() {
	man_section "$1" SYNOPSIS | awk '
	/^\.Op Fl / {
		w = $3; gsub(/\\/, "", w)
		if (w ~ /^-/) print "-" w
		else if (length(w) == 1 || $4 == "Ar" || $4 == "Oo") print "-" w
		else for (i = 1; i <= length(w); i++) print "-" substr(w, i, 1)
	}'
}

# man_cmds PAGE: the .It Cm items of COMMANDS.
man_cmds() {
	man_section "$1" COMMANDS | sed -n 's/^\.It Cm \([a-z]*\).*/\1/p'
}

note "options and commands: -h against the pages"
for prog in agent coordinator; do
	bin=ROLLCALL_${prog^^}
	bin=${!bin}
	page=$MAN/rollcall-$prog.8
	[ -f "$page" ] || fail "$page missing"
	hopts=$(help_opts "$bin")
	hcmds=$(help_cmds "$bin")
	[ -n "$hopts" ] || fail "no options found in $bin -h"
	[ -n "$hcmds" ] || fail "no commands found in $bin -h"
	compare "rollcall-$prog option" "-h" "$hopts" "man/${page##*/} OPTIONS" "$(man_opts "$page")"
	compare "rollcall-$prog option" "-h" "$hopts" "man/${page##*/} SYNOPSIS" "$(man_synopsis_opts "$page")"
	compare "rollcall-$prog command" "-h" "$hcmds" "man/${page##*/} COMMANDS" "$(man_cmds "$page")"
done

note "settings: common/conf.c against rollcall.conf(5)"
# The names conf.c compares setting names with, and the names of its
# tables of settings ({ "zone", "agent setting; ..." }).
conf_settings=$({
	grep -o 'strcmp(name, "[a-z_0-9]*")' "$SRCDIR/common/conf.c" |
	    sed 's/.*"\(.*\)")/\1/'
	sed -n 's/^[[:space:]]*{ "\([a-z_0-9]*\)",.*/\1/p' "$SRCDIR/common/conf.c"
})
[ -n "$conf_settings" ] || fail "no setting names found in common/conf.c"
man_settings=$(sed -n 's/^\.It Ic \([a-z_0-9]*\).*/\1/p' "$MAN/rollcall.conf.5")
compare setting "common/conf.c" "$conf_settings" "man/rollcall.conf.5" "$man_settings"

note "version"
ver=$(sed -n 's/^project(rollcall VERSION \([0-9.]*\).*/\1/p' "$SRCDIR/CMakeLists.txt")
for page in "$MAN"/*.[0-9]; do
	os=$(sed -n 's/^\.Os rollcall //p' "$page")
	[ "$os" = "$ver" ] || errors+=("${page##*/}: .Os says '$os', the project is $ver")
done

note "rendering: groff warnings, lexgrog"
for page in "$MAN"/*.[0-9]; do
	# what lintian runs (groff-message)
	warn=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
	    man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null) ||
	    errors+=("${page##*/}: man -l failed")
	[ -z "$warn" ] || errors+=("${page##*/}: groff: $warn")
	# the rendered page, as a reader sees it
	warn=$(MANWIDTH=80 man -l "$page" 2>&1 >/dev/null) || true
	[ -z "$warn" ] || errors+=("${page##*/}: man -l: $warn")
	run lexgrog "$page"
	[ "$RUN_RC" = 0 ] && [[ $RUN_OUT == *" - "* ]] ||
	    errors+=("${page##*/}: lexgrog: $RUN_OUT$RUN_ERR")
	if command -v mandoc >/dev/null 2>&1; then
		warn=$(mandoc -Tlint -Wwarning "$page" 2>&1) ||
		    errors+=("${page##*/}: mandoc -Tlint: $warn")
	fi
done
command -v mandoc >/dev/null 2>&1 || note "mandoc not installed: mandoc -Tlint not run"

note "example configs pass check"
add_key ex-key
# ex_block N: the Nth .Bd -literal block of rollcall.conf(5)'s EXAMPLES.
ex_block() {
	man_section "$MAN/rollcall.conf.5" EXAMPLES | awk -v n="$1" '
	/^\.Bd -literal/ { k++; on = (k == n); next }
	/^\.Ed/ { on = 0 } on'
}
ex_block 1 >"$IT_DIR/ex-agent.conf"
ex_block 2 >"$IT_DIR/ex-coordinator.conf"
for c in "$IT_DIR/ex-agent.conf" "$SRCDIR/packaging/agent.conf"; do
	run "$ROLLCALL_AGENT" -c "$c" -k "$(key_file ex-key)" check
	[ "$RUN_RC" = 0 ] || errors+=("rollcall-agent check ${c##*/}: exit $RUN_RC: $RUN_ERR")
done
for c in "$IT_DIR/ex-coordinator.conf" "$SRCDIR/packaging/coordinator.conf"; do
	run "$ROLLCALL_COORDINATOR" -c "$c" -k "$(key_file ex-key)" check
	[ "$RUN_RC" = 0 ] || errors+=("rollcall-coordinator check ${c##*/}: exit $RUN_RC: $RUN_ERR")
done

if [ ${#errors[@]} -gt 0 ]; then
	fail "$(printf '%s\n' "${#errors[@]} difference(s):" "${errors[@]}")"
fi
