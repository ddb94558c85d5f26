#!/usr/bin/env bash
# t_server_smoke.sh - proves the harness with the server under test and
# nsupdate only (no rollcall): refused and badly signed updates change
# nothing, each of the six TSIG algorithms can update, the snapshot shows
# exactly those changes, and the data survives a restart.  Pins how each
# server answers an unsigned update.
# requires: nsupdate
. "$(dirname "$0")/lib.sh"
it_setup server_smoke
require_cmd nsupdate dig tsig-keygen
start_server

before=$IT_DIR/before.axfr
axfr_snapshot "$before"
assert_contains "$(cat "$before")" "srv.example.test. 300 IN A 192.0.2.1"
assert_eq "192.0.2.1" "$(pool_addrs srv.example.test)"

# --- failures first: nothing may change ---
note "unsigned update"
assert_status 2 nsupd <<EOF
update add evil.example.test. 60 A 192.0.2.66
send
EOF
case $SRV_KIND in
knot) assert_contains "$RUN_OUT$RUN_ERR" "NOTAUTH" ;;
*) assert_contains "$RUN_OUT$RUN_ERR" "REFUSED" ;;
esac

note "wrong secret"
assert_status 2 nsupd -y "hmac-sha256:rc-sha256:$(printf '%032d' 0 | base64)" <<EOF
update add evil.example.test. 60 A 192.0.2.66
send
EOF

note "unsigned AXFR, AXFR with a key outside allow-transfer"
assert_contains "$(qdig example.test AXFR)" "Transfer failed"
assert_contains "$(qdig -k "$(key_file rc-md5)" example.test AXFR)" "Transfer failed"

after=$IT_DIR/after.axfr
axfr_snapshot "$after"
assert_eq "$(cat "$before")" "$(cat "$after")" "zone changed by refused updates"
assert_eq "" "$(qdig +short evil.example.test A)"

# --- every algorithm can update ---
n=10
expect=
for k in $IT_KEYS; do
	n=$((n + 1))
	note "update signed with $k"
	assert_status 0 nsupd -k "$(key_file "$k")" <<EOF
update add $k.example.test. 60 A 192.0.2.$n
send
EOF
	assert_eq "192.0.2.$n" "$(qdig +short "$k.example.test" A)"
	expect+="$k.example.test. 60 IN A 192.0.2.$n"$'\n'
done

note "-y alg:name:secret, several changes in one update"
assert_status 0 nsupd -y "hmac-sha512:rc-sha512:$(key_secret rc-sha512)" <<EOF
update add srv.example.test. 300 A 192.0.2.2
update add srv.example.test. 300 AAAA 2001:db8::2
send
EOF
assert_eq $'192.0.2.1\n192.0.2.2\n2001:db8::2' "$(pool_addrs srv.example.test)"
expect+=$'srv.example.test. 300 IN A 192.0.2.2\nsrv.example.test. 300 IN AAAA 2001:db8::2\n'

# The snapshot differs by exactly those records and the SOA serial 1 -> 8.
axfr_snapshot "$after"
added=$(LC_ALL=C comm -13 "$before" "$after" | grep -v ' SOA ')
assert_eq "$(printf '%s' "$expect" | LC_ALL=C sort)" "$added"
assert_contains "$(grep ' SOA ' "$after")" "hostmaster.example.test. 8 3600"
assert_eq "" "$(LC_ALL=C comm -23 "$before" "$after" | grep -v ' SOA ')" "records lost"

# --- the data outlives a restart (journal) ---
note "restart"
stop_server
if qdig +short example.test SOA >/dev/null 2>&1; then
	fail "$SRV_KIND still answers after stop_server"
fi
restart_server
snap=$IT_DIR/restart.axfr
axfr_snapshot "$snap"
assert_eq "$(cat "$after")" "$(cat "$snap")" "zone changed across restart"
