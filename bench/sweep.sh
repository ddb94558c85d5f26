#!/usr/bin/env bash
# bench/sweep.sh - rollcall-coordinator's expiry sweep against the nsupdate
# floor, alias convergence, and peak RSS at 100,000 registrations.
#
# Against one local server (tests/integration/servers.sh; RC_SERVER=bind,
# knot or pdns, default bind), builds a zone of POOLS
# pools x HOSTS registered hosts (poolM.example.test, registration
# hN._rollcall.poolM.example.test), 10% of them stale (heartbeat a day ago,
# lease 60), by nsupdate -v -k with one `send` per BATCH records.  The
# addresses are data only, never contacted: 198.18.0.0/15 (RFC 2544
# benchmarking range), one per host.  Then, in the same run:
#
#  (a) sweep:  rollcall-coordinator -c CONF --once (grace 0) under
#      /usr/bin/time -v: wall time, peak RSS, UPDATE messages (from its log
#      line "pass: ... applied in N message(s)").  An extra untimed pass
#      with -d (the first one, also a warm-up) gives the UPDATE bytes: the
#      "(N bytes)" of each "sending to" whose header says opcode: UPDATE.
#  (b) floor:  the same deletions (per stale host: prereq yxrrset on its TXT
#      as read, delete the TXT RRset, delete its A RR) as ONE nsupdate -v
#      process with one `send` per BATCH records, timed the same way.
#  Before each of them the stale registrations and addresses are re-added
#  (and the zone checked); after each, an AXFR checks that exactly the stale
#  hosts are gone and every live one is intact.  (a) and (b) alternate RUNS
#  times; medians and the ratio sweep/floor are printed (target <= 2).
#  (c) alias convergence: a coordinator daemon (poll 1, NOTIFY listener,
#      named sending NOTIFY at once) keeps mx1.example.test equal to
#      host1.example.test; host1's A is changed CHANGES times with nsupdate
#      and dig polls mx1 every 10 ms until it shows the new address.  Median
#      and max (target <= 1 s), counted from the moment nsupdate returned
#      (the change is in the zone) and, in brackets, from before nsupdate
#      was started.
#
#   bench/sweep.sh [RUNS]     1,000 pools x 20 hosts, RUNS (default 3) rounds
#                             of (a)/(b), then (c)
#   bench/sweep.sh big [RUNS] 5,000 pools x 20 hosts = 100,000 registrations
#                             (peak RSS target <= 64 MiB), RUNS default 3,
#                             (c) only with CONVERGE=1
#
# Environment: POOLS, HOSTS (<= 131072 hosts in all), BATCH (records per
# send, default 500), CHANGES (default 20), CONVERGE=0 (skip (c)), KEEP=1
# (keep the work dir: logs, scripts, AXFRs).  Needs build/ (RelWithDebInfo,
# not the ASan build) and /usr/bin/time.
set -euo pipefail
MODE=default
if [ "${1:-}" = big ]; then MODE=big; shift; fi
if [ $MODE = big ]; then
	POOLS=${POOLS:-5000} RUNS=${1:-${RUNS:-3}} CONVERGE=${CONVERGE:-0}
else
	POOLS=${POOLS:-1000} RUNS=${1:-${RUNS:-3}} CONVERGE=${CONVERGE:-1}
fi
HOSTS=${HOSTS:-20}
BATCH=${BATCH:-500}
CHANGES=${CHANGES:-20}
top=$(cd "$(dirname "$0")/.." && pwd)
export ROLLCALL_COORDINATOR=${ROLLCALL_COORDINATOR:-$top/build/coordinator/rollcall-coordinator}
export FREEPORT=${FREEPORT:-$top/build/tests/freeport}
[ -x "$ROLLCALL_COORDINATOR" ] || { echo "build first: cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build -j2" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ $((POOLS * HOSTS)) -le 131072 ] || { echo "POOLS x HOSTS must be <= 131072 (one address of 198.18.0.0/15 each)" >&2; exit 1; }
[ "$BATCH" -ge 3 ] || { echo "BATCH must be >= 3" >&2; exit 1; }
. "$top/tests/integration/lib.sh"
it_setup sweep
require_cmd nsupdate dig
C=$ROLLCALL_COORDINATOR
D=$IT_DIR

