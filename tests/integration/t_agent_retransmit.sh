#!/usr/bin/env bash
# The first answer to an UPDATE is lost: the agent resends, the server sees
# the same update twice and answers the copy with a prerequisite failure.
# The agent re-reads, finds its own registration and calls it success.
# Also: primary discovery through the resolver (SOA, MNAME), as nsupdate.
. "$(dirname "$0")/lib.sh"
it_setup agent_retransmit
start_server
A=$ROLLCALL_AGENT
P=srv.example.test

agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11
# the answer to the UPDATE is lost: message 4 of a first register (read
# the registration, check the pool's A and AAAA for the new addresses,
# update), message 2 of a heartbeat (read, update)
for cmd in register:4 heartbeat:2; do
	n=${cmd#*:} cmd=${cmd%:*}
	start_proxy dropnth "$n"
	assert_status 0 "$A" -c "$IT_DIR/h1.conf" -p "$PROXY_PORT" -u 1 -d $cmd
	# the resent copy failed its prerequisite, and that was success
	[[ $RUN_ERR =~ rcode:\ (NXRRSET|YXRRSET) ]] || fail "$cmd: no prerequisite failure seen: $RUN_ERR"
	reg=$(qdig +short host1._rollcall.$P TXT)
	assert_contains "$reg" "a=192.0.2.11"
	assert_contains "$(pool_addrs $P)" "192.0.2.11"
done

# discovery: no server, no zone; resolver points at named (which answers
# authoritatively for example.test, MNAME ns1.example.test = 127.0.0.1)
cat >"$IT_DIR/disc.conf" <<EOC
resolver = "127.0.0.1";
resolver_port = $SRV_PORT;
port = $SRV_PORT;
key_file = "$(key_file rc-sha256)";
host_id = "host7";
pools = ( { name = "$P"; addresses = [ "192.0.2.17" ]; } );
EOC
assert_status 0 "$A" -c "$IT_DIR/disc.conf" -d register
assert_contains "$(pool_addrs $P)" "192.0.2.17"
assert_status 0 "$A" -c "$IT_DIR/disc.conf" -n deregister
assert_contains "$RUN_OUT" "zone example.test."
assert_contains "$RUN_OUT" "server 127.0.0.1 $SRV_PORT"
assert_status 0 "$A" -c "$IT_DIR/disc.conf" deregister
assert_not_contains "$(pool_addrs $P)" "192.0.2.17"
# a name in no zone the resolver knows: config error naming it
sed -i "s/$P/srv.nowhere.invalid/" "$IT_DIR/disc.conf"
run "$A" -c "$IT_DIR/disc.conf" register
[ "$RUN_RC" -ne 0 ] || fail "register in unknown zone succeeded"
assert_contains "$RUN_ERR" "srv.nowhere.invalid"
