#!/usr/bin/env bash
# Monitoring: the coordinator's Prometheus metrics (HTTP and the
# node_exporter textfile) after a scenario with exact values, the systemd
# notifications (READY, STATUS, WATCHDOG, RELOADING, STOPPING) on a
# NOTIFY_SOCKET, and the syslog priority prefixes journald reads.
# Failures first: a wrong key counted as a TSIG failure, a port taken.
# requires: nsupdate curl python3
. "$(dirname "$0")/lib.sh"
it_setup coord_metrics
start_server
A=$ROLLCALL_AGENT C=$ROLLCALL_COORDINATOR P=srv.example.test
Z=example.test.

# metric NAME{LABELS} from a scrape in $1: its value ("" when absent)
metric() {
	awk -v k="$2" '$1 == k { print $2 }' <<<"$1"
}
# assert_metric SCRAPE NAME{LABELS} VALUE
assert_metric() {
	assert_eq "$3" "$(metric "$1" "$2")" "$2"
}

# the scenario: two live agents, a dead host (expired), a dead host held
# back by min_members, an alias of an in-zone name (synced) and one of a
# name the (dead) resolver cannot answer
agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11
agent_conf "$IT_DIR/h2.conf" host2 192.0.2.12
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register
assert_status 0 "$A" -c "$IT_DIR/h2.conf" register
stale_host dead1 $P 1000 60 192.0.2.31
stale_host held1 mm.example.test 1000 60 192.0.2.41
DEAD_RES=$("$FREEPORT")
MPORT=$("$FREEPORT")
coord_conf "$IT_DIR/c.conf" \
    "resolver = \"127.0.0.1\"; resolver_port = $DEAD_RES;" \
    'pools = ( { name = "mm.example.test"; min_members = 1; } );' \
    'aliases = ( { name = "mx1.example.test"; targets = [ "www.example.test" ]; },' \
    '            { name = "ext.example.test"; targets = [ "www.nowhere.invalid" ]; } );'
cp "$IT_DIR/c.conf" "$IT_DIR/plain.conf"
mkdir "$IT_DIR/tf"
TF=$IT_DIR/tf/rollcall.prom
printf '%s\n' "metrics_port = $MPORT;" "metrics_textfile = \"$TF\";" >>"$IT_DIR/c.conf"

# --- failures first ---------------------------------------------------------
# a wrong key: --once fails, and its textfile counts the TSIG failure
assert_status 3 "$C" -c "$IT_DIR/c.conf" -y "hmac-sha256:rc-sha256:$(key_secret rc-sha512)" --once
[ -f "$TF" ] || fail "--once wrote no textfile"
tf=$(cat "$TF")
case $SRV_KIND in	# PowerDNS answers a bad key unsigned
pdns) bad=unsigned ;;
*) bad=BADSIG ;;
esac
assert_metric "$tf" "rollcall_coordinator_tsig_failures_total{kind=\"$bad\"}" 1
assert_metric "$tf" 'rollcall_coordinator_pass_failures_total{kind="tsig"}' 1
assert_metric "$tf" 'rollcall_coordinator_last_pass_ok' 0
assert_metric "$tf" 'rollcall_coordinator_last_success_timestamp_seconds' 0
assert_metric "$tf" 'rollcall_coordinator_passes_total{result="failed"}' 1
rm -f "$TF"
# a bad setting is refused with its line
printf 'metrics_textfile = "relative.prom";\nmetrics_listen = "localhost";\n' >"$IT_DIR/bad.conf"
assert_status 1 "$C" -c "$IT_DIR/bad.conf" check
assert_contains "$RUN_ERR" "bad.conf:1: metrics_textfile: 'relative.prom' is not an absolute path"
assert_contains "$RUN_ERR" "bad.conf:2: metrics_listen: 'localhost' is not an IPv4 or IPv6 address"
# a port taken: the daemon does not start (exit 1) and says why
python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("up", flush=True); time.sleep(60)' \
    "$MPORT" >"$IT_DIR/squat.out" 2>&1 &
SQUAT=$!
it_on_exit "kill $SQUAT 2>/dev/null"
wait_until 5 grep -q up "$IT_DIR/squat.out" || fail "port squatter did not start"
assert_status 1 "$C" -c "$IT_DIR/c.conf"
assert_contains "$RUN_ERR" "metrics_listen: cannot listen on 127.0.0.1#$MPORT (TCP)"
kill "$SQUAT"; wait "$SQUAT" 2>/dev/null || true

