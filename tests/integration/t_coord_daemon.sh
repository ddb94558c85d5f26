#!/usr/bin/env bash
# The daemon reacts to NOTIFY at once (poll is 60 s here, so nothing else
# can explain a fast reaction), survives its server going away, and
# converges once the server is back.
# requires: nsupdate
. "$(dirname "$0")/lib.sh"
it_setup coord_daemon
K=$KEYDIR/rc-sha256.key
NP=$("$FREEPORT")
# the server sends NOTIFY to the coordinator at once
SRV_NOTIFY=$NP
start_server
C=$ROLLCALL_COORDINATOR

nsupd -k "$K" <<EON
update add host1.example.test. 300 IN A 192.0.2.101
send
EON
coord_conf "$IT_DIR/c.conf" \
    'poll = 60;' \
    "notify_listen = \"127.0.0.1\"; notify_port = $NP;" \
    'aliases = ( { name = "mx1.example.test"; targets = [ "host1.example.test" ]; } );'
sed -i '/^poll = 1;$/d' "$IT_DIR/c.conf"
"$C" -c "$IT_DIR/c.conf" >"$IT_DIR/coord.log" 2>&1 &
CPID=$!
it_on_exit "kill $CPID 2>/dev/null"

is() { [ "$("$1")" = "$2" ]; }
mx() { qdig +short mx1.example.test A; }
wait_until 10 is mx 192.0.2.101 || fail "first pass did not sync mx1: $(mx)"

# NOTIFY: a change reaches the alias in about a second, not 60
for addr in 192.0.2.102 192.0.2.103; do
	t0=$(_it_now_us)
	nsupd -k "$K" <<EON
update delete host1.example.test. A
update add host1.example.test. 300 IN A $addr
send
EON
	wait_until 5 is mx "$addr" || fail "mx1 did not follow on NOTIFY: $(mx)"
	note "mx1 followed host1 in $(( ($(_it_now_us) - t0) / 1000 )) ms (poll = 60 s)"
done

# a good reload (SIGHUP) takes effect: poll every second from now on
sed -i 's/^poll = 60;$/poll = 1;/' "$IT_DIR/c.conf"
kill -HUP "$CPID"
wait_until 10 grep -q "reloaded" "$IT_DIR/coord.log" || fail "reload not logged"

# the server goes away: the daemon logs it once and keeps running
stop_server
wait_until 10 grep -q "retrying with backoff" "$IT_DIR/coord.log" ||
    fail "no error logged while the server is down"
kill -0 "$CPID" || fail "coordinator died while the server was down"
restart_server
nsupd -k "$K" <<EON
update delete host1.example.test. A
update add host1.example.test. 300 IN A 192.0.2.104
send
EON
wait_until 70 is mx 192.0.2.104 || fail "no convergence after the server came back: $(mx)"
assert_eq 1 "$(grep -c 'retrying with backoff' "$IT_DIR/coord.log")" "failure logged once"
kill -TERM "$CPID"
rc=0; wait "$CPID" || rc=$?
assert_eq 0 "$rc" "exit status on SIGTERM"
