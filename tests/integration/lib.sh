# shellcheck shell=bash
# lib.sh - shared harness for the integration tests (sourced, not run).
#
#   #!/usr/bin/env bash
#   . "$(dirname "$0")/lib.sh"
#   it_setup my_test            # work dir + cleanup trap
#   require_cmd nsupdate        # exit 77 (SKIPPED) when missing
#   start_server                 # BIND on 127.0.0.1:$SRV_PORT, zone example.test
#   ...
#
# Everything runs on 127.0.0.1 only: named listens on loopback, has no
# recursion, no forwarders, no root hints and no NOTIFY, and its query,
# notify and transfer sources are pinned to 127.0.0.1, so no packet can leave
# the machine.  Each test owns a private directory; its EXIT trap kills every
# server it started and removes the directory (KEEP=1 keeps it).  A watchdog
# does the same within a second when the test is killed with SIGKILL, and
# tests/run.sh reaps whatever is left (it_reap_stale).
#
# Environment read (CTest sets the first three, see tests.cmake):
#   ROLLCALL_AGENT  the agent binary   (default $SRCDIR/build/agent/rollcall-agent)
#   FREEPORT        the freeport tool  (default: build/tests/freeport, else
#                   compiled from tests/tools/freeport.c into the work dir)
#   SRCDIR          source tree        (default: two levels above this file)
#   KEEP=1          keep the work dir (and print where it is)
#   NAMED_START_TIMEOUT  seconds to wait for named to answer (default 20)
#
# Functions (details above each):
#   it_setup NAME                 it_on_exit CMD...
#   require_cmd CMD...            skip REASON            fail MSG
#   note MSG
#   add_key NAME [ALG]            key_file NAME          key_secret NAME
#   key_fields FILE               key_y NAME
#   start_server [ZONE_TEMPLATE]   stop_server             restart_server
#   server_log [LINES]
#   qdig DIG-ARGS...              nsupd [NSUPDATE-ARGS...] <script
#   axfr_snapshot FILE [KEYNAME]  pool_addrs NAME
#   agent_conf FILE HOST_ID ADDR...  start_proxy MODE [COUNT]
#   coord_conf FILE [LINE...]         stale_host HOST POOL AGE LEASE ADDR...
#   run CMD...                    assert_status CODE CMD...
#   wait_until TIMEOUT CMD...
#   assert_eq EXPECTED ACTUAL [MSG]
#   assert_contains HAYSTACK NEEDLE [MSG]
#   assert_not_contains HAYSTACK NEEDLE [MSG]
#   it_reap_stale                 (for tests/run.sh)
#
# Servers are children of the test script: wait for a PID of your own,
# never a bare `wait`.  lib.sh turns on `set -euo pipefail`.

set -euo pipefail
shopt -s inherit_errexit

IT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${SRCDIR:=$(cd "$IT_LIB_DIR/../.." && pwd)}"
export SRCDIR
: "${ROLLCALL_AGENT:=$SRCDIR/build/agent/rollcall-agent}"
: "${ROLLCALL_COORDINATOR:=$SRCDIR/build/coordinator/rollcall-coordinator}"
export ROLLCALL_AGENT ROLLCALL_COORDINATOR

# Sanitizer reports get exit codes of their own, so that a leak in the agent
# (ASan build) never passes for one of its documented exit codes 0-4.
export ASAN_OPTIONS="exitcode=86:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="exitcode=87:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# The TSIG algorithms every server must accept; start_server makes one key
# per algorithm, named rc-<alg without "hmac-"> (rc-md5 ... rc-sha512).
IT_ALGS="hmac-md5 hmac-sha1 hmac-sha224 hmac-sha256 hmac-sha384 hmac-sha512"
IT_KEYS="rc-md5 rc-sha1 rc-sha224 rc-sha256 rc-sha384 rc-sha512"
SRV_ZONE=example.test
export IT_ALGS IT_KEYS SRV_ZONE

# ---------------------------------------------------------------------------
# Messages and failure

# note MSG: progress line on stderr, with seconds since it_setup.
note() {
	local d=$(( $(_it_now_us) - ${_it_t0:-$(_it_now_us)} ))
	printf '[%s %d.%02ds] %s\n' "${IT_NAME:-it}" $((d / 1000000)) \
	    $((d / 10000 % 100)) "$*" >&2
}

