#!/usr/bin/env bash
# A stranger's silent TCP connections to notify_listen do not hold up the
# primary's NOTIFY (Knot sends it over TCP, BIND and PowerDNS over UDP):
# the coordinator closes a connection from anyone but a zone's primary at
# once instead of giving it the 1 s a primary gets to send its message.
# Where the kernel has dual-stack sockets, the listener is "::", so the
# primary's NOTIFY from 127.0.0.1 arrives as ::ffff:127.0.0.1 and must
# still count as the primary's.
# requires: nsupdate python3
. "$(dirname "$0")/lib.sh"
it_setup coord_notify
K=$KEYDIR/rc-sha256.key
NP=$("$FREEPORT")
SRV_NOTIFY=$NP
start_server
C=$ROLLCALL_COORDINATOR
LISTEN=127.0.0.1
if [ -e /proc/net/if_inet6 ] &&
    [ "$(cat /proc/sys/net/ipv6/bindv6only 2>/dev/null)" = 0 ]; then
	LISTEN=::
fi
note "notify_listen $LISTEN"

nsupd -k "$K" <<EON
update add host1.example.test. 300 IN A 192.0.2.101
send
EON
coord_conf "$IT_DIR/c.conf" \
    'poll = 60;' \
    "notify_listen = \"$LISTEN\"; notify_port = $NP;" \
    'aliases = ( { name = "mx1.example.test"; targets = [ "host1.example.test" ]; } );'
sed -i '/^poll = 1;$/d' "$IT_DIR/c.conf"
"$C" -d -c "$IT_DIR/c.conf" >"$IT_DIR/coord.log" 2>&1 &
CPID=$!
it_on_exit "kill $CPID 2>/dev/null"
is() { [ "$("$1")" = "$2" ]; }
mx() { qdig +short mx1.example.test A; }
wait_until 10 is mx 192.0.2.101 || fail "first pass did not sync mx1: $(mx)"

# the stranger, from 127.0.0.2: 20 silent connections a second, kept open
python3 - "$NP" "$IT_DIR/stranger.ready" <<'PY' >"$IT_DIR/stranger.log" 2>&1 &
import socket, sys, time
port, ready = int(sys.argv[1]), sys.argv[2]
held = []
end = time.time() + 30
while time.time() < end:
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=1,
                                             source_address=("127.0.0.2", 0)))
    except OSError as e:
        print("connect:", e, flush=True)
    if len(held) == 20:
        open(ready, "w").close()
    time.sleep(0.05)
PY
SPID=$!
it_on_exit "kill $SPID 2>/dev/null"
wait_until 5 test -f "$IT_DIR/stranger.ready" || fail "stranger did not connect: $(cat "$IT_DIR/stranger.log")"

for addr in 192.0.2.102 192.0.2.103; do
	t0=$(_it_now_us)
	nsupd -k "$K" <<EON
update delete host1.example.test. A
update add host1.example.test. 300 IN A $addr
send
EON
	wait_until 3 is mx "$addr" || fail "mx1 did not follow on NOTIFY with a stranger connected: $(mx)"
	note "mx1 followed host1 in $(( ($(_it_now_us) - t0) / 1000 )) ms with a stranger connecting 20 times a second"
done
assert_contains "$(cat "$IT_DIR/coord.log")" "NOTIFY over TCP from a stranger: closed"
kill -TERM "$CPID"
rc=0; wait "$CPID" || rc=$?
assert_eq 0 "$rc" "exit status on SIGTERM"