# --- the daemon, with systemd's notification socket and a watchdog ----------
# the listener prints each datagram on one line, fields joined by '|'
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as f:
    f.write("listening\n")
    while True:
        f.write(s.recv(4096).decode().replace("\n", "|") + "\n")
' "$IT_DIR/notify.sock" "$IT_DIR/notify.log" >/dev/null 2>&1 &
NPID=$!
it_on_exit "kill $NPID 2>/dev/null"
wait_until 5 grep -q listening "$IT_DIR/notify.log" || fail "notify listener did not start"
t_start=$(date +%s)
(umask 077; NOTIFY_SOCKET=$IT_DIR/notify.sock WATCHDOG_USEC=500000 \
    exec "$C" -c "$IT_DIR/c.conf") >"$IT_DIR/coord.log" 2>&1 &
CPID=$!
it_on_exit "kill $CPID 2>/dev/null"
URL=http://127.0.0.1:$MPORT/metrics

# READY=1 comes with the first pass's STATUS
wait_until 15 grep -q 'READY=1' "$IT_DIR/notify.log" || fail "no READY=1: $(cat "$IT_DIR/notify.log")"
ready=$(grep -m1 'READY=1' "$IT_DIR/notify.log")
# dead1 and held1 expired (held1 held back); mx1 synced by the pass itself
assert_contains "$ready" "STATUS=last pass ok; registrations: 2 live, 2 expired (1 held back); aliases: 1/2 in sync; last error: none"

# converged: dead1 expired, mx1 synced, ext left (its target unresolvable)
scrape() { curl -sS --max-time 5 "$URL"; }
converged() {
	local s
	s=$(scrape) || return 1
	[ "$(metric "$s" "rollcall_coordinator_registrations{zone=\"$Z\",pool=\"$P.\",state=\"expired\"}")" = 0 ] &&
	    [ "$(metric "$s" 'rollcall_coordinator_aliases{state="in_sync"}')" = 1 ]
}
wait_until 20 converged || fail "no convergence: $(scrape)"
s=$(scrape)
assert_metric "$s" "rollcall_coordinator_registrations{zone=\"$Z\",pool=\"$P.\",state=\"live\"}" 2
assert_metric "$s" "rollcall_coordinator_registrations{zone=\"$Z\",pool=\"$P.\",state=\"unreadable\"}" 0
assert_metric "$s" "rollcall_coordinator_registrations{zone=\"$Z\",pool=\"mm.example.test.\",state=\"live\"}" 0
assert_metric "$s" "rollcall_coordinator_registrations{zone=\"$Z\",pool=\"mm.example.test.\",state=\"expired\"}" 1
assert_metric "$s" "rollcall_coordinator_expiries_held_back{zone=\"$Z\",pool=\"mm.example.test.\"}" 1
assert_metric "$s" "rollcall_coordinator_expiries_held_back{zone=\"$Z\",pool=\"$P.\"}" 0
assert_metric "$s" "rollcall_coordinator_pool_addresses{zone=\"$Z\",pool=\"$P.\"}" 3
assert_metric "$s" 'rollcall_coordinator_aliases{state="in_sync"}' 1
assert_metric "$s" 'rollcall_coordinator_aliases{state="out_of_sync"}' 0
assert_metric "$s" 'rollcall_coordinator_aliases{state="target_unresolved"}' 1
assert_metric "$s" 'rollcall_coordinator_aliases{state="target_missing"}' 0
assert_metric "$s" 'rollcall_coordinator_actions_total{kind="expire",result="applied"}' 1
assert_metric "$s" 'rollcall_coordinator_actions_total{kind="alias",result="applied"}' 1
assert_metric "$s" 'rollcall_coordinator_actions_total{kind="expire",result="failed"}' 0
assert_metric "$s" 'rollcall_coordinator_actions_total{kind="repair",result="applied"}' 0
assert_metric "$s" 'rollcall_coordinator_updates_total' 1
assert_metric "$s" 'rollcall_coordinator_last_pass_ok' 1
assert_metric "$s" 'rollcall_coordinator_passes_total{result="failed"}' 0
assert_metric "$s" 'rollcall_coordinator_tsig_failures_total{kind="BADSIG"}' 0
assert_not_contains "$s" "rollcall_coordinator_update_failures_total{"
assert_contains "$s" "rollcall_coordinator_build_info{version=\""
assert_contains "$s" "# TYPE rollcall_coordinator_actions_total counter"
assert_contains "$s" "# TYPE rollcall_coordinator_registrations gauge"
assert_contains "$s" "# HELP rollcall_coordinator_aliases "
# the zone was read at start and again after the update
[ "$(metric "$s" rollcall_coordinator_zone_transfers_total)" -ge 2 ] ||
    fail "zone transfers: $(metric "$s" rollcall_coordinator_zone_transfers_total)"
[ "$(metric "$s" rollcall_coordinator_soa_queries_total)" -ge 2 ] || fail "SOA queries"
last=$(metric "$s" rollcall_coordinator_last_success_timestamp_seconds)
[ "$last" -ge "$t_start" ] && [ "$last" -le "$(date +%s)" ] || fail "last success $last (started $t_start)"
# each expiry and alias change is one log line naming it and what changed
assert_contains "$(cat "$IT_DIR/coord.log")" "expire dead1 in $P.: applied, 2 changes (-192.0.2.31)"
assert_contains "$(cat "$IT_DIR/coord.log")" "update alias mx1.example.test.: applied"
assert_contains "$(cat "$IT_DIR/coord.log")" "held back: host held1 in mm.example.test."

# HTTP: the content type of format 0.0.4, HEAD, 404, 405
hdr=$(curl -sS -D - -o /dev/null "$URL")
assert_contains "$hdr" "Content-Type: text/plain; version=0.0.4; charset=utf-8"
assert_eq 200 "$(curl -sS -I -o /dev/null -w '%{http_code}' "$URL")" "HEAD"
assert_eq 404 "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/nope")" "404"
assert_eq 405 "$(curl -sS -X POST -o /dev/null -w '%{http_code}' "$URL")" "405"
# an escaped NUL does not pass for /metrics
assert_eq 404 "$(curl -sS -o /dev/null -w '%{http_code}' "$URL%00x")" "/metrics%00x"
# slow clients from one address (trickling header lines, never idle for
# long) cannot lock the scraper out: 4 connections per address
python3 - "$MPORT" "$IT_DIR/slow.ready" <<'PY' >"$IT_DIR/slow.log" 2>&1 &
import socket, sys, time
held = []
for i in range(12):
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2,
                                     source_address=("127.0.0.2", 0))
        s.send(b"GET /metrics HTTP/1.1\r\n")
        held.append(s)
    except OSError as e:
        print("connect", i, e, flush=True)