# _it_now_us: wall clock in microseconds (bash 5's EPOCHREALTIME).
_it_now_us() {
	printf '%s\n' "${EPOCHREALTIME//[!0-9]/}"
}

# fail MSG: print "FAIL: MSG" on stderr and exit 1 (the trap cleans up).
# Called in a subshell, e.g. x=$(pool_addrs ...) or assert_eq a "$(...)",
# it ends the test script too (SIGUSR1), so a failure is never lost.
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	if [ "$BASHPID" != "$$" ] && [ -z "${_it_soft:-}" ]; then
		kill -USR1 "$$" 2>/dev/null || true
	fi
	exit 1
}

# skip REASON: print "SKIPPED: REASON" and exit 77, which CTest counts as
# skipped (SKIP_RETURN_CODE), never as passed.
skip() {
	printf 'SKIPPED: %s\n' "$*"
	exit 77
}

# require_cmd CMD...: skip the test unless every command is on PATH
# (sbin directories included).
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not found (install bind9/bind9-utils/bind9-dnsutils)"
	done
}
PATH=$PATH:/usr/sbin:/sbin:/usr/local/sbin

# ---------------------------------------------------------------------------
# Processes

# _it_alive PID: true when PID exists and is not a zombie.
_it_alive() {
	local stat
	[[ $1 =~ ^[0-9]+$ ]] || return 1
	{ read -r stat </proc/"$1"/stat; } 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# _it_starttime PID: the process start time (field 22 of /proc/PID/stat),
# which tells a live owner from a recycled PID.
_it_starttime() {
	local stat f
	{ read -r stat </proc/"$1"/stat; } 2>/dev/null || return 1
	read -ra f <<<"${stat##*) }"
	printf '%s\n' "${f[19]}"
}

# _it_pids_in DIR: PIDs of live processes whose command line mentions DIR/
# (every server we start reads its config from inside its work dir).
_it_pids_in() {
	local p args
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[[ $p != "$$" && $p != "$BASHPID" ]] || continue
		{ mapfile -d '' args </proc/"$p"/cmdline; } 2>/dev/null || continue
		[[ "${args[*]:-}" == *"$1/"* ]] && _it_alive "$p" && printf '%s\n' "$p"
	done
	return 0
}

# _it_kill PID...: SIGTERM, wait up to 5 s, then SIGKILL.
_it_kill() {
	local p i left
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		left=()
		for p in "$@"; do _it_alive "$p" && left+=("$p"); done
		[ ${#left[@]} -gt 0 ] || return 0
		sleep 0.05
	done
	kill -KILL "${left[@]}" 2>/dev/null || true
	return 0
}

# _it_reap_dir DIR: kill the servers of a work dir whose owner is gone and
# remove the dir, unless the owner asked to keep it.
_it_reap_dir() {
	local d=$1 pids
	mapfile -t pids < <(_it_pids_in "$d")
	_it_kill "${pids[@]}"
	[ -e "$d/kept" ] || rm -rf -- "$d"
}

# it_reap_stale: reap every ${TMPDIR:-/tmp}/rollcall-it.* whose owning test
# script is dead (killed, crashed machine).  Dirs of live tests are untouched,
# so this is safe while other tests run.
it_reap_stale() {
	local d pid start now
	for d in "${TMPDIR:-/tmp}"/rollcall-it.*; do
		[ -d "$d" ] || continue
		pid='' start=''
		{ read -r pid start <"$d/owner"; } 2>/dev/null || true
		if [ -n "$pid" ] && _it_alive "$pid" &&
		    now=$(_it_starttime "$pid") && [ "$now" = "$start" ]; then
			continue
		fi
		if [ -z "$pid" ] && [ -n "$(find "$d" -maxdepth 0 -mmin -1)" ]; then
			continue	# being created right now
		fi
		[ -e "$d/kept" ] || note "reaping stale $d"
		_it_reap_dir "$d"
	done
}

# ---------------------------------------------------------------------------
# Setup and teardown

# it_setup NAME: create the work dir $IT_DIR (under ${TMPDIR:-/tmp}), start
# the watchdog, and install the EXIT trap.  Call once, first.
#   exports IT_NAME IT_DIR KEYDIR FREEPORT
it_setup() {
	IT_NAME=${1:?it_setup NAME}
	_it_t0=$(_it_now_us)
	IT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-it.$IT_NAME.XXXXXX")
	echo "$$ $(_it_starttime $$)" >"$IT_DIR/owner"
	KEYDIR=$IT_DIR/keys
	mkdir -m 700 "$KEYDIR"
	export IT_NAME IT_DIR KEYDIR
	_it_exit_hooks=()

	trap _it_exit EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 1' USR1

	# Watchdog: when this script dies without running its trap (SIGKILL,
	# CTest timeout), kill its servers and remove the dir.  Detached from
	# our stdout/stderr so CTest does not wait for it, and not our child so
	# a bare `wait` in a test does not wait for it.
	(
		trap - EXIT HUP INT TERM USR1
		(
			while _it_alive "$$" && [ -d "$IT_DIR" ]; do
				sleep 0.5
			done
			[ ! -d "$IT_DIR" ] || _it_reap_dir "$IT_DIR"
		) </dev/null >/dev/null 2>&1 &
	)

	_it_find_freeport
}

# it_on_exit CMD...: run CMD (eval'd in a subshell) at exit, before the
# servers are killed.  Tests must not set their own EXIT trap.
it_on_exit() {
	_it_exit_hooks+=("$*")
}

_it_exit() {
	local rc=$? h pids
	set +e
	trap - EXIT
	trap '' HUP INT TERM USR1	# finish the cleanup whatever comes
	for h in "${_it_exit_hooks[@]}"; do (_it_soft=1; eval "$h"); done
	if [ $rc -ne 0 ] && [ $rc -ne 77 ] && [ -n "${SRV_LOG:-}" ] && [ -f "$SRV_LOG" ]; then
		printf -- '--- %s since start-up (last 40 lines) ---\n' "$SRV_LOG" >&2
		tail -n 40 "$SRV_LOG" >&2
	fi
	mapfile -t pids < <(_it_pids_in "$IT_DIR")
	_it_kill "${pids[@]}"
	if [ "${KEEP:-0}" = 1 ]; then
		touch "$IT_DIR/kept"
		note "KEEP=1: work dir kept: $IT_DIR"
	else
		rm -rf -- "$IT_DIR"
	fi
	[ $rc -ne 0 ] || note "ok"
	exit $rc
}

_it_find_freeport() {
	if [ -n "${FREEPORT:-}" ] && [ -x "$FREEPORT" ]; then
		:
	elif [ -x "$SRCDIR/build/tests/freeport" ]; then
		FREEPORT=$SRCDIR/build/tests/freeport
	else
		FREEPORT=$IT_DIR/freeport
		cc -O -o "$FREEPORT" "$SRCDIR/tests/tools/freeport.c" ||
		    fail "cannot build $SRCDIR/tests/tools/freeport.c"
	fi
	export FREEPORT
}

# ---------------------------------------------------------------------------
# Keys

# add_key NAME [ALG]: make a TSIG key (default hmac-sha256) in $KEYDIR/NAME.key
# (named.conf syntax, mode 600).  Keys added before start_server are known to
# named; give them rights with NAMED_POLICY_EXTRA.
add_key() {
	local name=${1:?add_key NAME [ALG]} alg=${2:-hmac-sha256}
	(umask 077 && tsig-keygen -a "$alg" "$name" >"$KEYDIR/$name.key") ||
	    fail "tsig-keygen -a $alg $name failed"
}

# key_file NAME: path of a key made by add_key/start_server.
key_file() {
	printf '%s\n' "$KEYDIR/${1:?key_file NAME}.key"
}

# key_secret NAME: the base64 secret of key NAME (for -y alg:name:secret).
key_secret() {
	sed -n 's/.*secret "\([^"]*\)".*/\1/p' "$(key_file "$1")"
}

# key_fields FILE: "NAME ALGORITHM SECRET" of a key file made by add_key.
key_fields() {
	awk -F'"' '/^key/ { n = $2 } /algorithm/ { a = $0; sub(/.*algorithm[ \t]+/, "", a); sub(/;.*/, "", a) }
	    /secret/ { s = $2 } END { print n, a, s }' "${1:?key_fields FILE}"
}

# key_y NAME: key NAME as "alg:name:secret" (nsupdate -y, a knsupdate -k file).
key_y() {
	local name alg secret
	read -r name alg secret < <(key_fields "$(key_file "${1:?key_y NAME}")")
	printf '%s:%s:%s\n' "$alg" "$name" "$secret"
}

# ---------------------------------------------------------------------------
# The DNS server under test (start_server, stop_server, ...): servers.sh

. "$IT_LIB_DIR/servers.sh"

# ---------------------------------------------------------------------------
# DNS helpers

# qdig DIG-ARGS...: dig against our named (port, server, 1 try, 2 s).
qdig() {
	dig -p "$SRV_PORT" @127.0.0.1 +tries=1 +time=2 "$@"
}

# nsupd [NSUPDATE-ARGS...] <SCRIPT: nsupdate with "server 127.0.0.1 PORT"
# and "zone example.test" put before SCRIPT (which ends with "send").
# Returns nsupdate's exit code (0 ok, 2 update failed, 1 fatal).
#   nsupd -k "$(key_file rc-sha256)" <<EOF
#   update add a.example.test. 60 A 192.0.2.7
#   send
#   EOF
nsupd() {
	{
		printf 'server 127.0.0.1 %s\nzone %s\n' "$SRV_PORT" "$SRV_ZONE"
		cat
	} | nsupdate -t 10 "$@"
}

# axfr_snapshot FILE [KEYNAME]: TSIG-signed AXFR (key rc-sha256 by default)
# into FILE, one record per line, fields separated by one space, TSIG
# dropped, the closing SOA folded into the opening one, sorted.  The SOA
# (serial included) stays: an unchanged zone keeps its serial, so equal
# snapshots mean an unchanged zone.  Fails when the transfer fails.
axfr_snapshot() {
	local file=${1:?axfr_snapshot FILE [KEYNAME]} key=${2:-rc-sha256} out
	out=$(qdig +time=5 -k "$(key_file "$key")" "$SRV_ZONE" AXFR 2>&1) ||
	    fail "AXFR failed: $out"
	case $out in
	*"Transfer failed"*|*"Couldn't verify"*|*"; communications error"*)
		fail "AXFR failed: $out" ;;
	esac
	grep -v -e '^;' -e '^[[:space:]]*$' <<<"$out" |
	    awk '$4 != "TSIG" { $1 = $1; print }' | LC_ALL=C sort -u >"$file"
	grep -q ' SOA ' "$file" || fail "AXFR returned no SOA: $out"
}

# pool_addrs NAME: the A and AAAA addresses of NAME, one a line, sorted
# (nothing when the name has none).  Fails when dig gets no answer.
pool_addrs() {
	local name=${1:?pool_addrs NAME} a aaaa
	if ! a=$(qdig +short "$name" A) || [[ $a == *";;"* ]]; then
		fail "dig $name A: $a"
	fi
	if ! aaaa=$(qdig +short "$name" AAAA) || [[ $aaaa == *";;"* ]]; then
		fail "dig $name AAAA: $aaaa"
	fi
	printf '%s\n%s\n' "$a" "$aaaa" | grep -v '^$' | LC_ALL=C sort || true
}

# agent_conf FILE HOST_ID ADDR...: write an agent config for our named, one
# pool holding ADDR....  Overrides: KEY (rc-sha256), POOL (srv.example.test),
# LEASE (180), TTL (60).
agent_conf() {
	local file=${1:?agent_conf FILE HOST_ID ADDR...} host=${2:?} key=${KEY:-rc-sha256}
	local addrs='' a
	shift 2
	for a in "$@"; do addrs+="${addrs:+, }\"$a\""; done
	cat >"$file" <<EOF
server = "127.0.0.1";
port = $SRV_PORT;
zone = "$SRV_ZONE";
key_file = "$KEYDIR/$key.key";
key_name = "$key";
host_id = "$host";
lease = ${LEASE:-180};
ttl = ${TTL:-60};
pools = ( { name = "${POOL:-srv.example.test}"; addresses = [ $addrs ]; } );
EOF
}

# coord_conf FILE [LINE...]: a coordinator config for our named managing
# example.test (key rc-sha256, grace 0, poll 1), plus the extra lines.
coord_conf() {
	local file=${1:?coord_conf FILE [LINE...]}
	shift
	{
		cat <<EOF
server = "127.0.0.1";
port = $SRV_PORT;
key_file = "$KEYDIR/rc-sha256.key";
zones = [ "$SRV_ZONE" ];
grace = 0;
poll = 1;
EOF
		printf '%s\n' "$@"
	} >"$file"
}

# stale_host HOST POOL AGE LEASE ADDR...: a registration whose last
# heartbeat was AGE seconds ago, with its addresses, written by nsupdate as
# a host that died without deregistering would have left it.
stale_host() {
	local host=${1:?} pool=${2:?} age=${3:?} lease=${4:?} t a txt
	shift 4
	t=$(( $(date +%s) - age ))
	txt="v=rc1 t=$t lease=$lease"
	for a in "$@"; do txt+=" a=$a"; done
	{
		echo "update add $host._rollcall.$pool. 60 IN TXT \"$txt\""
		for a in "$@"; do
			if [[ $a == *:* ]]; then echo "update add $pool. 60 IN AAAA $a"
			else echo "update add $pool. 60 IN A $a"; fi
		done
		echo send
	} | nsupd -k "$KEYDIR/rc-sha256.key" || fail "nsupdate could not write stale host $host"
}

# start_proxy MODE [COUNT]: a misbehaving UDP proxy (tests/tools/dnsproxy.c)
# in front of our named, on a free port exported as PROXY_PORT.  Its output
# goes to the work dir (never to the test's stdout, which CTest waits on)
# and it is killed when the test ends.
start_proxy() {
	local mode=${1:?start_proxy MODE [COUNT]} out pid
	PROXY_PORT=$("$FREEPORT")
	out=$IT_DIR/proxy.$PROXY_PORT.out
	"${DNSPROXY:?DNSPROXY not set}" "$PROXY_PORT" "${SRV_PORT:-9}" "$mode" ${2:+"$2"} \
	    >"$out" 2>&1 </dev/null &
	pid=$!
	it_on_exit "kill $pid 2>/dev/null"
	wait_until 5 grep -q ready "$out" || fail "dnsproxy did not start: $(cat "$out")"
	export PROXY_PORT
}

# ---------------------------------------------------------------------------
# Running commands and assertions

# run CMD...: run CMD without tripping set -e; sets RUN_RC, RUN_OUT (stdout)
# and RUN_ERR (stderr).
run() {
	local o=$IT_DIR/run.out e=$IT_DIR/run.err
	RUN_RC=0
	"$@" >"$o" 2>"$e" || RUN_RC=$?
	RUN_OUT=$(cat "$o")
	RUN_ERR=$(cat "$e")
}

# assert_status CODE CMD...: run CMD (as `run`) and fail unless it exits CODE.
assert_status() {
	local want=${1:?assert_status CODE CMD...}
	shift
	run "$@"
	local why=
	case $RUN_RC in
	86) why=" (AddressSanitizer/LeakSanitizer report)" ;;
	87) why=" (UndefinedBehaviorSanitizer report)" ;;
	esac
	[ "$RUN_RC" = "$want" ] ||
	    fail "$(printf '%q ' "$@"): exit $RUN_RC$why, expected $want
--- stdout ---
$RUN_OUT
--- stderr ---
$RUN_ERR"
}