# the server sends NOTIFY for every change to the coordinator's listener
# of (c) at once
NOTIFY_PORT=$("$FREEPORT")
SRV_NOTIFY=$NOTIFY_PORT start_server
K=$(key_file rc-sha256)
Z=$SRV_ZONE

now_us() { _it_now_us; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
maxof() { sort -n | tail -1; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }

# ---------------------------------------------------------------------------
# The data: nsupdate scripts and the expected zone contents, all from one awk

T_LIVE=$(date +%s)
T_STALE=$((T_LIVE - 86400))
# gen KIND: KIND = build (every host), restale (the stale hosts again),
# floor (the deletions), expect-live / expect-all (the records the AXFR
# check compares: "OWNER TXT" and "POOL A ADDR", sorted)
gen() {
	awk -v kind="$1" -v pools="$POOLS" -v hosts="$HOSTS" -v batch="$BATCH" \
	    -v zone="$Z" -v port="$SRV_PORT" -v tlive="$T_LIVE" \
	    -v tstale="$T_STALE" '
	function head() { printf "server 127.0.0.1 %s\nzone %s.\n", port, zone }
	# records: flush with a send when n more would exceed the batch
	function room(n) {
		if (inb > 0 && inb + n > batch) { print "send"; inb = 0 }
		if (inb == 0) head()
		inb += n
	}
	BEGIN {
		inb = 0
		for (p = 1; p <= pools; p++) {
			pool = "pool" p "." zone "."
			for (h = 1; h <= hosts; h++) {
				i = (p - 1) * hosts + (h - 1)
				stale = (i % 10 == 0)
				addr = sprintf("198.%d.%d.%d", 18 + int(i / 65536), int(i / 256) % 256, i % 256)
				reg = "h" h "._rollcall." pool
				txt = stale ? "v=rc1 t=" tstale " lease=60 a=" addr : \
				    "v=rc1 t=" tlive " lease=86400 a=" addr
				if (kind == "build" || (kind == "restale" && stale)) {
					room(2)
					printf "update add %s 60 IN TXT \"%s\"\n", reg, txt
					printf "update add %s 60 IN A %s\n", pool, addr
				} else if (kind == "floor" && stale) {
					room(3)
					printf "prereq yxrrset %s IN TXT \"%s\"\n", reg, txt
					printf "update delete %s IN TXT\n", reg
					printf "update delete %s IN A %s\n", pool, addr
				} else if (kind == "expect-all" || (kind == "expect-live" && !stale)) {
					printf "%s TXT\n%s A %s\n", reg, pool, addr
				}
			}
		}
		if (inb > 0) print "send"
	}' | if [[ $1 == expect-* ]]; then LC_ALL=C sort; else cat; fi
}
for k in build restale floor expect-live expect-all; do gen $k >"$D/$k"; done
NSTALE=$(grep -c '^prereq' "$D/floor")
FLOOR_SENDS=$(grep -c '^send' "$D/floor")
note "zone data: $POOLS pools x $HOSTS hosts = $((POOLS * HOSTS)) registrations, $NSTALE stale; build $(grep -c '^update' "$D/build") records in $(grep -c '^send' "$D/build") sends"

# nsupdate_timed SCRIPT TAG: one nsupdate -v process under /usr/bin/time -v;
# sets WALL_US and RSS_KB
nsupdate_timed() {
	local t0 t1
	t0=$(now_us)
	/usr/bin/time -v -o "$D/$2.time" nsupdate -v -t 60 -k "$K" "$1" \
	    >"$D/$2.out" 2>&1 || fail "nsupdate $1 failed: $(tail -5 "$D/$2.out")"
	t1=$(now_us)
	WALL_US=$((t1 - t0))
	RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$D/$2.time")
}

# axfr_split AXFR GOT: the registrations and pool addresses of an AXFR
# ("OWNER TXT", "POOL A ADDR", sorted) into GOT; prints the md5 of every
# other record (SOA and TSIG left out)
axfr_split() {
	: >"$2"
	awk -v got="$2" '/^;/ || NF == 0 || $4 == "TSIG" || $4 == "SOA" { next }
	    $4 == "TXT" && $1 ~ /^h[0-9]+\._rollcall\.pool[0-9]+\./ { print $1 " TXT" >got; next }
	    $4 == "A" && $1 ~ /^pool[0-9]+\./ { print $1 " A " $5 >got; next }
	    { $1 = $1; print }' "$1" | LC_ALL=C sort | md5sum
	LC_ALL=C sort -o "$2" "$2"
}

# zone_check EXPECTED WHAT [any]: AXFR; the registrations and pool
# addresses must be exactly EXPECTED, every other record as before the
# benchmark (unless "any")
zone_check() {
	local out=$D/axfr.$2 got=$D/axfr.$2.got others t0
	t0=$(now_us)
	qdig +time=30 -k "$K" "$Z" AXFR >"$out" 2>&1 || fail "AXFR failed: $(tail -3 "$out")"
	AXFR_US=$(($(now_us) - t0))
	! grep -q '^; Transfer failed\|Couldn.t verify\|communications error' "$out" ||
	    fail "AXFR failed: $(tail -3 "$out")"
	others=$(axfr_split "$out" "$got")
	if ! cmp -s "$got" "$1"; then
		fail "$2: zone differs from $(basename "$1"): $(LC_ALL=C comm -23 "$1" "$got" | wc -l) record(s) missing, $(LC_ALL=C comm -13 "$1" "$got" | wc -l) extra, e.g. $(LC_ALL=C comm -3 "$1" "$got" | head -3 | tr '\n\t' '  ')"
	fi
	[ "${3:-}" = any ] || [ "$others" = "$OTHERS" ] || fail "$2: records outside the pools changed (see $out)"
}

# restale: put the stale hosts back (after a sweep), check the whole zone;
# the time of that AXFR by dig is kept as a reference (reading the zone is
# part of the coordinator's pass, not of the floor)
axfr_us=()
restale() {
	nsupdate -v -t 60 -k "$K" "$D/restale" >"$D/restale.out" 2>&1 ||
	    fail "re-adding the stale hosts failed: $(tail -5 "$D/restale.out")"
	zone_check "$D/expect-all" "restaled"
	axfr_us+=("$AXFR_US")
}

# ---------------------------------------------------------------------------
# Build

qdig +time=30 -k "$K" "$Z" AXFR >"$D/axfr.start" || fail "AXFR failed"
OTHERS=$(axfr_split "$D/axfr.start" "$D/axfr.start.got")
[ ! -s "$D/axfr.start.got" ] || fail "the zone has pools before the benchmark"
note "building the zone ..."
nsupdate_timed "$D/build" build
BUILD_US=$WALL_US
zone_check "$D/expect-all" built
note "built in $(ms $BUILD_US) ms ($(awk -v n="$(grep -c '^update' "$D/build")" -v u="$BUILD_US" 'BEGIN { printf "%.0f", n / (u / 1e6) }') records/s); $SRV_KIND: $(ps -o rss= -p "$SRV_PID") KiB RSS"

coord_conf "$D/c.conf"

# ---------------------------------------------------------------------------
# (a) and (b)

# the first pass, with -d: UPDATE messages and bytes (and a warm-up)
rc=0
"$C" -c "$D/c.conf" -d --once >"$D/pass-d.log" 2>&1 || rc=$?
[ $rc = 0 ] || fail "coordinator -d --once exited $rc: $(grep -v '^;;' "$D/pass-d.log" | tail -5)"
read -r UPD_MSGS UPD_BYTES UPD_MAX < <(awk '
	/^;; sending to .*\([0-9]+ bytes\)$/ { n = $(NF - 1); sub(/^\(/, "", n); size = n; next }
	size != "" && /opcode: UPDATE/ { m++; b += size; if (size > mx) mx = size }
	{ size = "" }
	END { print m + 0, b + 0, mx + 0 }' "$D/pass-d.log")
zone_check "$D/expect-live" "pass-d"
note "coordinator -d pass: $UPD_MSGS UPDATE message(s), $UPD_BYTES bytes (largest $UPD_MAX); $(grep 'pass:' "$D/pass-d.log" | sed 's/.*pass: //')"

sweep_us=() sweep_kb=() sweep_msgs=() floor_us=() floor_kb=()
for ((r = 1; r <= RUNS; r++)); do
	restale
	t0=$(now_us)
	rc=0
	/usr/bin/time -v -o "$D/sweep.$r.time" "$C" -c "$D/c.conf" --once \
	    >"$D/sweep.$r.log" 2>&1 || rc=$?
	t1=$(now_us)
	[ $rc = 0 ] || fail "run $r: coordinator --once exited $rc: $(tail -5 "$D/sweep.$r.log")"
	sweep_us+=($((t1 - t0)))
	sweep_kb+=("$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$D/sweep.$r.time")")
	line=$(grep 'pass:' "$D/sweep.$r.log") || fail "run $r: no pass line in the coordinator's log"
	[[ $line =~ ([0-9]+)\ action.*\ ([0-9]+)\ applied\ in\ ([0-9]+)\ message ]] || fail "unexpected log line: $line"
	[ "${BASH_REMATCH[1]}" = "$NSTALE" ] && [ "${BASH_REMATCH[2]}" = "$NSTALE" ] ||
	    fail "run $r: expected $NSTALE expiries, coordinator says: $line"
	sweep_msgs+=("${BASH_REMATCH[3]}")
	zone_check "$D/expect-live" "sweep.$r"

	restale
	nsupdate_timed "$D/floor" "floor.$r"
	floor_us+=("$WALL_US")
	floor_kb+=("$RSS_KB")
	zone_check "$D/expect-live" "floor.$r"
	note "run $r: sweep $(ms "${sweep_us[-1]}") ms, ${sweep_kb[-1]} KiB, ${sweep_msgs[-1]} msgs; floor $(ms "${floor_us[-1]}") ms, ${floor_kb[-1]} KiB, $FLOOR_SENDS msgs"
done

# ---------------------------------------------------------------------------
# (c) alias convergence

conv_after=() conv_before=() conv_missed=0
if [ "$CONVERGE" = 1 ]; then
	coord_conf "$D/d.conf" 'notify_listen = "127.0.0.1";' "notify_port = $NOTIFY_PORT;" \
	    'aliases = ( { name = "mx1.example.test"; targets = [ "host1.example.test" ]; } );'
	nsupd -k "$K" <<-EON
	update add host1.example.test. 60 IN A 198.19.255.100
	send
	EON
	"$C" -c "$D/d.conf" -d >"$D/daemon.log" 2>&1 &
	CPID=$!
	it_on_exit "kill $CPID 2>/dev/null"
	mx() { qdig +short mx1.example.test A; }
	is_mx() { [ "$(mx)" = "$1" ]; }
	wait_until 30 is_mx 198.19.255.100 || fail "mx1 never followed host1: $(mx); $(tail -5 "$D/daemon.log")"
	prev=198.19.255.100
	for ((i = 1; i <= CHANGES; i++)); do
		# a random phase against the daemon's 1 s serial poll
		sleep "0.$((RANDOM % 900 + 100))"
		new=198.19.255.$i
		t0=$(now_us)
		printf 'server 127.0.0.1 %s\nzone %s.\nupdate delete host1.%s. A %s\nupdate add host1.%s. 60 IN A %s\nsend\n' \
		    "$SRV_PORT" "$Z" "$Z" "$prev" "$Z" "$new" | nsupdate -k "$K" ||
		    fail "changing host1 failed"
		t1=$(now_us)
		while [ "$(mx)" != "$new" ]; do
			if [ $(( $(now_us) - t1 )) -gt 10000000 ]; then
				conv_missed=$((conv_missed + 1))
				note "change $i: mx1 still $(mx) after 10 s"
				break
			fi
			sleep 0.01
		done
		t2=$(now_us)
		conv_after+=($((t2 - t1)))
		conv_before+=($((t2 - t0)))
		prev=$new
	done
	kill -TERM "$CPID"
	rc=0; wait "$CPID" || rc=$?
	[ $rc = 0 ] || note "coordinator daemon exited $rc on SIGTERM"
	zone_check "$D/expect-live" converged any
	NOTIFIES=$(grep -c 'NOTIFY for' "$D/daemon.log" || true)
	AXFRS=$(grep -c 'AXFR of .*serial' "$D/daemon.log" || true)
fi

# ---------------------------------------------------------------------------
# Report

sm=$(printf '%s\n' "${sweep_us[@]}" | median)
fm=$(printf '%s\n' "${floor_us[@]}" | median)
sk=$(printf '%s\n' "${sweep_kb[@]}" | median)
fk=$(printf '%s\n' "${floor_kb[@]}" | median)
sg=$(printf '%s\n' "${sweep_msgs[@]}" | median)
am=$(printf '%s\n' "${axfr_us[@]}" | median)
printf '\nsweep of %d pools x %d hosts = %d registrations, %d stale (%s)\n' \
    "$POOLS" "$HOSTS" $((POOLS * HOSTS)) "$NSTALE" "$(server_version)"
printf '  building the zone: %s s (%d nsupdate sends of <= %d records)\n' \
    "$(awk -v u="$BUILD_US" 'BEGIN { printf "%.1f", u / 1e6 }')" "$(grep -c '^send' "$D/build")" "$BATCH"
printf '  median of %d run(s); every run checked by AXFR: exactly the stale hosts gone\n' "$RUNS"
awk -v am="$am" -v sm="$sm" -v fm="$fm" -v sk="$sk" -v fk="$fk" -v sg="$sg" -v fs="$FLOOR_SENDS" \
    -v um="$UPD_MSGS" -v ub="$UPD_BYTES" -v ux="$UPD_MAX" -v ns="$NSTALE" \
    -v all="${sweep_us[*]}" -v fall="${floor_us[*]}" 'BEGIN {
	printf "  %-22s %9.1f ms   peak RSS %7d KiB   %3d UPDATE msgs\n", "coordinator --once", sm / 1000, sk, sg
	printf "  %-22s %9.1f ms   peak RSS %7d KiB   %3d UPDATE msgs\n", "floor (nsupdate -v)", fm / 1000, fk, fs
	printf "  ratio coordinator/floor: wall %.2f (target <= 2), peak RSS %.2f\n", sm / fm, sk / fk
	printf "  for reference: dig AXFR of the same zone %.1f ms; coordinator/(floor + AXFR) %.2f\n", am / 1000, sm / (fm + am)
	printf "  coordinator UPDATEs (-d pass): %d messages, %d bytes, largest %d, %.0f bytes/expiry\n", um, ub, ux, ub / (ns ? ns : 1)
	printf "  all runs (us): coordinator %s; floor %s\n", all, fall
}'
if [ "$CONVERGE" = 1 ]; then
	ca=$(printf '%s\n' "${conv_after[@]}" | median)
	cx=$(printf '%s\n' "${conv_after[@]}" | maxof)
	cb=$(printf '%s\n' "${conv_before[@]}" | median)
	cbx=$(printf '%s\n' "${conv_before[@]}" | maxof)
	printf '  alias convergence, %d changes of host1 -> mx1 (daemon, poll 1, NOTIFY):\n' "$CHANGES"
	printf '    median %s ms, max %s ms (target <= 1000) [from before nsupdate: median %s, max %s ms]; %d missed (> 10 s)\n' \
	    "$(ms "$ca")" "$(ms "$cx")" "$(ms "$cb")" "$(ms "$cbx")" "$conv_missed"
	printf '    all (ms): %s\n' "$(for u in "${conv_after[@]}"; do printf '%s ' "$(ms "$u")"; done)"
	printf '    daemon log: %s NOTIFY(s) received, %s AXFR(s)\n' "$NOTIFIES" "$AXFRS"
fi
