#!/usr/bin/env bash
# One pass converges, and --once says so only when it did: an alias of a
# pool never gets the address of a host expired in the same pass; an
# alias's TTL is brought to the configured one; an alias held by a missing
# target (on_missing keep) is "not converged" (exit 4).  The daemon does
# not re-plan while nothing changes, yet expires a host on time and
# follows a change at once.
# requires: nsupdate
. "$(dirname "$0")/lib.sh"
it_setup coord_converge
start_server
A=$ROLLCALL_AGENT C=$ROLLCALL_COORDINATOR P=srv.example.test
K=$KEYDIR/rc-sha256.key

# 1. an alias of a pool, a host of the pool expired in the same pass
agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register
stale_host dead1 $P 1000 60 192.0.2.31
coord_conf "$IT_DIR/c1.conf" \
    'aliases = ( { name = "all.example.test"; targets = [ "srv.example.test" ]; } );'
assert_status 0 "$C" -c "$IT_DIR/c1.conf" --once
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.11)" "$(pool_addrs $P)" "pool after expiry"
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.11)" "$(pool_addrs all.example.test)" \
    "alias of the pool after the pass that expired dead1"

# 2. the alias's TTL: configured 120, the alias at 3600 with the right
# addresses: one pass brings both RRsets to 120, the next has nothing to do
nsupd -k "$K" <<EON
update add ttl.example.test. 3600 IN A 192.0.2.80
update add ttl.example.test. 3600 IN AAAA 2001:db8::80
send
EON
coord_conf "$IT_DIR/c2.conf" \
    'aliases = ( { name = "ttl.example.test"; targets = [ "www.example.test" ]; ttl = 120; } );'
assert_status 0 "$C" -c "$IT_DIR/c2.conf" --once
ttls() { { qdig +noall +answer ttl.example.test A; qdig +noall +answer ttl.example.test AAAA; } | awk '{print $2, $5}' | sort | tr '\n' ' '; }
assert_eq "120 192.0.2.80 120 2001:db8::80 " "$(ttls)" "alias TTL corrected"
axfr_snapshot "$IT_DIR/s1"
assert_status 0 "$C" -c "$IT_DIR/c2.conf" --once
axfr_snapshot "$IT_DIR/s2"
diff -u "$IT_DIR/s1" "$IT_DIR/s2" || fail "a converged pass changed the zone"

# 3. a missing target with on_missing keep: the alias is left as it is,
# and --once says it is not converged
nsupd -k "$K" <<EON
update add kept.example.test. 300 IN A 192.0.2.77
send
EON
coord_conf "$IT_DIR/c3.conf" \
    'aliases = ( { name = "kept.example.test"; targets = [ "www.example.test", "gone.example.test" ]; } );'
assert_status 4 "$C" -c "$IT_DIR/c3.conf" --once
assert_contains "$RUN_ERR" "gone.example.test"
assert_contains "$RUN_ERR" "1 alias(es) kept for a missing target"
assert_eq "192.0.2.77" "$(pool_addrs kept.example.test)" "alias kept"
# on_missing remove: converged, exit 0
coord_conf "$IT_DIR/c3r.conf" \
    'aliases = ( { name = "kept.example.test"; targets = [ "www.example.test", "gone.example.test" ]; on_missing = "remove"; } );'
assert_status 0 "$C" -c "$IT_DIR/c3r.conf" --once
assert_eq "$(printf '%s\n' 192.0.2.80 2001:db8::80)" "$(pool_addrs kept.example.test)" "on_missing remove"

# 4. the daemon: idle, it reads SOA serials but does not plan; a host's
# lease running out is noticed without any serial moving; a change is
# followed at once
coord_conf "$IT_DIR/c4.conf" \
    'aliases = ( { name = "all.example.test"; targets = [ "srv.example.test" ]; } );'
"$C" -c "$IT_DIR/c4.conf" -d >"$IT_DIR/coord.log" 2>&1 &
CPID=$!
it_on_exit "kill $CPID 2>/dev/null"
wait_until 10 grep -q "planning: no plan yet" "$IT_DIR/coord.log" || fail "no first plan"
sleep 1.5
n0=$(grep -c "planning:" "$IT_DIR/coord.log")
sleep 3
n1=$(grep -c "planning:" "$IT_DIR/coord.log")
assert_eq "$n0" "$n1" "plans made while nothing changed"
[ "$(grep -c "SOA" "$IT_DIR/coord.log")" -ge 3 ] || fail "the idle daemon stopped polling"

# a host with a 3 s lease: its registration is written once, then no
# serial moves; the daemon expires it when the lease runs out
is() { [ "$("$1")" = "$2" ]; }
pool() { pool_addrs $P | tr '\n' ' '; }
all() { pool_addrs all.example.test | tr '\n' ' '; }
stale_host brief $P 0 3 192.0.2.61
wait_until 5 is all "192.0.2.1 192.0.2.11 192.0.2.61 " || fail "alias did not follow the new host: $(all)"
t0=$(_it_now_us)
wait_until 10 is pool "192.0.2.1 192.0.2.11 " || fail "short-lease host never expired: $(pool)"
note "3 s lease host expired after $(( ($(_it_now_us) - t0) / 1000 )) ms"
grep -q "planning: an expiry is due" "$IT_DIR/coord.log" || fail "expiry not planned for its due time"
wait_until 5 is all "192.0.2.1 192.0.2.11 " || fail "alias kept the expired host: $(all)"
kill -TERM "$CPID"
rc=0; wait "$CPID" || rc=$?
assert_eq 0 "$rc" "exit status on SIGTERM"
