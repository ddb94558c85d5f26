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
start_named
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