open(sys.argv[2], "w").close()
end = time.time() + 20
while time.time() < end:
    for s in held:
        try:
            s.send(b"X-a: b\r\n")
        except OSError:
            pass
    time.sleep(1)
PY
SLOWPID=$!
wait_until 10 test -f "$IT_DIR/slow.ready" || fail "slow clients did not start"
sleep 1
assert_eq 200 "$(curl -sS --max-time 3 -o /dev/null -w '%{http_code}' "$URL")" "scrape beside 12 slow clients"
kill "$SLOWPID" 2>/dev/null; wait "$SLOWPID" 2>/dev/null || true

# the textfile: the same numbers, mode 0644 under umask 077, no temp left
wait_until 5 test -f "$TF" || fail "no textfile"
assert_eq 644 "$(stat -c %a "$TF")" "textfile mode"
assert_eq "" "$(find "$IT_DIR/tf" -name 'rollcall.prom?*')" "temporary file left"
tf=$(cat "$TF")
for k in "rollcall_coordinator_registrations{zone=\"$Z\",pool=\"$P.\",state=\"live\"}" \
    'rollcall_coordinator_aliases{state="in_sync"}' \
    'rollcall_coordinator_actions_total{kind="expire",result="applied"}'; do
	assert_eq "$(metric "$s" "$k")" "$(metric "$tf" "$k")" "textfile $k"
done

# STATUS follows the state; WATCHDOG=1 every 250 ms while idle
wait_until 5 grep -q 'STATUS=last pass ok; registrations: 2 live, 1 expired (1 held back); aliases: 1/2 in sync; last error: none' \
    "$IT_DIR/notify.log" || fail "STATUS not updated: $(cat "$IT_DIR/notify.log")"
n0=$(grep -c '^WATCHDOG=1$' "$IT_DIR/notify.log" || true)
sleep 1.5
n1=$(grep -c '^WATCHDOG=1$' "$IT_DIR/notify.log" || true)
[ $((n1 - n0)) -ge 4 ] || fail "$((n1 - n0)) WATCHDOG=1 in 1.5 s (WATCHDOG_USEC=500000)"
n=$(grep -c 'STATUS=' "$IT_DIR/notify.log")
[ "$n" -le 3 ] || fail "$n STATUS= messages: one per change, not per pass"

