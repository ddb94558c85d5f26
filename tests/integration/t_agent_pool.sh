#!/usr/bin/env bash
# Three hosts join one pool beside a static record; one leaves; heartbeats
# refresh the registration time; renumbering replaces the old address in one
# UPDATE; status reports it all.
. "$(dirname "$0")/lib.sh"
it_setup agent_pool
start_server
A=$ROLLCALL_AGENT
P=srv.example.test

for i in 1 2 3; do
	agent_conf "$IT_DIR/h$i.conf" "host$i" "192.0.2.1$i" "2001:db8::1$i"
	assert_status 0 "$A" -c "$IT_DIR/h$i.conf" register
done
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.11 192.0.2.12 192.0.2.13 2001:db8::11 2001:db8::12 2001:db8::13)" \
    "$(pool_addrs $P)" "pool after three registrations"

# the registration record: version, addresses, time, lease
reg=$(qdig +short host1._rollcall.$P TXT)
[[ $reg =~ ^\"v=rc1\ t=([0-9]+)\ lease=180\ a=192.0.2.11\ a=2001:db8::11\"$ ]] ||
    fail "registration record: $reg"
t1=${BASH_REMATCH[1]}
now=$(date +%s)
(( t1 <= now && t1 >= now - 30 )) || fail "heartbeat time $t1 vs now $now"

# registering again changes nothing but the time (idempotent)
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register
assert_eq 7 "$(pool_addrs $P | wc -l)" "re-register duplicated records"

# heartbeat refreshes the time
clock_past() { [ "$(date +%s)" -gt "$1" ]; }
wait_until 3 clock_past "$t1" || fail "clock did not move"
assert_status 0 "$A" -c "$IT_DIR/h1.conf" heartbeat
reg=$(qdig +short host1._rollcall.$P TXT)
[[ $reg =~ t=([0-9]+) ]] && (( BASH_REMATCH[1] > t1 )) || fail "heartbeat did not refresh: $reg"

# one host leaves: the others and the static record remain
assert_status 0 "$A" -c "$IT_DIR/h2.conf" deregister
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.11 192.0.2.13 2001:db8::11 2001:db8::13)" \
    "$(pool_addrs $P)" "pool after host2 left"
assert_eq "" "$(qdig +short host2._rollcall.$P TXT)" "host2's registration left behind"
# deregistering twice is fine
assert_status 0 "$A" -c "$IT_DIR/h2.conf" deregister
assert_contains "$RUN_ERR" "not registered"

# renumbering: host3 moves from .13 to .23 in one UPDATE (serial + 1)
serial=$(qdig +short example.test SOA | awk '{print $3}')
agent_conf "$IT_DIR/h3.conf" host3 192.0.2.23 2001:db8::13
assert_status 0 "$A" -c "$IT_DIR/h3.conf" -d register
nupd=$(grep -c ';; sending to' <<<"$RUN_ERR")
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.11 192.0.2.23 2001:db8::11 2001:db8::13)" \
    "$(pool_addrs $P)" "pool after renumbering"
assert_eq $((serial + 1)) "$(qdig +short example.test SOA | awk '{print $3}')" "one UPDATE for the renumbering"
# read the registration, check the pool (A, AAAA) for the new address,
# one update, read the registration and the pool back: seven messages
assert_eq 7 "$nupd" "messages sent for a renumbering"
# a steady heartbeat: one read, one update, the registration read back
assert_status 0 "$A" -c "$IT_DIR/h3.conf" -d heartbeat
assert_eq 3 "$(grep -c ';; sending to' <<<"$RUN_ERR")" "messages sent for a heartbeat"

# status: own addresses published, other members listed; exit 0
assert_status 0 "$A" -c "$IT_DIR/h1.conf" status
assert_contains "$RUN_OUT" "host1"
assert_contains "$RUN_OUT" "192.0.2.11 (published)"
assert_contains "$RUN_OUT" "192.0.2.23"
assert_contains "$RUN_OUT" "fresh"
# status of a host that is not registered: exit 4
assert_status 4 "$A" -c "$IT_DIR/h2.conf" status
assert_contains "$RUN_OUT" "not registered"

# a static record at the pool is never claimed (nor, later, deleted) by a
# host configured with the same address; nothing is written
agent_conf "$IT_DIR/h9.conf" host9 192.0.2.1 192.0.2.99
serial=$(qdig +short example.test SOA | awk '{print $3}')
assert_status 4 "$A" -c "$IT_DIR/h9.conf" register
assert_contains "$RUN_ERR" "192.0.2.1 already exists at $P."
assert_eq "$serial" "$(qdig +short example.test SOA | awk '{print $3}')" "refused claim changed the zone"
assert_status 0 "$A" -c "$IT_DIR/h9.conf" deregister
grep -qx "192.0.2.1" <<<"$(pool_addrs $P)" || fail "static record 192.0.2.1 gone"

# host ids are DNS labels: case does not matter (Web01 = web01)
agent_conf "$IT_DIR/hc.conf" Web01 192.0.2.71
assert_status 0 "$A" -c "$IT_DIR/hc.conf" register
assert_status 0 "$A" -c "$IT_DIR/hc.conf" heartbeat
assert_status 0 "$A" -c "$IT_DIR/hc.conf" status
assert_status 0 "$A" -c "$IT_DIR/hc.conf" deregister
assert_not_contains "$(pool_addrs $P)" "192.0.2.71"

# a pool that is a CNAME: data beside it would be dropped silently; the
# agent says so instead of claiming success
POOL=alias.example.test agent_conf "$IT_DIR/hn.conf" hostn 192.0.2.72
run "$A" -c "$IT_DIR/hn.conf" register
[ "$RUN_RC" -ne 0 ] || fail "register into a CNAME pool claimed success"
assert_contains "$RUN_ERR" "CNAME"
