#!/usr/bin/env bash
# `status --json` of both programs: one JSON document on stdout with the
# facts the tables show (checked with python3's json module), the same
# exit codes as the tables, and tables whose columns line up.
# requires: nsupdate python3
. "$(dirname "$0")/lib.sh"
it_setup status_json
start_server
A=$ROLLCALL_AGENT C=$ROLLCALL_COORDINATOR P=srv.example.test

# jq-like: run python code on the JSON document in $1 (as d); prints what
# the code prints, fails when the document does not parse
pyj() {
	python3 -c "import json,sys; d=json.loads(sys.argv[1]); $2" "$1" ||
	    fail "python3 on the JSON: $2
--- document ---
$1"
}

agent_conf "$IT_DIR/h1.conf" host1 192.0.2.11 2001:db8::11
agent_conf "$IT_DIR/h2.conf" host2 192.0.2.12
assert_status 0 "$A" -c "$IT_DIR/h1.conf" register

# failures first: --json only goes with status
assert_status 1 "$A" -c "$IT_DIR/h1.conf" --json heartbeat
assert_contains "$RUN_ERR" "--json goes with status"
coord_conf "$IT_DIR/c.conf"
assert_status 1 "$C" -c "$IT_DIR/c.conf" --json
assert_contains "$RUN_ERR" "--json goes with status"
# a host that is not registered: exit 4, and the document says why
assert_status 4 "$A" -c "$IT_DIR/h2.conf" --json status
assert_eq "host2 none False None" "$(pyj "$RUN_OUT" 'p=d["pools"][0]; print(d["host_id"], p["registration"], p["ok"], p["error"])')"
assert_eq "False" "$(pyj "$RUN_OUT" 'print(d["ok"])')"
# a pool whose zone cannot be found: an entry with the error, exit 3
cat >"$IT_DIR/h3.conf" <<EOF
server = "127.0.0.1";
port = $SRV_PORT;
key_file = "$KEYDIR/rc-sha256.key";
host_id = "host1";
pools = ( { name = "$P"; addresses = [ "192.0.2.11", "2001:db8::11" ]; },
          { name = "srv.other.test"; addresses = [ "192.0.2.11" ]; } );
EOF
run "$A" -c "$IT_DIR/h3.conf" --json status
[ "$RUN_RC" != 0 ] || fail "a pool not found passed for ok"
assert_eq "True srv.other.test. False" "$(pyj "$RUN_OUT" 'p=d["pools"]; print(p[0]["ok"], p[1]["pool"], p[1]["ok"])')"
assert_eq "True" "$(pyj "$RUN_OUT" 'print(len(d["pools"][1]["error"]) > 0)')"

# the registered host: every fact of the table
nsupd -k "$KEYDIR/rc-sha256.key" <<EOF
update add $P. 60 IN A 192.0.2.23
send
EOF
assert_status 0 "$A" -c "$IT_DIR/h1.conf" --json status
doc=$RUN_OUT
assert_eq "host1 True" "$(pyj "$doc" 'print(d["host_id"], d["ok"])')"
assert_eq "$P. example.test. fresh 180 True" "$(pyj "$doc" 'p=d["pools"][0]; print(p["pool"], p["zone"], p["registration"], p["lease"], 0 <= p["age"] < 60)')"
assert_eq "192.0.2.11:True 2001:db8::11:True" "$(pyj "$doc" 'print(" ".join("%s:%s" % (a["address"], a["published"]) for a in d["pools"][0]["addresses"]))')"
assert_eq "192.0.2.1 192.0.2.23" "$(pyj "$doc" 'print(" ".join(d["pools"][0]["other_members"]))')" "other_members, sorted"
assert_eq "127.0.0.1#$SRV_PORT" "$(pyj "$doc" 'print(d["pools"][0]["server"])')"
# one document, nothing else on stdout
assert_eq 1 "$(printf '%s\n' "$doc" | wc -l)" "one line of JSON"
# the table says the same, aligned
assert_status 0 "$A" -c "$IT_DIR/h1.conf" status
tab=$RUN_OUT
assert_contains "$tab" "192.0.2.11 (published)"
assert_contains "$tab" "2001:db8::11 (published)"
assert_contains "$tab" "fresh: heartbeat"
assert_contains "$tab" "other members  192.0.2.1 192.0.2.23"
# the values start in one column (after "  other members  ")
while IFS= read -r line; do
	[ "${line:15:2}" = "  " ] && [ "${line:17:1}" != " " ] ||
	    fail "agent table: value not in column 18: '$line'"
