#!/usr/bin/env bash
# `rollcall-agent -n` prints the exact update as an nsupdate script; fed to
# the real nsupdate it gives the same zone as the agent itself.
# requires: nsupdate
. "$(dirname "$0")/lib.sh"
it_setup agent_nsupdate
start_server
A=$ROLLCALL_AGENT
P=srv.example.test
# heartbeat times and the SOA differ between runs; and adding to the pool's
# RRset gives the whole RRset (the static record too) the pool's TTL
norm() { sed -E 's/t=[0-9]+/t=T/' "$1" | awk '$4 != "SOA" { $2 = ""; print }'; }

agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11 2001:db8::11
axfr_snapshot "$IT_DIR/empty"

# dry run: a script, and nothing changed
assert_status 0 "$A" -c "$IT_DIR/h1.conf" -n register
script=$RUN_OUT
assert_contains "$script" "server 127.0.0.1 $SRV_PORT"
assert_contains "$script" "zone example.test."
assert_contains "$script" "prereq nxrrset host1._rollcall.$P. IN TXT"
assert_contains "$script" "update add $P. 60 IN A 192.0.2.11"
assert_contains "$script" "send"
axfr_snapshot "$IT_DIR/after-dry"
diff -u "$IT_DIR/empty" "$IT_DIR/after-dry" || fail "-n changed the zone"

# the script through nsupdate
nsupdate -k "$(key_file rc-sha256)" <<<"$script" || fail "nsupdate rejected the script"
axfr_snapshot "$IT_DIR/by-nsupdate"
# the same through the agent, from scratch
assert_status 0 "$A" -c "$IT_DIR/h1.conf" -n deregister
nsupdate -k "$(key_file rc-sha256)" <<<"$RUN_OUT" || fail "nsupdate rejected the deregister script"
axfr_snapshot "$IT_DIR/cleaned"
diff -u <(norm "$IT_DIR/empty") <(norm "$IT_DIR/cleaned") || fail "deregister script left something"
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register
axfr_snapshot "$IT_DIR/by-agent"
diff -u <(norm "$IT_DIR/by-nsupdate") <(norm "$IT_DIR/by-agent") ||
    fail "nsupdate and the agent gave different zones"

# a renumbering script (prereq on the exact registration) works in nsupdate
agent_conf "$IT_DIR/h1.conf" host1 192.0.2.21
assert_status 0 "$A" -c "$IT_DIR/h1.conf" -n register
assert_contains "$RUN_OUT" "prereq yxrrset host1._rollcall.$P. IN TXT \"v=rc1"
assert_contains "$RUN_OUT" "update delete $P. IN A 192.0.2.11"
nsupdate -k "$(key_file rc-sha256)" <<<"$RUN_OUT" || fail "nsupdate rejected the renumber script"
assert_eq "$(printf '%s\n' 192.0.2.1 192.0.2.21)" "$(pool_addrs $P)" "pool after renumber by nsupdate"
