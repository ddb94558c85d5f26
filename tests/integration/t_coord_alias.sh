#!/usr/bin/env bash
# Aliases with real records: an MX host follows its canonical name through a
# renumbering within about a second, an apex alias follows an out-of-zone
# name through a second real server used as resolver (and keeps its
# records when that resolver dies), a pool alias is the union of three
# hosts; SIGHUP with a broken config keeps the daemon running; SIGTERM
# stops it with 0.
# requires: nsupdate
. "$(dirname "$0")/lib.sh"
it_setup coord_alias
K=$KEYDIR/rc-sha256.key

# the "internet": a second named serving cdn.example.net, used as resolver
# (TTL 1, so that the coordinator asks again at once after it dies)
cat >"$IT_DIR/cdn.zone" <<'EOZ'
$ORIGIN cdn.example.net.
$TTL 300
@	IN SOA ns.cdn.example.net. h.cdn.example.net. 1 3600 600 86400 60
	IN NS ns
ns	IN A 127.0.0.1
www	1 IN CNAME edge
edge	1 IN A 198.51.100.7
edge	1 IN AAAA 2001:db8:cd::7
EOZ
# (always BIND: it stands for the resolvers of the world)
SRV_ZONE=cdn.example.net RC_SERVER=bind start_server "$IT_DIR/cdn.zone"
RES_PORT=$SRV_PORT RES_PID=$SRV_PID
SRV_ZONE=example.test
export SRV_ZONE
start_server
C=$ROLLCALL_COORDINATOR

nsupd -k "$K" <<EON
update add host1.example.test. 300 IN A 192.0.2.101
update add host2.example.test. 300 IN A 192.0.2.102
update add host2.example.test. 300 IN AAAA 2001:db8::102
update add host3.example.test. 300 IN A 192.0.2.103
send
EON
coord_conf "$IT_DIR/c.conf" \
    "resolver = \"127.0.0.1\"; resolver_port = $RES_PORT;" \
    'aliases = (' \
    '  { name = "mx1.example.test"; targets = [ "host1.example.test" ]; },' \
    '  { name = "example.test"; targets = [ "www.cdn.example.net" ]; ttl = 120; },' \
    '  { name = "pool.example.test"; targets = [ "host1.example.test", "host2.example.test", "host3.example.test" ]; }' \
    ');'
# config errors: a cycle is named
cp "$IT_DIR/c.conf" "$IT_DIR/cycle.conf"
printf '%s\n' 'aliases = ( { name = "a.example.test"; targets = ["b.example.test"]; },' \
    '{ name = "b.example.test"; targets = ["a.example.test"]; } );' >>"$IT_DIR/cycle.conf"
sed -i '0,/^aliases = (/{/^aliases = (/,/^);/d}' "$IT_DIR/cycle.conf"
assert_status 1 "$C" -c "$IT_DIR/cycle.conf" check
assert_contains "$RUN_ERR" "cycle"

"$C" -c "$IT_DIR/c.conf" -d >"$IT_DIR/coord.log" 2>&1 &
CPID=$!
it_on_exit "kill $CPID 2>/dev/null"
# is FUNC VALUE: FUNC prints VALUE (evaluated at each try of wait_until)
is() { [ "$("$1")" = "$2" ]; }
mx() { qdig +short mx1.example.test A; }
wait_until 10 is mx 192.0.2.101 || fail "mx1 never followed host1: $(mx)"
apex() { { qdig +short example.test A; qdig +short example.test AAAA; } | sort | tr '\n' ' '; }
wait_until 10 is apex "198.51.100.7 2001:db8:cd::7 " || fail "apex alias: $(apex)"
assert_eq 120 "$(qdig +noall +answer example.test A | awk '{print $2}')" "apex alias TTL"
assert_contains "$(qdig +short example.test MX)" "mail.example.test" "apex keeps its MX"
pool() { pool_addrs pool.example.test | tr '\n' ' '; }
wait_until 10 is pool "192.0.2.101 192.0.2.102 192.0.2.103 2001:db8::102 " || fail "pool alias: $(pool)"

# renumber host1: mx1 and the pool follow within about a second
t0=$(_it_now_us)
nsupd -k "$K" <<EON
update delete host1.example.test. A
update add host1.example.test. 300 IN A 192.0.2.201
send
EON
wait_until 5 is mx 192.0.2.201 || fail "mx1 did not follow the renumbering: $(mx)"
note "mx1 followed host1 in $(( ($(_it_now_us) - t0) / 1000 )) ms"
wait_until 5 is pool "192.0.2.102 192.0.2.103 192.0.2.201 2001:db8::102 " || fail "pool alias after renumber: $(pool)"

# the resolver dies: the apex alias keeps its records, an error is logged
kill "$RES_PID"
wait_until 5 bash -c "! kill -0 $RES_PID 2>/dev/null" || fail "resolver named did not stop"
nsupd -k "$K" <<EON
update add host3.example.test. 300 IN A 192.0.2.133
send
EON
wait_until 10 is pool "192.0.2.102 192.0.2.103 192.0.2.133 192.0.2.201 2001:db8::102 " || fail "pool alias while resolver down: $(pool)"
assert_eq "198.51.100.7 2001:db8:cd::7 " "$(apex)" "apex alias kept while its target is unresolvable"
wait_until 10 grep -q "warning: alias example.test.: target www.cdn.example.net.*left as" "$IT_DIR/coord.log" ||
    fail "no warning logged for the unresolvable target"
assert_eq "198.51.100.7 2001:db8:cd::7 " "$(apex)" "apex alias kept after the warning"

# SIGHUP with a broken config: logged, old config keeps running
echo 'this is not a config' >>"$IT_DIR/c.conf"
kill -HUP "$CPID"
wait_until 10 grep -q "keeping the running configuration" "$IT_DIR/coord.log" || fail "bad reload not reported"
kill -0 "$CPID" || fail "coordinator died on a bad reload"
nsupd -k "$K" <<EON
update delete host1.example.test. A
update add host1.example.test. 300 IN A 192.0.2.222
send
EON
wait_until 5 is mx 192.0.2.222 || fail "coordinator stopped working after a bad reload"

# SIGTERM: exit 0
kill -TERM "$CPID"
rc=0; wait "$CPID" || rc=$?
assert_eq 0 "$rc" "exit status on SIGTERM"
