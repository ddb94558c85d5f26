#!/usr/bin/env bash
# A pass is bounded in time however many alias targets a dead resolver
# leaves unanswered: the resolver gets COORD_RESOLVE_BUDGET_MS (5 s) per
# pass for all targets together, the rest are left as they are and asked
# first next pass, and a stale host is expired within that bound (before,
# each target cost its own 3 s: 24 of them made a 72 s pass, and 40 one
# past WatchdogSec).
# requires: nsupdate python3
. "$(dirname "$0")/lib.sh"
it_setup coord_budget
start_server
A=$ROLLCALL_AGENT C=$ROLLCALL_COORDINATOR P=srv.example.test

# a resolver that reads every query and never answers (no ICMP either)
HOLE=$("$FREEPORT")
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
open(sys.argv[2], "w").write("ready\n")
while True:
    s.recv(4096)
' "$HOLE" "$IT_DIR/hole.ready" >"$IT_DIR/hole.log" 2>&1 &
HPID=$!
it_on_exit "kill $HPID 2>/dev/null"
wait_until 5 test -f "$IT_DIR/hole.ready" || fail "blackhole resolver did not start: $(cat "$IT_DIR/hole.log")"

agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register
aliases=''
for i in $(seq 1 24); do
	aliases+="${aliases:+, }{ name = \"a$i.example.test\"; targets = [ \"t$i.far.invalid\" ]; }"
done
mkdir "$IT_DIR/tf"
TF=$IT_DIR/tf/rollcall.prom
coord_conf "$IT_DIR/c.conf" \
    "resolver = \"127.0.0.1\"; resolver_port = $HOLE;" \
    "aliases = ( $aliases );" \
    "metrics_textfile = \"$TF\";"
stale_host dead1 $P 1000 60 192.0.2.31

pool() { qdig +short $P A | sort | tr '\n' ' '; }
t0=$(_it_now_us)
"$C" -c "$IT_DIR/c.conf" >"$IT_DIR/coord.log" 2>&1 &
CPID=$!
it_on_exit "kill $CPID 2>/dev/null"
expired() { [[ $(pool) != *192.0.2.31* ]]; }
wait_until 12 expired || fail "dead1 not expired behind a dead resolver: $(pool)
$(cat "$IT_DIR/coord.log")"
ms=$(( ($(_it_now_us) - t0) / 1000 ))
note "dead1 expired after $ms ms with 24 unanswered targets"
[ "$ms" -lt 9000 ] || fail "expiry took $ms ms (resolver budget 5 s)"

# several passes later, each still within the budget, and the targets the
# first pass did not reach have been asked since (the longest unasked
# first), each failure logged once
sleep 12
kill -0 "$CPID" || fail "coordinator died: $(cat "$IT_DIR/coord.log")"
last=$(awk '$1 == "rollcall_coordinator_last_pass_duration_seconds" { print $2 }' "$TF")
sum=$(awk '$1 == "rollcall_coordinator_pass_duration_seconds_sum" { print $2 }' "$TF")
cnt=$(awk '$1 == "rollcall_coordinator_pass_duration_seconds_count" { print $2 }' "$TF")
note "last pass ${last}s; $cnt passes in ${sum}s"
[ -n "$last" ] && [ -n "$cnt" ] || fail "no pass duration in the textfile: $(cat "$TF")"
awk -v l="$last" 'BEGIN { exit !(l < 6.5) }' || fail "last pass took $last s"
awk -v s="$sum" -v c="$cnt" 'BEGIN { exit !(c >= 2 && s / c < 6.5) }' ||
    fail "passes took $sum s for $cnt"
log=$(cat "$IT_DIR/coord.log")
assert_contains "$log" "not asked this pass"
asked=$(grep -o 't[0-9]*\.far\.invalid\.: resolver: ' "$IT_DIR/coord.log" | sort -u | wc -l || true)
[ "$asked" -ge 5 ] || fail "only $asked targets asked in several passes:
$log"
for i in 1 2; do
	n=$(grep -c "target t$i\.far\.invalid\.: resolver: " "$IT_DIR/coord.log" || true)
	[ "$n" -le 1 ] || fail "t$i's failure logged $n times:
$log"
done
kill -TERM "$CPID"
rc=0; wait "$CPID" || rc=$?
assert_eq 0 "$rc" "exit status on SIGTERM"
