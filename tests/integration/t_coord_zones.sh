#!/usr/bin/env bash
# Two managed zones on two primaries, no server configured: each zone's
# primary is found from its own SOA MNAME (not the first zone's for all,
# which would answer NOTAUTH for ever), read and updated there: an alias in
# each zone follows a target in the other one.  With a server configured,
# every zone goes to that server.
# requires: nsupdate python3
. "$(dirname "$0")/lib.sh"
it_setup coord_zones
K=$KEYDIR/rc-sha256.key
C=$ROLLCALL_COORDINATOR

# primary 1: example.test on 127.0.0.1:P
start_server
P=$SRV_PORT

# primary 2: other.test at 127.0.0.2 on the same port (the port is
# global).  named -4 binds only interface addresses (lo has 127.0.0.1), so
# a forwarder (UDP and TCP) on 127.0.0.2:P stands in front of it.
cat >"$IT_DIR/other.zone" <<'EOZ'
$ORIGIN other.test.
$TTL 300
@	IN SOA ns.other.test. h.other.test. 1 3600 600 86400 60
	IN NS ns
ns	IN A 127.0.0.2
web	IN A 198.51.100.20
EOZ
SRV_ZONE=other.test start_server "$IT_DIR/other.zone"
P2=$SRV_PORT
cat >"$IT_DIR/fwd.py" <<'EOPY'
import socket, sys, threading
lport, up = int(sys.argv[1]), ("127.0.0.1", int(sys.argv[2]))
def udp_one(s, data, peer):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(3)
    try:
        u.sendto(data, up)
        s.sendto(u.recv(65535), peer)
    except OSError:
        pass
    u.close()
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.2", lport))
    ready.release()
    while True:
        data, peer = s.recvfrom(65535)
        threading.Thread(target=udp_one, args=(s, data, peer), daemon=True).start()
def pipe(a, b):
    try:
        while (d := a.recv(65535)):
            b.sendall(d)
    except OSError:
        pass
    for x in (a, b):
        try:
            x.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
def tcp():
    l = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("127.0.0.2", lport))
    l.listen(16)
    ready.release()
    while True:
        c, _ = l.accept()
        u = socket.create_connection(up)
        for a, b in ((c, u), (u, c)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()
ready = threading.Semaphore(0)
for f in (udp, tcp):
    threading.Thread(target=f, daemon=True).start()
ready.acquire(); ready.acquire()
print("ready", flush=True)
threading.Event().wait()
EOPY
python3 "$IT_DIR/fwd.py" "$P" "$P2" >"$IT_DIR/fwd.out" 2>&1 </dev/null &
FPID=$!
it_on_exit "kill $FPID 2>/dev/null"
wait_until 5 grep -q ready "$IT_DIR/fwd.out" || fail "forwarder: $(cat "$IT_DIR/fwd.out")"
dig -p "$P" @127.0.0.2 +tries=1 +time=2 +short other.test SOA | grep -q ns.other.test ||
    fail "other.test is not served on 127.0.0.2:$P"

# the resolver: knows both zones' SOA and where their MNAMEs are
sed 's/127\.0\.0\.1/127.0.0.2/' "$IT_DIR/other.zone" >"$IT_DIR/other-res.zone"
# (always BIND: it stands for the resolvers of the world)
SRV_ZONE=example.test RC_SERVER=bind \
    NAMED_CONF_EXTRA="zone \"other.test\" { type primary; file \"$IT_DIR/other-res.zone\"; };" \
    start_server
R=$SRV_PORT
SRV_ZONE=example.test SRV_PORT=$P SRV_KIND=${RC_SERVER:-bind}
export SRV_ZONE SRV_PORT SRV_KIND

cat >"$IT_DIR/c.conf" <<EOF
port = $P;
key_file = "$K";
zones = [ "example.test", "other.test" ];
grace = 0;
poll = 1;
resolver = "127.0.0.1";
resolver_port = $R;
aliases = (
  { name = "mx.other.test"; targets = [ "www.example.test" ]; },
  { name = "w2.example.test"; targets = [ "web.other.test" ]; }
);
EOF

assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
assert_contains "$RUN_ERR" "primary of example.test.: ns1.example.test. (127.0.0.1#$P)"
assert_contains "$RUN_ERR" "primary of other.test.: ns.other.test. (127.0.0.2#$P)"
assert_eq "198.51.100.20" "$(qdig +short w2.example.test A)" "alias in zone 1"
on2() { dig -p "$P2" @127.0.0.1 +tries=1 +time=2 +short "$@"; }
assert_eq "192.0.2.80" "$(on2 mx.other.test A)" "alias in zone 2 (A)"
assert_eq "2001:db8::80" "$(on2 mx.other.test AAAA)" "alias in zone 2 (AAAA)"
# converged: a second pass changes nothing
assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
assert_not_contains "$RUN_ERR" "alias mx.other.test"

# the daemon follows a change in either zone, each on its own primary
"$C" -c "$IT_DIR/c.conf" >"$IT_DIR/coord.log" 2>&1 &
CPID=$!
it_on_exit "kill $CPID 2>/dev/null"
nsupd -k "$K" <<EON
update delete www.example.test. A
update add www.example.test. 300 IN A 192.0.2.81
send
EON
is() { [ "$("$@" | tr '\n' ' ')" = "$X" ]; }
X="192.0.2.81 " wait_until 10 is on2 mx.other.test A ||
    fail "mx.other.test did not follow: $(on2 mx.other.test A); $(cat "$IT_DIR/coord.log")"
SRV_PORT=$P2 SRV_ZONE=other.test nsupd -k "$K" <<EON
update delete web.other.test. A
update add web.other.test. 300 IN A 198.51.100.21
send
EON
X="198.51.100.21 " wait_until 10 is qdig +short w2.example.test A ||
    fail "w2.example.test did not follow: $(qdig +short w2.example.test A)"
assert_not_contains "$(cat "$IT_DIR/coord.log")" "NOTAUTH"
kill -TERM "$CPID"
rc=0; wait "$CPID" || rc=$?
assert_eq 0 "$rc" "exit status on SIGTERM"

# a server configured: every zone goes to it (here the wrong one for
# other.test, which it does not serve)
sed -i "1i server = \"127.0.0.1\";" "$IT_DIR/c.conf"
run "$C" -c "$IT_DIR/c.conf" --once
[ "$RUN_RC" -ne 0 ] || fail "other.test read from a server that lacks it"
assert_contains "$RUN_ERR" "other.test"
assert_not_contains "$RUN_ERR" "primary of"
