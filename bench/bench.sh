#!/usr/bin/env bash
# bench/bench.sh - rollcall-agent against nsupdate, side by side, one run.
#
# Against one local server (tests/integration/servers.sh; RC_SERVER=bind,
# knot or pdns, default bind), each round times
#   agent:    rollcall-agent register; rollcall-agent deregister
#   nsupdate: nsupdate -k KEY < register script; nsupdate -k KEY < deregister
# where the nsupdate scripts are the agent's own -n output, so both send the
# same two updates (the agent also reads the registration first: it does
# more work, not less).  Rounds alternate agent and nsupdate so that machine
# noise hits both alike.  Peak RSS comes from /usr/bin/time -v.
#
#   bench/bench.sh [ROUNDS] [CYCLES]     (default 7 rounds of 30 cycles)
#
# Prints the median per-cycle wall time of each, the median peak RSS of each
# and the ratios.  Needs a built build/ (cmake --build build).
set -euo pipefail
ROUNDS=${1:-7}
CYCLES=${2:-30}
top=$(cd "$(dirname "$0")/.." && pwd)
export ROLLCALL_AGENT=${ROLLCALL_AGENT:-$top/build/agent/rollcall-agent}
export FREEPORT=${FREEPORT:-$top/build/tests/freeport}
[ -x "$ROLLCALL_AGENT" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 1; }
. "$top/tests/integration/lib.sh"
it_setup bench
start_server
A=$ROLLCALL_AGENT
K=$(key_file rc-sha256)
agent_conf "$IT_DIR/h.conf" host1 192.0.2.11 2001:db8::11

# the nsupdate scripts: the agent's own -n output, applied once to check
"$A" -c "$IT_DIR/h.conf" -n register >"$IT_DIR/reg.ns"
nsupdate -k "$K" <"$IT_DIR/reg.ns"
"$A" -c "$IT_DIR/h.conf" -n deregister >"$IT_DIR/dereg.ns"
nsupdate -k "$K" <"$IT_DIR/dereg.ns"
[ "$(pool_addrs srv.example.test)" = 192.0.2.1 ] || fail "scripts did not round-trip"

now_ns() { date +%s%N; }
agent_cycle() {
	"$A" -c "$IT_DIR/h.conf" register 2>/dev/null
	"$A" -c "$IT_DIR/h.conf" deregister 2>/dev/null
}
nsupdate_cycle() {
	nsupdate -k "$K" <"$IT_DIR/reg.ns"
	nsupdate -k "$K" <"$IT_DIR/dereg.ns"
}
# round FUNC: mean microseconds per cycle over CYCLES cycles
round() {
	local t0 t1 i
	t0=$(now_ns)
	for ((i = 0; i < CYCLES; i++)); do "$1"; done
	t1=$(now_ns)
	echo $(( (t1 - t0) / CYCLES / 1000 ))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

agent_us=() ns_us=() agent_kb=() ns_kb=()
for ((r = 1; r <= ROUNDS; r++)); do
	agent_us+=("$(round agent_cycle)")
	ns_us+=("$(round nsupdate_cycle)")
	# peak RSS of the larger of the two runs of a cycle
	a1=$(peak_kb "$A" -c "$IT_DIR/h.conf" register)
	a2=$(peak_kb "$A" -c "$IT_DIR/h.conf" deregister)
	agent_kb+=("$(( a1 > a2 ? a1 : a2 ))")
	n1=$(peak_kb nsupdate -k "$K" "$IT_DIR/reg.ns")
	n2=$(peak_kb nsupdate -k "$K" "$IT_DIR/dereg.ns")
	ns_kb+=("$(( n1 > n2 ? n1 : n2 ))")
	note "round $r: agent ${agent_us[-1]} us/cycle, nsupdate ${ns_us[-1]} us/cycle; RSS ${agent_kb[-1]} vs ${ns_kb[-1]} KiB"
done
[ "$(pool_addrs srv.example.test)" = 192.0.2.1 ] || fail "pool not clean after the benchmark"

am=$(printf '%s\n' "${agent_us[@]}" | median)
nm=$(printf '%s\n' "${ns_us[@]}" | median)
ak=$(printf '%s\n' "${agent_kb[@]}" | median)
nk=$(printf '%s\n' "${ns_kb[@]}" | median)
printf '\nregister+deregister cycle, median of %d rounds x %d cycles (%s)\n' "$ROUNDS" "$CYCLES" "$(server_version)"
awk -v am="$am" -v nm="$nm" -v ak="$ak" -v nk="$nk" 'BEGIN {
	printf "  %-16s %8.2f ms/cycle   peak RSS %6d KiB\n", "rollcall-agent", am / 1000, ak
	printf "  %-16s %8.2f ms/cycle   peak RSS %6d KiB\n", "nsupdate -k", nm / 1000, nk
	printf "  ratio agent/nsupdate: wall %.2f, peak RSS %.2f\n", am / nm, ak / nk
}'
