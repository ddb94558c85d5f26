#!/usr/bin/env bash
# Failure cases first (STYLE.md): a wrong secret, a wrong algorithm, an
# unknown key, a key the policy refuses, a forged or unsigned answer, an
# unreachable server and bad config each give a clear one-line error, the
# documented exit code, and leave the zone exactly as it was.
# requires: nsupdate
. "$(dirname "$0")/lib.sh"
it_setup agent_failures
add_key rc-denied hmac-sha256	# known to the server, granted something else
SRV_GRANTS="rc-denied other.example.test TXT" start_server
A=$ROLLCALL_AGENT

agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11
axfr_snapshot "$IT_DIR/before"

# How each server answers a key it rejects: BIND and Knot NOTAUTH with a
# TSIG error (BADSIG, BADKEY), PowerDNS an unsigned NOTAUTH/REFUSED.
rejected() {
	case $SRV_KIND in
	pdns) assert_contains "$RUN_ERR" "not TSIG-signed" ;;
	*) assert_contains "$RUN_ERR" "$1" ;;
	esac
	assert_contains "$RUN_ERR" "127.0.0.1#$SRV_PORT"
}

# wrong secret
bad=$(key_secret rc-sha256 | tr 'A-Za-z' 'B-ZAb-za')
assert_status 3 "$A" -c "$IT_DIR/h1.conf" -y "hmac-sha256:rc-sha256:$bad" register
rejected BADSIG
# right secret, wrong algorithm for that key name
assert_status 3 "$A" -c "$IT_DIR/h1.conf" -y "hmac-sha512:rc-sha256:$(key_secret rc-sha256)" register
rejected BAD
# a key name the server does not know
assert_status 3 "$A" -c "$IT_DIR/h1.conf" -y "hmac-sha256:nosuchkey:$(key_secret rc-sha256)" register
rejected BADKEY
# a valid key the policy does not grant this update: REFUSED, signed (BIND,
# PowerDNS); Knot answers NOTAUTH with TSIG error BADKEY and an empty MAC
# PowerDNS's policy script drops the records and answers NOERROR: the
# agent reads its registration back and reports it (after -t seconds, as
# a lagging secondary looks the same)
KEY=rc-denied agent_conf "$IT_DIR/denied.conf" host1 192.0.2.11
assert_status 3 "$A" -c "$IT_DIR/denied.conf" -t 2 register
case $SRV_KIND in
knot) assert_contains "$RUN_ERR" "NOTAUTH, BADKEY" ;;
pdns) assert_contains "$RUN_ERR" "answered NOERROR, but after 2 s it still does not show" ;;
*) assert_contains "$RUN_ERR" "REFUSED" ;;
esac

# the server is down: an error within the deadline, not a hang
port=$("$FREEPORT")
t0=$(date +%s)
assert_status 2 "$A" -c "$IT_DIR/h1.conf" -p "$port" -t 3 -u 1 register
assert_contains "$RUN_ERR" "127.0.0.1#$port"
(( $(date +%s) - t0 <= 5 )) || fail "unreachable server took $(( $(date +%s) - t0 )) s with -t 3"
# a server that never answers (a proxy that drops every answer)
start_proxy drop
t0=$(date +%s)
assert_status 2 "$A" -c "$IT_DIR/h1.conf" -p "$PROXY_PORT" -t 2 -u 1 register
assert_contains "$RUN_ERR" "timed out"
(( $(date +%s) - t0 <= 4 )) || fail "silent server took $(( $(date +%s) - t0 )) s with -t 2"

# answers tampered with on the way: forged MAC, TSIG stripped, garbage
for mode in badmac unsigned garbage; do
	start_proxy "$mode"
	run "$A" -c "$IT_DIR/h1.conf" -p "$PROXY_PORT" -t 3 -u 1 -r 0 register
	case $mode in
	badmac) assert_eq 3 "$RUN_RC" "forged MAC exit"; assert_contains "$RUN_ERR" "MAC" ;;
	unsigned) assert_eq 3 "$RUN_RC" "unsigned answer exit"; assert_contains "$RUN_ERR" "not TSIG-signed" ;;
	garbage) [ "$RUN_RC" -ne 0 ] || fail "garbage answer accepted" ;;
	esac
done
# (the reads above were answered before the update was even built, so the
# zone must still be unchanged)

# config errors: exit 1, every error with file:line, nothing sent
cat >"$IT_DIR/bad.conf" <<EOC
server = "127.0.0.1";
port = 99999;
host_id = "not.a.label";
leese = 3;
pools = ( { name = "srv.example.test"; addresses = [ "192.0.2.300" ]; } );
EOC
assert_status 1 "$A" -c "$IT_DIR/bad.conf" register
assert_contains "$RUN_ERR" "bad.conf:2: port"
assert_contains "$RUN_ERR" "bad.conf:3: host_id"
assert_contains "$RUN_ERR" "bad.conf:4: leese: unknown setting"
assert_contains "$RUN_ERR" "bad.conf:5"
assert_status 1 "$A" -c "$IT_DIR/nonexistent.conf" register
assert_status 1 "$A" -c "$IT_DIR/h1.conf" -k "$IT_DIR/nokey" register
assert_status 1 "$A" -c "$IT_DIR/h1.conf" -t 0 register
assert_status 1 "$A" -c "$IT_DIR/h1.conf" bogus
assert_status 1 "$A" -c "$IT_DIR/h1.conf"

axfr_snapshot "$IT_DIR/after"
diff -u "$IT_DIR/before" "$IT_DIR/after" || fail "a failed run changed the zone"
note "all failures left the zone unchanged"
