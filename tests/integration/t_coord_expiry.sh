#!/usr/bin/env bash
# The coordinator expires hosts that stopped heartbeating -- and nothing
# else: live hosts, static records, addresses a live host shares, the last
# members under min_members, and a host that heartbeats between the read
# and the update (the race) all stay.  -n changes nothing.
# requires: nsupdate
. "$(dirname "$0")/lib.sh"
it_setup coord_expiry
start_server
A=$ROLLCALL_AGENT C=$ROLLCALL_COORDINATOR P=srv.example.test

# two live agents, a dead host, a dead host sharing an address with a live one
agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11 2001:db8::11
agent_conf "$IT_DIR/h2.conf" host2 192.0.2.12
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register
assert_status 0 "$A" -c "$IT_DIR/h2.conf" register
stale_host dead1 $P 1000 60 192.0.2.31 2001:db8::31
stale_host dead2 $P 1000 60 192.0.2.12
coord_conf "$IT_DIR/c.conf"

# failures first: a wrong key and an unreachable server change nothing
axfr_snapshot "$IT_DIR/before"
assert_status 3 "$C" -c "$IT_DIR/c.conf" -y "hmac-sha256:rc-sha256:$(key_secret rc-sha512)" --once
case $SRV_KIND in	# PowerDNS answers a bad key unsigned
pdns) assert_contains "$RUN_ERR" "not TSIG-signed (rcode NOTAUTH)" ;;
*) assert_contains "$RUN_ERR" "BADSIG" ;;
esac
assert_status 2 "$C" -c "$IT_DIR/c.conf" -p "$("$FREEPORT")" --once
assert_status 1 "$C" -c "$IT_DIR/nonexistent.conf" --once
# -n prints the plan and changes nothing
assert_status 0 "$C" -c "$IT_DIR/c.conf" -n
assert_contains "$RUN_OUT" "prereq yxrrset dead1._rollcall.$P. IN TXT"
assert_contains "$RUN_OUT" "update delete $P. IN A 192.0.2.31"
assert_not_contains "$RUN_OUT" "IN A 192.0.2.12"
axfr_snapshot "$IT_DIR/after"
diff -u "$IT_DIR/before" "$IT_DIR/after" || fail "-n or a failed run changed the zone"

# one pass expires the dead hosts only
assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.11 192.0.2.12 2001:db8::11)" "$(pool_addrs $P)" "pool after expiry"
assert_eq "" "$(qdig +short dead1._rollcall.$P TXT)" "dead1's registration"
assert_eq "" "$(qdig +short dead2._rollcall.$P TXT)" "dead2's registration"
assert_contains "$(qdig +short host1._rollcall.$P TXT)" "a=192.0.2.11"
# a second pass has nothing to do
axfr_snapshot "$IT_DIR/s1"
assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
axfr_snapshot "$IT_DIR/s2"
diff -u "$IT_DIR/s1" "$IT_DIR/s2" || fail "a converged pass changed the zone"

# the race: the coordinator has read the zone and planned to expire host3;
# host3 heartbeats before the update goes out; the update's prerequisite
# fails and host3 keeps its address
stale_host host3 $P 1000 60 192.0.2.13
agent_conf "$IT_DIR/h3.conf" host3 192.0.2.13
pause=$IT_DIR/pause
ROLLCALL_TEST_PAUSE_FILE=$pause "$C" -c "$IT_DIR/c.conf" --once >"$IT_DIR/race.out" 2>&1 &
cpid=$!
wait_until 20 test -e "$pause.waiting" || fail "coordinator never reached the pause"
assert_status 0 "$A" -c "$IT_DIR/h3.conf" heartbeat
touch "$pause"
rc=0; wait "$cpid" || rc=$?
assert_eq 4 "$rc" "--once after a lost race (not converged)"
assert_contains "$(cat "$IT_DIR/race.out")" "host3"
assert_contains "$(pool_addrs $P)" "192.0.2.13"
assert_contains "$(qdig +short host3._rollcall.$P TXT)" "a=192.0.2.13"

# min_members: a pool of two dead hosts keeps one (global min_members 1)
stale_host old1 mm.example.test 2000 60 192.0.2.41
stale_host old2 mm.example.test 1000 60 192.0.2.42
assert_status 4 "$C" -c "$IT_DIR/c.conf" --once
assert_eq "192.0.2.42" "$(pool_addrs mm.example.test)" "min_members 1 kept the newest"
assert_contains "$RUN_ERR" "held back"
# status shows it as the planner sees it, and changes nothing
axfr_snapshot "$IT_DIR/st1"
assert_status 0 "$C" -c "$IT_DIR/c.conf" status
assert_contains "$RUN_OUT" "pool mm.example.test. (zone example.test.)"
assert_contains "$RUN_OUT" "EXPIRED: held back (min_members)"
assert_contains "$RUN_OUT" "host1"
assert_contains "$RUN_OUT" "live"
axfr_snapshot "$IT_DIR/st2"
diff -u "$IT_DIR/st1" "$IT_DIR/st2" || fail "status changed the zone"
# per pool: min_members 0 lets the last one go
coord_conf "$IT_DIR/c0.conf" 'pools = ( { name = "mm.example.test"; min_members = 0; } );'
assert_status 0 "$C" -c "$IT_DIR/c0.conf" --once
assert_eq "" "$(pool_addrs mm.example.test)" "min_members 0"

# a heartbeat in the future beyond the fudge is treated as now, not forever
stale_host skewed $P -100000 60 192.0.2.51
assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
assert_contains "$(pool_addrs $P)" "192.0.2.51"
assert_contains "$RUN_ERR" "future"
