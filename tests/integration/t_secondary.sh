#!/usr/bin/env bash
# A BIND primary with secondaries of the server under test (BIND or Knot)
# on other loopback ports, NOTIFY + IXFR:
# - the coordinator talks only to the primary; after register, expiry and
#   alias sync the notified secondary serves the same zone within seconds;
# - an agent pointed at a secondary with update forwarding works: its
#   update goes through, and it waits for the secondary to show it;
# - a secondary that lags (never notified) makes the agent wait, bounded
#   by -t, and then name the primary; once it catches up the agent goes on;
# - a secondary without forwarding: a clear error naming the primary.
# servers: bind knot
# requires: nsupdate python3
. "$(dirname "$0")/lib.sh"
it_setup secondary
K=$KEYDIR/rc-sha256.key
A=$ROLLCALL_AGENT
C=$ROLLCALL_COORDINATOR
P=srv.example.test
KIND=${RC_SERVER:-bind}
require_cmd python3

# ports first: the primary notifies sec1 (and only sec1) at once
S1=$("$FREEPORT")
RC_SERVER=bind SRV_NOTIFY=$S1 start_server
PP=$SRV_PORT
PRIMARY_DIR=$SRV_DIR
RC_SERVER=$KIND SRV_PRIMARY_PORT=$PP SRV_FORWARD=1 SRV_PORT_FIXED=$S1 start_server
RC_SERVER=$KIND SRV_PRIMARY_PORT=$PP SRV_FORWARD=1 start_server
S2=$SRV_PORT S2_DIR=$SRV_DIR S2_PID=$SRV_PID S2_LOG=$SRV_LOG
RC_SERVER=$KIND SRV_PRIMARY_PORT=$PP start_server
S3=$SRV_PORT
SRV_PORT=$PP SRV_KIND=bind SRV_DIR=$PRIMARY_DIR
export SRV_PORT SRV_KIND SRV_DIR

# on() PORT DIG-ARGS: dig at one of the servers
on() { local port=$1; shift; dig -p "$port" @127.0.0.1 +tries=1 +time=2 "$@"; }
# same PORT: the server at PORT serves exactly the primary's zone
snap() { on "$1" +noall +answer -k "$K" example.test AXFR | awk '$4 != "TSIG" { $1 = $1; print }' | LC_ALL=C sort -u; }
same() { [ "$(snap "$PP")" = "$(snap "$1")" ]; }

# --- an agent through the forwarding secondary ---
agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11 2001:db8::11
sed -i "s/^port = .*/port = $S1;/" "$IT_DIR/h1.conf"
assert_status 0 "$A" -c "$IT_DIR/h1.conf" -d register
assert_contains "$RUN_ERR" "registered host1"
# the agent came back only once the secondary showed its registration
assert_contains "$(on "$S1" +short host1._rollcall.$P TXT)" "a=192.0.2.11"
assert_contains "$(on "$PP" +short $P A)" "192.0.2.11"
assert_status 0 "$A" -c "$IT_DIR/h1.conf" heartbeat

# --- the coordinator on the primary: expiry and alias sync reach sec1 ---
agent_conf "$IT_DIR/h2.conf" host2 192.0.2.12
assert_status 0 "$A" -c "$IT_DIR/h2.conf" register
stale_host dead1 $P 1000 60 192.0.2.31
nsupd -k "$K" <<EON
update add host1.example.test. 300 IN A 192.0.2.101
send
EON
coord_conf "$IT_DIR/c.conf" \
    'aliases = ( { name = "mx1.example.test"; targets = [ "host1.example.test" ]; } );'
assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
assert_not_contains "$(on "$PP" +short $P A)" "192.0.2.31"
t0=$(_it_now_us)
wait_until 10 same "$S1" || fail "sec1 does not serve the primary's zone:
$(diff <(snap "$PP") <(snap "$S1"))"
note "sec1 caught up in $(( ($(_it_now_us) - t0) / 1000 )) ms"
assert_eq "192.0.2.101" "$(on "$S1" +short mx1.example.test A)" "alias on sec1"
assert_not_contains "$(on "$S1" +short $P A)" "192.0.2.31"
grep -q "IXFR\|ixfr" "$SRV_LOG" "$IT_DIR"/*/"$KIND".log 2>/dev/null ||
    note "no IXFR logged (a small zone may be sent whole)"

# --- a secondary that lags: sec2 is never notified (refresh 3600) ---
agent_conf "$IT_DIR/h3.conf" host3 192.0.2.13
assert_status 0 "$A" -c "$IT_DIR/h3.conf" register	# via the primary
sed -i "s/^port = .*/port = $S2;/" "$IT_DIR/h3.conf"
# sec2 still has the zone of its start: no host3 at all.  A deregister
# through it reads "not registered" there, which is what it serves.
assert_eq "" "$(on "$S2" +short host3._rollcall.$P TXT)" "sec2 is stale"
# a heartbeat through sec2: its read is stale, the primary's prerequisite
# fails, the agent waits -t seconds for sec2, then names the primary
assert_status 4 "$A" -c "$IT_DIR/h3.conf" -t 2 heartbeat
assert_contains "$RUN_ERR" "127.0.0.1#$S2"
assert_contains "$RUN_ERR" "the zone's primary is ns1.example.test."
# the same, but sec2 catches up while the agent waits: it goes on.  A
# NOTIFY from 127.0.0.1 (the primary's address) makes sec2 look; once the
# agent waits for it (after its stale read), it gets one every half second
# until the agent is done (it also reads its heartbeat back from sec2).
notify_sec2() {
	python3 - "$S2" <<'EOPY'
import socket, struct, sys
q = struct.pack(">HHHHHH", 0x5ca1, 0x2400, 1, 0, 0, 0)  # opcode NOTIFY, AA
q += b"".join(bytes([len(l)]) + l for l in (b"example", b"test")) + b"\0"
q += struct.pack(">HH", 6, 1)                          # SOA IN
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
s.recv(512)
EOPY
}
"$A" -c "$IT_DIR/h3.conf" -t 20 -d heartbeat >"$IT_DIR/hb.out" 2>&1 &
HB=$!
# sent() N: the agent has sent at least N messages
sent() { [ "$(grep -c 'sending to' "$IT_DIR/hb.out")" -ge "$1" ]; }
# waiting for sec2: it has read, sent, checked the pool for a CNAME, read
wait_until 10 sent 4 || fail "agent is not waiting for sec2: $(cat "$IT_DIR/hb.out")"
while _it_alive "$HB"; do notify_sec2 || true; sleep 0.5; done
rc=0; wait "$HB" || rc=$?
assert_eq 0 "$rc" "heartbeat while sec2 caught up: $(tail -5 "$IT_DIR/hb.out")"
assert_contains "$(on "$PP" +short host3._rollcall.$P TXT)" "a=192.0.2.13"

# --- a secondary without update forwarding: refused, primary named ---
agent_conf "$IT_DIR/h4.conf" host4 192.0.2.14
sed -i "s/^port = .*/port = $S3;/" "$IT_DIR/h4.conf"
before=$(snap "$PP")
assert_status 3 "$A" -c "$IT_DIR/h4.conf" register
case $KIND in
bind) assert_contains "$RUN_ERR" "answered REFUSED to the update" ;;
knot) assert_contains "$RUN_ERR" "NOTAUTH" ;;
esac
assert_contains "$RUN_ERR" "primary" && assert_contains "$RUN_ERR" "ns1.example.test."
assert_eq "$before" "$(snap "$PP")" "a refused update changed the zone"
