#!/usr/bin/env bash
# One key per host, allowed to change only its registration (TXT at
# H._rollcall.POOL) and the pool's A/AAAA; the coordinator has its own key.
# Each host registers with its own key; host1's key cannot write or delete
# host2's registration on any server.  What no server can enforce: a key
# that may write the pool's A RRset can delete another host's A record;
# the coordinator puts a live host's address back.
# BIND grants per name and type; Knot checks an update against one rule
# per key covering both names and both types (looser: pinned below);
# PowerDNS uses the policy script shipped in packaging/pdns/, which drops
# refused records and answers NOERROR (pinned below).
# requires: nsupdate
. "$(dirname "$0")/lib.sh"
it_setup least_privilege
A=$ROLLCALL_AGENT
C=$ROLLCALL_COORDINATOR
P=srv.example.test
add_key host1
add_key host2
add_key host3	# may write its registration, not the pool
SRV_GRANTS="host1 host1._rollcall.$P TXT
host1 $P A AAAA
host2 host2._rollcall.$P TXT
host2 $P A AAAA
host3 host3._rollcall.$P TXT" start_server

KEY=host1 agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11 2001:db8::11
KEY=host2 agent_conf "$IT_DIR/h2.conf" host2 192.0.2.12
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register
assert_status 0 "$A" -c "$IT_DIR/h2.conf" register
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.11 192.0.2.12 2001:db8::11)" \
    "$(pool_addrs $P)" "pool after both registered with their own keys"
assert_status 0 "$A" -c "$IT_DIR/h1.conf" heartbeat

# host1's key against host2's registration: overwrite, delete, add another
axfr_snapshot "$IT_DIR/before"
for change in \
    "update add host2._rollcall.$P. 60 IN TXT \"v=rc1 t=1 lease=60 a=192.0.2.66\"" \
    "update delete host2._rollcall.$P. TXT" \
    "update add host9._rollcall.$P. 60 IN TXT \"v=rc1 t=1 lease=60 a=192.0.2.66\"" \
    "update add www.example.test. 60 IN A 192.0.2.66"; do
	run nsupd -k "$(key_file host1)" <<<"$change
send"
	case $SRV_KIND in
	bind) assert_eq 2 "$RUN_RC" "host1's key: $change"
	      assert_contains "$RUN_OUT$RUN_ERR" "REFUSED" ;;
	knot) assert_eq 2 "$RUN_RC" "host1's key: $change"
	      assert_contains "$RUN_OUT$RUN_ERR" "NOTAUTH" ;;
	pdns) # the policy script drops the record; PowerDNS says NOERROR
	      assert_eq 0 "$RUN_RC" "host1's key: $change" ;;
	esac
done
axfr_snapshot "$IT_DIR/after"
diff -u "$IT_DIR/before" "$IT_DIR/after" || fail "host1's key changed what it may not"

# the agent reports a refusal with its own key: host1's config, host2's id
KEY=host1 agent_conf "$IT_DIR/wrong.conf" host2 192.0.2.12 192.0.2.13
assert_status 3 "$A" -c "$IT_DIR/wrong.conf" -t 2 register
case $SRV_KIND in
bind) assert_contains "$RUN_ERR" "REFUSED" ;;
knot) assert_contains "$RUN_ERR" "NOTAUTH, BADKEY" ;;
pdns) assert_contains "$RUN_ERR" "answered NOERROR, but after 2 s it still does not show" ;;
esac
axfr_snapshot "$IT_DIR/after"
if [ "$SRV_KIND" = pdns ]; then
	# PowerDNS applied the allowed A record; the agent deleted it again,
	# so only the serial moved
	sed -i '/ SOA /d' "$IT_DIR/before" "$IT_DIR/after"
fi
diff -u "$IT_DIR/before" "$IT_DIR/after" || fail "a refused agent changed the zone"

# Knot's one-rule-per-key: host1's key may write TXT at the pool name
# (both names, both types); BIND and the PowerDNS script may not.
run nsupd -k "$(key_file host1)" <<EON
update add $P. 60 IN TXT "written by host1's key"
send
EON
if [ "$SRV_KIND" = knot ]; then
	assert_eq 0 "$RUN_RC" "Knot: host1's key writes TXT at the pool"
	assert_contains "$(qdig +short $P TXT)" "written by host1"
else
	assert_eq "" "$(qdig +short $P TXT)" "TXT at the pool"
fi

# What no server can enforce: host1's key deletes host2's A record.  The
# coordinator (its own key) puts the live host's address back.
assert_status 0 nsupd -k "$(key_file host1)" <<EON
update delete $P. A 192.0.2.12
send
EON
assert_not_contains "$(pool_addrs $P)" "192.0.2.12"
coord_conf "$IT_DIR/c.conf"
assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
assert_contains "$(pool_addrs $P)" "192.0.2.12" "coordinator repaired host2's address"

# A key allowed the registration but not the pool: BIND and Knot refuse the
# whole UPDATE; PowerDNS applies the TXT and drops the A, and the agent
# reads back, undoes the TXT and says so.  The records stay as they were.
axfr_snapshot "$IT_DIR/before3"
KEY=host3 agent_conf "$IT_DIR/h3.conf" host3 192.0.2.13
assert_status 3 "$A" -c "$IT_DIR/h3.conf" register
case $SRV_KIND in
bind) assert_contains "$RUN_ERR" "REFUSED" ;;
knot) assert_contains "$RUN_ERR" "NOTAUTH, BADKEY" ;;
pdns) assert_contains "$RUN_ERR" "applied only part of the update"
      assert_contains "$RUN_ERR" "the part applied was undone" ;;
esac
axfr_snapshot "$IT_DIR/after3"
sed -i '/ SOA /d' "$IT_DIR/before3" "$IT_DIR/after3"
diff -u "$IT_DIR/before3" "$IT_DIR/after3" || fail "a register refused in part changed the records"

# PowerDNS: the policy loses host1's registration grant (an edited rules
# file); its heartbeat is dropped with NOERROR, and the agent says so
# instead of letting the registration go stale unnoticed.
if [ "$SRV_KIND" = pdns ]; then
	sed -i '/^grant host1 name host1\._rollcall/d' "$SRV_DIR/rollcall-dnsupdate-policy.conf"
	restart_server
	assert_status 3 "$A" -c "$IT_DIR/h1.conf" -t 2 heartbeat
	assert_contains "$RUN_ERR" "does not show the change of host1._rollcall.$P."
fi
