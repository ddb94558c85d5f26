#!/usr/bin/env bash
# 50 agents register in one pool at the same moment: all 50 are present,
# nothing else is lost; then all 50 leave at once and only the static
# record remains.
. "$(dirname "$0")/lib.sh"
it_setup agent_concurrent
start_server
A=$ROLLCALL_AGENT
P=srv.example.test
N=50

for i in $(seq 1 $N); do
	agent_conf "$IT_DIR/h$i.conf" "host$i" "192.0.2.$((100 + i))" "2001:db8::$((100 + i))"
done
pids=()
for i in $(seq 1 $N); do
	"$A" -c "$IT_DIR/h$i.conf" register >"$IT_DIR/h$i.out" 2>&1 & pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
(( failed == 0 )) || { cat "$IT_DIR"/h*.out >&2; fail "$failed agents failed"; }
got=$(pool_addrs $P)
assert_eq $((2 * N + 1)) "$(wc -l <<<"$got")" "pool size after $N registrations"
for i in $(seq 1 $N); do
	assert_contains "$got" "192.0.2.$((100 + i))"
	assert_contains "$got" "2001:db8::$((100 + i))"
done

pids=()
for i in $(seq 1 $N); do
	"$A" -c "$IT_DIR/h$i.conf" deregister >"$IT_DIR/h$i.out" 2>&1 & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
(( failed == 0 )) || { cat "$IT_DIR"/h*.out >&2; fail "$failed agents failed to leave"; }
assert_eq "192.0.2.1" "$(pool_addrs $P)" "pool after all left"