# wait_until TIMEOUT CMD...: run CMD every 50 ms until it succeeds (return
# 0) or TIMEOUT seconds (may be fractional) have passed (return 1).
wait_until() {
	local timeout=${1:?wait_until TIMEOUT CMD...} deadline us
	shift
	us=$(awk -v t="$timeout" 'BEGIN { printf "%d", t * 1000000 }')
	deadline=$(( $(_it_now_us) + us ))
	while :; do
		# A subshell, so a fail inside CMD only means "not yet".
		(_it_soft=1; "$@") >/dev/null 2>&1 && return 0
		[ "$(_it_now_us)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# assert_eq EXPECTED ACTUAL [MSG]
assert_eq() {
	[ "$1" == "$2" ] && return 0
	fail "${3:-values differ}
--- expected ---
$1
--- actual ---
$2"
}

# assert_contains HAYSTACK NEEDLE [MSG]  (fixed string)
assert_contains() {
	[[ $1 == *"$2"* ]] && return 0
	fail "${3:-missing text}: \"$2\" not in:
$1"
}

# assert_not_contains HAYSTACK NEEDLE [MSG]  (fixed string)
assert_not_contains() {
	[[ $1 != *"$2"* ]] && return 0
	fail "${3:-unexpected text}: \"$2\" found in:
$1"
}
