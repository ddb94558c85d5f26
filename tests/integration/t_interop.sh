#!/usr/bin/env bash
# Interop with the standard tools, on each server:
# - `rollcall-agent -n` and `rollcall-coordinator -n` scripts, fed to BIND's
#   nsupdate and to Knot's knsupdate, give the same zone as rollcall itself;
# - rollcall reads keys made by Knot's `keymgr -t` (its own file, and the
#   knsupdate one-line form) and by `ddns-confgen`, end to end.
# requires: nsupdate knsupdate keymgr ddns-confgen
. "$(dirname "$0")/lib.sh"
it_setup interop
A=$ROLLCALL_AGENT
C=$ROLLCALL_COORDINATOR
P=srv.example.test

# keys of the other tools, known to the server (named.conf twins in
# $KEYDIR) and allowed only their host's names
keymgr -t km-host hmac-sha384 >"$IT_DIR/km-host.conf"
chmod 600 "$IT_DIR/km-host.conf"
secret=$(awk '$1 == "secret:" { print $2 }' "$IT_DIR/km-host.conf")
printf 'key "km-host" {\n\talgorithm hmac-sha384;\n\tsecret "%s";\n};\n' "$secret" \
    >"$KEYDIR/km-host.key"
grep -v '^#' "$IT_DIR/km-host.conf" | grep -q 'id: km-host' || fail "keymgr -t output: $(cat "$IT_DIR/km-host.conf")"
(umask 077 && ddns-confgen -q -a hmac-sha512 -k dc-host >"$KEYDIR/dc-host.key")
SRV_GRANTS="km-host km-host._rollcall.$P TXT
km-host $P A AAAA
dc-host dc-host._rollcall.$P TXT
dc-host $P A AAAA" start_server
# knsupdate -k reads one line, "alg:name:secret"
(umask 077 && key_y rc-sha256 >"$IT_DIR/kn.key")

# heartbeat times and the SOA differ between runs; and adding to the pool's
# RRset gives the whole RRset (the static record too) the pool's TTL
norm() { sed -E 's/t=[0-9]+/t=T/' "$1" | awk '$4 != "SOA" { $2 = ""; print }'; }

# --- keys from keymgr -t and ddns-confgen, end to end ---
agent_conf "$IT_DIR/km.conf" km-host 192.0.2.41 2001:db8::41
sed -i "s|^key_file = .*|key_file = \"$IT_DIR/km-host.conf\";|; s|^key_name = .*|key_name = \"km-host\";|" "$IT_DIR/km.conf"
assert_status 0 "$A" -c "$IT_DIR/km.conf" register
assert_contains "$(pool_addrs $P)" "192.0.2.41" "register with a keymgr -t key"
# the knsupdate one-line form of the same key
printf 'hmac-sha384:km-host:%s\n' "$secret" >"$IT_DIR/km-host.line"
chmod 600 "$IT_DIR/km-host.line"
assert_status 0 "$A" -c "$IT_DIR/km.conf" -k "$IT_DIR/km-host.line" heartbeat
assert_status 0 "$A" -c "$IT_DIR/km.conf" deregister
assert_not_contains "$(pool_addrs $P)" "192.0.2.41"
KEY=dc-host agent_conf "$IT_DIR/dc.conf" dc-host 192.0.2.42
assert_status 0 "$A" -c "$IT_DIR/dc.conf" register
assert_contains "$(pool_addrs $P)" "192.0.2.42" "register with a ddns-confgen key"
assert_status 0 "$A" -c "$IT_DIR/dc.conf" deregister

# --- agent scripts through knsupdate: the same zone as the agent's ---
agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11 2001:db8::11
axfr_snapshot "$IT_DIR/empty"
assert_status 0 "$A" -c "$IT_DIR/h1.conf" -n register
knsupdate -k "$IT_DIR/kn.key" <<<"$RUN_OUT" || fail "knsupdate rejected the register script"
axfr_snapshot "$IT_DIR/by-knsupdate"
assert_status 0 "$A" -c "$IT_DIR/h1.conf" -n deregister
knsupdate -k "$IT_DIR/kn.key" <<<"$RUN_OUT" || fail "knsupdate rejected the deregister script"
axfr_snapshot "$IT_DIR/cleaned"
diff -u <(norm "$IT_DIR/empty") <(norm "$IT_DIR/cleaned") || fail "deregister script left something"
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register
axfr_snapshot "$IT_DIR/by-agent"
diff -u <(norm "$IT_DIR/by-knsupdate") <(norm "$IT_DIR/by-agent") ||
    fail "knsupdate and the agent gave different zones"
# a renumbering (prerequisite on the exact registration) through knsupdate
agent_conf "$IT_DIR/h1.conf" host1 192.0.2.21
assert_status 0 "$A" -c "$IT_DIR/h1.conf" -n register
knsupdate -k "$IT_DIR/kn.key" <<<"$RUN_OUT" || fail "knsupdate rejected the renumber script"
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.21)" "$(pool_addrs $P)" "pool after renumber by knsupdate"

# --- coordinator scripts through nsupdate and knsupdate: afterwards the
# coordinator itself finds nothing to do (same serial, same records) ---
nsupd -k "$(key_file rc-sha256)" <<EON
update add host7.example.test. 300 IN A 192.0.2.107
update add host8.example.test. 300 IN AAAA 2001:db8::108
send
EON
coord_conf "$IT_DIR/c.conf" \
    'aliases = ( { name = "mx1.example.test"; targets = [ "host7.example.test" ]; },' \
    '            { name = "mx2.example.test"; targets = [ "host7.example.test", "host8.example.test" ]; ttl = 120; } );'
i=0
for tool in nsupdate knsupdate; do
	i=$((i + 1))
	stale_host "dead$i" $P 1000 60 "192.0.2.3$i"
	nsupd -k "$(key_file rc-sha256)" <<EON
update delete host7.example.test. A
update add host7.example.test. 300 IN A 192.0.2.$((107 + i))
send
EON
	assert_status 0 "$C" -c "$IT_DIR/c.conf" -n
	assert_contains "$RUN_OUT" "update delete $P. IN A 192.0.2.3$i"
	if [ $tool = nsupdate ]; then
		nsupdate -k "$(key_file rc-sha256)" <<<"$RUN_OUT" || fail "nsupdate rejected the coordinator's script"
	else
		knsupdate -k "$IT_DIR/kn.key" <<<"$RUN_OUT" || fail "knsupdate rejected the coordinator's script"
	fi
	axfr_snapshot "$IT_DIR/by-$tool"
	assert_contains "$(cat "$IT_DIR/by-$tool")" "mx1.example.test. 300 IN A 192.0.2.$((107 + i))"
	assert_not_contains "$(cat "$IT_DIR/by-$tool")" "dead$i._rollcall"
	assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
	axfr_snapshot "$IT_DIR/after-$tool"
	diff -u "$IT_DIR/by-$tool" "$IT_DIR/after-$tool" ||
	    fail "the coordinator changed the zone that $tool made from its script"
done