# SIGHUP: RELOADING=1 (with MONOTONIC_USEC) then READY=1
kill -HUP "$CPID"
wait_until 10 grep -q 'reloaded' "$IT_DIR/coord.log" || fail "reload not logged"
wait_until 5 bash -c "grep -A100 '^RELOADING=1|MONOTONIC_USEC=' '$IT_DIR/notify.log' | grep -q '^READY=1|STATUS='" ||
    fail "no RELOADING=1 then READY=1: $(cat "$IT_DIR/notify.log")"
# a reload that moves the textfile removes the old one (node_exporter
# would serve it, stale, for ever); one that drops the setting too
TF2=$IT_DIR/tf/moved.prom
sed -i "s|^metrics_textfile = .*|metrics_textfile = \"$TF2\";|" "$IT_DIR/c.conf"
kill -HUP "$CPID"
wait_until 10 test -f "$TF2" || fail "no textfile at its new path after a reload"
wait_until 5 test ! -e "$TF" || fail "the old textfile is left after a reload"
sed -i '/^metrics_textfile = /d' "$IT_DIR/c.conf"
kill -HUP "$CPID"
wait_until 10 test ! -e "$TF2" || fail "the textfile is left after a reload dropped it"
assert_eq "" "$(ls -A "$IT_DIR/tf")" "files left in the textfile directory"

# the primary goes away: the scrape still answers at once, and says so
stop_server
wait_until 15 bash -c "curl -sS --max-time 2 '$URL' | grep -qx 'rollcall_coordinator_last_pass_ok 0'" ||
    fail "last_pass_ok did not drop: $(scrape)"
t0=$(_it_now_us)
s=$(scrape)
note "scrape while the primary is down: $(( ($(_it_now_us) - t0) / 1000 )) ms"
[ "$(metric "$s" 'rollcall_coordinator_pass_failures_total{kind="network"}')" -ge 1 ] || fail "network failure not counted"
wait_until 5 grep -q 'STATUS=last pass FAILED; .*last error: .*SOA of example.test' "$IT_DIR/notify.log" ||
    fail "STATUS does not say the pass failed: $(tail -3 "$IT_DIR/notify.log")"

# SIGTERM: STOPPING=1, exit 0
kill -TERM "$CPID"
rc=0; wait "$CPID" || rc=$?
assert_eq 0 "$rc" "exit status on SIGTERM"
grep -q '^STOPPING=1$' "$IT_DIR/notify.log" || fail "no STOPPING=1"

# WATCHDOG_PID names another process: no keep-alives from us
: >"$IT_DIR/notify.log"
restart_server
NOTIFY_SOCKET=$IT_DIR/notify.sock WATCHDOG_USEC=200000 WATCHDOG_PID=1 \
    "$C" -c "$IT_DIR/plain.conf" >"$IT_DIR/coord2.log" 2>&1 &
CPID=$!
wait_until 15 grep -q 'READY=1' "$IT_DIR/notify.log" || fail "no READY=1 (second run)"
sleep 0.5
kill -TERM "$CPID"; wait "$CPID" || true
assert_eq 0 "$(grep -c '^WATCHDOG=1$' "$IT_DIR/notify.log" || true)" "WATCHDOG=1 for another pid's watchdog"