done < <(tail -n +2 <<<"$tab")

# --- the coordinator ----------------------------------------------------------
assert_status 0 "$A" -c "$IT_DIR/h2.conf" register
stale_host dead1 $P 1000 60 192.0.2.31
stale_host held1 mm.example.test 1000 60 192.0.2.41
# an unreadable registration whose text needs escaping: quotes, a
# backslash, a byte that is not UTF-8
nsupd -k "$KEYDIR/rc-sha256.key" <<'EOF'
update add junk._rollcall.srv.example.test. 60 IN TXT "v=rc1 \"quoted\" back\\slash \255"
send
EOF
DEAD_RES=$("$FREEPORT")
coord_conf "$IT_DIR/c.conf" \
    "resolver = \"127.0.0.1\"; resolver_port = $DEAD_RES;" \
    'pools = ( { name = "mm.example.test"; min_members = 1; } );' \
    'aliases = ( { name = "mx1.example.test"; targets = [ "www.example.test" ]; },' \
    '            { name = "ext.example.test"; targets = [ "www.nowhere.invalid" ]; } );'
assert_status 0 "$C" -c "$IT_DIR/c.conf" --json status
doc=$RUN_OUT
assert_eq 1 "$(printf '%s\n' "$doc" | wc -l)" "one line of JSON"
# expired counts the held back too, as STATUS and the metrics do
assert_eq "2 2 2 1 1 2" "$(pyj "$doc" 's=d["summary"]; print(s["pools"], s["live"], s["expired"], s["held_back"], s["unreadable"], s["actions"])')"
assert_eq "0 1 1 0" "$(pyj "$doc" 'a=d["summary"]["aliases"]; print(a["in_sync"], a["out_of_sync"], a["target_unresolved"], a["target_missing"])')"
hosts='p={x["name"]: x for x in d["pools"]}["srv.example.test."]; h={x["host"]: x for x in p["hosts"]}'
assert_eq "live live expired unreadable" "$(pyj "$doc" "$hosts"'; print(h["host1"]["state"], h["host2"]["state"], h["dead1"]["state"], h["junk"]["state"])')"
assert_eq "192.0.2.31:deleted 60 True" "$(pyj "$doc" "$hosts"'; x=h["dead1"]; print(" ".join("%s:%s" % (a["address"], a["fate"]) for a in x["addresses"]), x["lease"], x["age"] >= 1000)')"
assert_eq "None None True" "$(pyj "$doc" "$hosts"'; x=h["junk"]; print(x["heartbeat"], x["lease"], len(x["why"]) > 0)')"
assert_eq "example.test. 6 192.0.2.1 192.0.2.23" "$(pyj "$doc" 'p={x["name"]: x for x in d["pools"]}["srv.example.test."]; print(p["zone"], p["addresses"], " ".join(p["static"]))')"
assert_eq "held_back 1" "$(pyj "$doc" 'p={x["name"]: x for x in d["pools"]}["mm.example.test."]; print(p["hosts"][0]["state"], p["min_members"])')"
assert_eq "out_of_sync True" "$(pyj "$doc" 'a={x["name"]: x for x in d["aliases"]}["mx1.example.test."]; print(a["state"], "update add mx1.example.test." in a["update"])')"
assert_eq "target_unresolved None True" "$(pyj "$doc" 'a={x["name"]: x for x in d["aliases"]}["ext.example.test."]; print(a["state"], a["update"], "www.nowhere.invalid" in a["why"])')"
# the junk text survives the trip: quotes and backslash as they were
raw=$(qdig +short junk._rollcall.$P TXT)
why=$(pyj "$doc" "$hosts"'; print(h["junk"]["why"])')
note "unreadable registration $raw: $why"