# --- journald: syslog priority prefixes when stderr is JOURNAL_STREAM -------
# (systemd.exec(5): "DEV:INO" of the stream, st_dev in decimal)
stale_host dead2 $P 1000 60 192.0.2.32
: >"$IT_DIR/j.err"
JS=$(stat -c '%d:%i' "$IT_DIR/j.err")
JOURNAL_STREAM=$JS "$C" -d -c "$IT_DIR/plain.conf" --once >/dev/null 2>"$IT_DIR/j.err" || true
j=$(cat "$IT_DIR/j.err")
assert_contains "$j" "<6>expire dead2 in $P.: applied"
assert_contains "$j" "<4>held back: host held1 in mm.example.test."
assert_contains "$j" "<7>zone example.test.: serial"
assert_not_contains "$j" "rollcall-coordinator:"
# every line carries a priority, the -d message dumps included
bad=$(grep -v '^<[0-7]>' "$IT_DIR/j.err" || true)
assert_eq "" "$bad" "lines without a priority prefix"
JOURNAL_STREAM=$JS "$C" -c "$IT_DIR/plain.conf" -y "hmac-sha256:rc-sha256:$(key_secret rc-sha512)" --once >/dev/null 2>"$IT_DIR/j.err" || true
assert_contains "$(cat "$IT_DIR/j.err")" "<3>"
# a child of a service inherits JOURNAL_STREAM with its stderr on another
# file or a pipe: no prefixes there, nor for a malformed value
for js in "1:1" "${JS%%:*}:$(( ${JS##*:} + 1 ))" "$JS:" "x$JS" ""; do
	JOURNAL_STREAM=$js "$C" -c "$IT_DIR/plain.conf" -y "hmac-sha256:rc-sha256:$(key_secret rc-sha512)" --once >/dev/null 2>"$IT_DIR/j.err" || true
	assert_not_contains "$(cat "$IT_DIR/j.err")" "<3>" "JOURNAL_STREAM=$js"
	assert_contains "$(cat "$IT_DIR/j.err")" "rollcall-coordinator: error:" "JOURNAL_STREAM=$js"
done
out=$(JOURNAL_STREAM=$JS "$C" -c "$IT_DIR/plain.conf" -y "hmac-sha256:rc-sha256:$(key_secret rc-sha512)" --once 2>&1 >/dev/null | cat || true)
assert_contains "$out" "rollcall-coordinator: error:" "stderr a pipe"
# without it (a terminal, a pipe to a file): the program name, no prefix
"$C" -c "$IT_DIR/plain.conf" --once >/dev/null 2>"$IT_DIR/n.err" || true
assert_contains "$(cat "$IT_DIR/n.err")" "rollcall-coordinator: warning: held back: host held1"
assert_not_contains "$(cat "$IT_DIR/n.err")" "<4>"

# --- an action the server refuses, logged once while it lasts, counted ------
# (BIND only: its update-policy can deny the coordinator's own key one name)
[ "$SRV_KIND" = bind ] || exit 0
stop_server
add_key coord
NAMED_ALLOW_TRANSFER="key coord;" \
    NAMED_POLICY_EXTRA="deny coord name mx2.example.test. ANY; grant coord zonesub ANY; " start_server
MPORT=$("$FREEPORT")
coord_conf "$IT_DIR/r.conf" "metrics_port = $MPORT;" \
    'aliases = ( { name = "mx1.example.test"; targets = [ "www.example.test" ]; },' \
    '            { name = "mx2.example.test"; targets = [ "www.example.test" ]; } );'
sed -i "s|/rc-sha256.key|/coord.key|" "$IT_DIR/r.conf"
"$C" -c "$IT_DIR/r.conf" >"$IT_DIR/r.log" 2>&1 &
CPID=$!
URL=http://127.0.0.1:$MPORT/metrics
# the first pass and two retries (backoff 1 s, 2 s)
retried() { [ "$(metric "$(scrape)" 'rollcall_coordinator_passes_total{result="failed"}')" -ge 3 ]; }
wait_until 15 retried || fail "no retries: $(scrape)"
s=$(scrape)
kill -TERM "$CPID"; wait "$CPID" || true
assert_metric "$s" 'rollcall_coordinator_aliases{state="in_sync"}' 1
assert_metric "$s" 'rollcall_coordinator_aliases{state="out_of_sync"}' 1
assert_metric "$s" 'rollcall_coordinator_actions_total{kind="alias",result="applied"}' 1
assert_metric "$s" 'rollcall_coordinator_last_pass_ok' 0
[ "$(metric "$s" 'rollcall_coordinator_actions_total{kind="alias",result="failed"}')" -ge 3 ] || fail "failed actions: $s"
[ "$(metric "$s" 'rollcall_coordinator_update_failures_total{rcode="REFUSED"}')" -ge 4 ] || fail "REFUSED answers: $s"
[ "$(metric "$s" 'rollcall_coordinator_pass_failures_total{kind="refused"}')" -ge 3 ] || fail "refused passes: $s"
log=$(cat "$IT_DIR/r.log")
assert_contains "$log" "update alias mx1.example.test.: applied"
assert_contains "$log" "update alias mx2.example.test.: refused by 127.0.0.1#$SRV_PORT: REFUSED"
assert_eq 1 "$(grep -c 'refused by' "$IT_DIR/r.log")" "a refusal logged once while it lasts"
assert_eq 1 "$(grep -c 'retrying with backoff' "$IT_DIR/r.log")" "the failing pass logged once"