# the table: the same states; columns line up within each pool
assert_status 0 "$C" -c "$IT_DIR/c.conf" status
tab=$RUN_OUT
assert_contains "$tab" "pool srv.example.test. (zone example.test.): 6 address(es), min_members 1"
assert_contains "$tab" "EXPIRED: deleted next pass"
assert_contains "$tab" "EXPIRED: held back (min_members)"
assert_contains "$tab" "UNREADABLE"
assert_contains "$tab" "mx1.example.test.  OUT OF SYNC"
assert_contains "$tab" "left as is"
# in the srv pool's rows, HEARTBEAT, LEASE and STATE start where their
# headings do
hdr=$(awk '/^pool srv/ { f = 1; next } f && /^  HOST / { print; exit }' <<<"$tab")
for h in HEARTBEAT STATE ADDRESSES; do
	col=$(awk -v h="$h" '{ print index($0, h) }' <<<"$hdr")
	for host in host1 dead1 junk; do
		line=$(grep -m1 "^  $host " <<<"$tab")
		[ "${line:$((col - 2)):1}" = " " ] && [ "${line:$((col - 1)):1}" != " " ] ||
		    fail "column $h (at $col) of $host does not line up:
$hdr
$line"
	done
done
# status changed nothing: it is the same again
assert_status 0 "$C" -c "$IT_DIR/c.conf" --json status
assert_eq "$(pyj "$doc" 'print(d["summary"])')" "$(pyj "$RUN_OUT" 'print(d["summary"])')" "status is read-only"

# --- failures after the fact --------------------------------------------------
# two TXT records at one registration name (two hosts with one host_id):
# the agent says unreadable, as the coordinator does, and is not ok
nsupd -k "$KEYDIR/rc-sha256.key" <<EOF2
update add host2._rollcall.$P. 60 IN TXT "v=rc1 t=$(date +%s) lease=180 a=192.0.2.99"
send
EOF2
assert_eq 2 "$(qdig +short host2._rollcall.$P TXT | wc -l)" "two TXT records"
run "$A" -c "$IT_DIR/h2.conf" --json status
[ "$RUN_RC" != 0 ] || fail "two TXT records passed for ok"
assert_eq "unreadable False True" "$(pyj "$RUN_OUT" 'p=d["pools"][0]; print(p["registration"], p["ok"], "2 TXT records at one registration name" in p["why"])')"
run "$A" -c "$IT_DIR/h2.conf" status
[ "$RUN_RC" != 0 ] || fail "two TXT records passed for ok (table)"
assert_contains "$RUN_OUT" "unreadable: 2 TXT records at one registration name"
assert_status 0 "$C" -c "$IT_DIR/c.conf" --json status
assert_eq "unreadable" "$(pyj "$RUN_OUT" 'p={x["name"]: x for x in d["pools"]}["srv.example.test."]; print({x["host"]: x for x in p["hosts"]}["host2"]["state"])')"

# a zone that cannot be read: still one JSON document, ok false, exit 2;
# a config error stays on stderr (exit 1)
stop_server
assert_status 2 "$C" -c "$IT_DIR/c.conf" --json status
assert_eq 1 "$(printf '%s\n' "$RUN_OUT" | wc -l)" "one line of JSON"
assert_eq "False True True" "$(pyj "$RUN_OUT" 'print(d["ok"], "example.test" in d["error"], d["time"] > 0)')"
assert_contains "$RUN_ERR" "example.test"
printf 'zones = 3;\n' >"$IT_DIR/bad.conf"
assert_status 1 "$C" -c "$IT_DIR/bad.conf" --json status
assert_eq "" "$RUN_OUT" "nothing on stdout for a config error"
