# shellcheck shell=bash
# servers.sh - the DNS servers the integration tests run against: BIND 9
# (named), Knot DNS (knotd) and PowerDNS Authoritative (pdns_server with the
# gsqlite3 backend).  Sourced by lib.sh; not run.
#
# RC_SERVER selects the server start_server starts: bind (the default), knot
# or pdns.  Every test runs unchanged against each (tests.cmake registers
# it.bind.NAME, it.knot.NAME and it.pdns.NAME); where the servers really
# differ, a test asks $SRV_KIND and pins each server's answer.
#
# Every server listens on 127.0.0.1 only, on a port from freeport, with no
# recursion, no forwarders and no root hints, and sends NOTIFY only to ports
# a test names (SRV_NOTIFY); PowerDNS runs with security-poll-suffix= empty
# so that it looks nothing up at start.  No packet leaves the machine.
#
# start_server makes six keys, rc-md5 ... rc-sha512, each allowed to update
# anything in the zone; AXFR needs rc-sha256.  Keys made with add_key before
# start_server are known to the server but granted nothing, unless SRV_GRANTS
# grants them something.
#
# Settings read by start_server (all optional):
#   RC_SERVER        bind | knot | pdns
#   SRV_ZONE         the zone (example.test)
#   SRV_NOTIFY       ports on 127.0.0.1 to send NOTIFY to, at once on change
#   SRV_GRANTS       least-privilege rules, one a line: "KEY NAME TYPE..."
#                    (BIND: one grant each; Knot: one ACL per key covering all
#                    its names and types together; PowerDNS: the shipped Lua
#                    policy script, packaging/pdns/, with these rules)
#   SRV_DNSSEC=1     sign the zone (BIND dnssec-policy + inline-signing, Knot
#                    dnssec-signing, PowerDNS secure-zone), NSEC, the
#                    servers' default keys (ECDSAP256SHA256)
#   SRV_DNSSEC=nsec3 the same with NSEC3: no salt, 0 extra iterations, no
#                    opt-out (RFC 9276)
#   SRV_PRIMARY_PORT serve the zone as a secondary of 127.0.0.1#PORT
#                    (bind or knot; IXFR/AXFR with rc-sha256, NOTIFY from it)
#   SRV_FORWARD=1    a secondary forwards updates to its primary (Knot:
#                    without it the secondary has no update ACL at all)
#   SRV_PORT_FIXED   listen on this port (from freeport), e.g. one a primary
#                    already sends NOTIFY to
#   NAMED_POLICY_EXTRA, NAMED_ZONE_EXTRA, NAMED_OPTIONS_EXTRA,
#   NAMED_CONF_EXTRA, NAMED_ALLOW_TRANSFER   raw named.conf text (bind only)
#   SRV_START_TIMEOUT  seconds to wait for the server to answer (20)
# Exported: SRV_KIND SRV_PORT SRV_DIR SRV_LOG SRV_PID SRV_ZONEFILE SRV_CONF

# start_server [ZONE_TEMPLATE]: start the server in the foreground on a free
# loopback port and wait until it serves the zone.  ZONE_TEMPLATE replaces
# the built-in example.test zone; "@ZONE@" in it becomes $SRV_ZONE.  A port
# taken between freeport and the server's bind is detected and the server
# is started again on another port.
start_server() {
	local template=${1:-} k try
	[ -n "${IT_DIR:-}" ] || fail "start_server before it_setup"
	SRV_KIND=${RC_SERVER:-bind}
	case $SRV_KIND in
	bind) require_cmd named tsig-keygen dig ;;
	knot) require_cmd knotd knotc tsig-keygen dig ;;
	pdns) require_cmd pdns_server pdnsutil sqlite3 tsig-keygen dig
	      [ -f "$_srv_pdns_schema" ] || skip "$_srv_pdns_schema not found (apt-get install pdns-backend-sqlite3)" ;;
	*) fail "RC_SERVER=$SRV_KIND: not bind, knot or pdns" ;;
	esac
	for k in $IT_ALGS; do
		[ -f "$KEYDIR/rc-${k#hmac-}.key" ] || add_key "rc-${k#hmac-}" "$k"
	done

	_srv_n=$((${_srv_n:-0} + 1))
	SRV_DIR=$IT_DIR/$SRV_KIND.$_srv_n
	SRV_LOG=$SRV_DIR/$SRV_KIND.log
	SRV_ZONEFILE=$SRV_DIR/$SRV_ZONE.zone
	mkdir "$SRV_DIR"
	if [ -n "${SRV_PRIMARY_PORT:-}" ]; then
		[ "$SRV_KIND" != pdns ] || fail "start_server: SRV_PRIMARY_PORT is for bind or knot"
	elif [ -n "$template" ]; then
		sed "s/@ZONE@/$SRV_ZONE/g" "$template" >"$SRV_ZONEFILE" ||
		    fail "cannot read zone template $template"
	else
		_it_default_zone >"$SRV_ZONEFILE"
	fi
	export SRV_KIND SRV_DIR SRV_LOG SRV_ZONEFILE

	for try in 1 2 3 4 5; do
		SRV_PORT=${SRV_PORT_FIXED:-$("$FREEPORT")} || fail "freeport failed"
		export SRV_PORT
		"_srv_${SRV_KIND}_prepare"
		declare -p SRV_CMD >"$SRV_DIR/cmd"	# for restart_server
		if _srv_launch; then
			note "$SRV_KIND up on 127.0.0.1:$SRV_PORT (pid $SRV_PID, try $try)"
			return 0
		fi
		[ -z "${SRV_PORT_FIXED:-}" ] || fail "port $SRV_PORT_FIXED taken"
		note "port $SRV_PORT taken, retrying on another"
	done
	fail "$SRV_KIND could not bind a free port in 5 tries"
}

# stop_server: stop the current server (SIGTERM, waits); its data stays.
stop_server() {
	[ -n "${SRV_PID:-}" ] || return 0
	_it_kill "$SRV_PID"
	SRV_PID=
}

# restart_server: stop and start the current server again, same port and
# data; the old log goes to $SRV_LOG.before-restart.  To restart another
# than the last started, set SRV_DIR, SRV_LOG, SRV_PORT, SRV_PID and
# SRV_KIND to its values.
restart_server() {
	stop_server
	cat "$SRV_LOG" >>"$SRV_LOG.before-restart"
	. "$SRV_DIR/cmd"
	_srv_launch || fail "$SRV_KIND could not restart: port $SRV_PORT taken"
	note "$SRV_KIND restarted on 127.0.0.1:$SRV_PORT (pid $SRV_PID)"
}

# server_version: one line naming the server under test and its version.
server_version() {
	case ${SRV_KIND:-${RC_SERVER:-bind}} in
	bind) named -v ;;
	knot) knotd -V ;;
	pdns) pdns_server --version 2>&1 | sed -n 's/.*\(PowerDNS Authoritative Server [^ ]*\).*/\1/p' | head -n 1 ;;
	esac
}

# server_log [LINES]: print the server's log (last LINES lines).
server_log() {
	if [ -n "${1:-}" ]; then tail -n "$1" "$SRV_LOG"; else cat "$SRV_LOG"; fi
}

_it_default_zone() {
	cat <<'EOF'
$ORIGIN example.test.
$TTL 300
@	IN SOA	ns1.example.test. hostmaster.example.test. (
		1       ; serial
		3600    ; refresh
		600     ; retry
		86400   ; expire
		60 )    ; negative TTL
	IN NS	ns1.example.test.
	IN MX	10 mail.example.test.
	IN TXT	"v=spf1 -all"
ns1	IN A	127.0.0.1
mail	IN A	192.0.2.25
www	IN A	192.0.2.80
www	IN AAAA	2001:db8::80
alias	IN CNAME www.example.test.
srv	300 IN A 192.0.2.1
EOF
}

# _srv_keys: "NAME ALGORITHM SECRET" for every key in $KEYDIR.
_srv_keys() {
	local f
	for f in "$KEYDIR"/*.key; do
		[ -f "$f" ] || continue
		key_fields "$f"
	done
}

# _srv_grant_keys: the keys SRV_GRANTS names, each once.
_srv_grant_keys() {
	[ -n "${SRV_GRANTS:-}" ] || return 0
	awk 'NF { print $1 }' <<<"$SRV_GRANTS" | sort -u
}

# _srv_launch: start the prepared server ($SRV_CMD) and wait until it
# serves the zone.  0 with SRV_PID set, or 1 when the port was taken; fails
# on anything else, with the log.
_srv_launch() {
	local deadline pid id soa
	: >"$SRV_LOG"
	"${SRV_CMD[@]}" </dev/null >>"$SRV_LOG" 2>&1 &
	pid=$!
	deadline=$(( $(_it_now_us) + ${SRV_START_TIMEOUT:-${NAMED_START_TIMEOUT:-20}} * 1000000 ))
	while :; do
		if grep -qi 'address.* in use' "$SRV_LOG"; then
			_it_kill "$pid"
			return 1
		fi
		if ! _it_alive "$pid"; then
			cat "$SRV_LOG" >&2
			fail "$SRV_KIND exited during start-up (log above)"
		fi
		if grep -q 'not loaded due to errors' "$SRV_LOG"; then
			cat "$SRV_LOG" >&2
			fail "$SRV_KIND did not load $SRV_ZONE (log above)"
		fi
		# Our server, not another one sharing the port: its id is our dir.
		id=$(dig +short +tries=1 +time=1 -p "$SRV_PORT" @127.0.0.1 \
		    id.server CH TXT 2>/dev/null || true)
		if [ "$id" = "\"$SRV_DIR\"" ]; then
			soa=$(dig +tries=1 +time=1 +dnssec +norec -p "$SRV_PORT" @127.0.0.1 \
			    "$SRV_ZONE" SOA 2>/dev/null || true)
			if [[ $soa == *"status: NOERROR"* && $soa == *"IN	SOA"* ]] &&
			    { [ "${SRV_DNSSEC:-0}" = 0 ] || [[ $soa == *"RRSIG	SOA"* ]]; }; then
				SRV_PID=$pid
				export SRV_PID
				return 0
			fi
		fi
		if [ "$(_it_now_us)" -gt "$deadline" ]; then
			cat "$SRV_LOG" >&2
			_it_kill "$pid"
			fail "$SRV_KIND did not serve $SRV_ZONE on port $SRV_PORT within ${SRV_START_TIMEOUT:-20}s (log above)"
		fi
		sleep 0.02
	done
}

# ---------------------------------------------------------------------------
# BIND 9

_srv_bind_prepare() {
	SRV_CONF=$SRV_DIR/named.conf
	export SRV_CONF
	_srv_bind_conf >"$SRV_CONF"
	SRV_CMD=(named -4 -g -c "$SRV_CONF")
}

_srv_bind_conf() {
	local k grants='' notify='notify no;' zone key name types p policy=''
	for k in "$KEYDIR"/*.key; do
		printf 'include "%s";\n' "$k"
	done
	for k in $IT_KEYS; do
		grants+="grant $k zonesub ANY; "
	done
	while read -r key name types; do
		[ -n "$key" ] || continue
		grants+="grant $key name ${name%.}. $types; "
	done <<<"${SRV_GRANTS:-}"
	if [ -n "${SRV_NOTIFY:-}" ]; then
		notify='notify explicit; notify-delay 0; also-notify {'
		for p in $SRV_NOTIFY; do notify+=" 127.0.0.1 port $p;"; done
		notify+=' };'
	fi
	if [ -n "${SRV_PRIMARY_PORT:-}" ]; then
		zone="type secondary;
	file \"$SRV_ZONEFILE\";
	primaries { 127.0.0.1 port $SRV_PRIMARY_PORT key rc-sha256; };"
		[ "${SRV_FORWARD:-0}" != 1 ] || zone+="
	allow-update-forwarding { any; };"
	else
		zone="type primary;
	file \"$SRV_ZONEFILE\";
	update-policy { $grants${NAMED_POLICY_EXTRA:-} };"
	fi
	case ${SRV_DNSSEC:-0} in
	0) ;;
	1) policy=default ;;
	nsec3) policy=rc-nsec3 ;;
	*) fail "SRV_DNSSEC=$SRV_DNSSEC: not 0, 1 or nsec3" ;;
	esac
	if [ -n "$policy" ]; then
		zone+="
	dnssec-policy $policy;
	inline-signing yes;
	key-directory \"$SRV_DIR\";"
	fi
	cat <<EOF
options {
	directory "$SRV_DIR";
	pid-file "$SRV_DIR/named.pid";
	session-keyfile "$SRV_DIR/session.key";
	managed-keys-directory "$SRV_DIR";
	dump-file "$SRV_DIR/cache.dump";
	statistics-file "$SRV_DIR/named.stats";
	listen-on port $SRV_PORT { 127.0.0.1; };
	listen-on-v6 { none; };
	reuseport no;
	query-source address 127.0.0.1;
	notify-source 127.0.0.1;
	transfer-source 127.0.0.1;
	recursion no;
	dnssec-validation no;
	server-id "$SRV_DIR";
	${NAMED_OPTIONS_EXTRA:-}
};
controls { };
zone "$SRV_ZONE" {
	$zone
	$notify
	allow-transfer { ${NAMED_ALLOW_TRANSFER:-key rc-sha256;} };
	${NAMED_ZONE_EXTRA:-}
};
${NAMED_CONF_EXTRA:-}
EOF
	if [ "$policy" = rc-nsec3 ]; then
		echo 'dnssec-policy rc-nsec3 { nsec3param iterations 0 optout no salt-length 0; };'
	fi
}

# ---------------------------------------------------------------------------
# Knot DNS

_srv_knot_prepare() {
	SRV_CONF=$SRV_DIR/knot.conf
	export SRV_CONF
	_srv_knot_conf >"$SRV_CONF"
	SRV_CMD=(knotd -c "$SRV_CONF")
}

_srv_knot_conf() {
	local name alg secret key names types n=0 acls p remotes=''
	cat <<EOF
server:
    rundir: "$SRV_DIR"
    identity: "$SRV_DIR"
    listen: 127.0.0.1@$SRV_PORT
    udp-workers: 2
    tcp-workers: 2
    background-workers: 2
database:
    storage: "$SRV_DIR"
log:
  - target: stdout
    any: info
key:
EOF
	while read -r name alg secret; do
		printf '  - id: %s\n    algorithm: %s\n    secret: %s\n' "$name" "$alg" "$secret"
	done < <(_srv_keys)
	cat <<EOF
acl:
  - id: rc_update
    key: [ ${IT_KEYS// /, } ]
    action: update
  - id: rc_transfer
    key: rc-sha256
    action: transfer
  - id: rc_notify
    address: 127.0.0.1
    action: notify
EOF
	acls='rc_update, rc_transfer'
	# Knot checks an UPDATE against one rule: a key's rule covers all of
	# its names and types together.
	for key in $(_srv_grant_keys); do
		names=$(awk -v k="$key" '$1 == k { n = $2; sub(/\.$/, "", n); print n "." }' <<<"$SRV_GRANTS" | sort -u | paste -sd, -)
		types=$(awk -v k="$key" '$1 == k { for (i = 3; i <= NF; i++) print $i }' <<<"$SRV_GRANTS" | sort -u | paste -sd, -)
		n=$((n + 1))
		printf '  - id: grant%d\n    key: %s\n    action: update\n' "$n" "$key"
		printf '    update-owner: name\n    update-owner-match: equal\n'
		printf '    update-owner-name: [ %s ]\n    update-type: [ %s ]\n' "${names//,/, }" "${types//,/, }"
		acls+=", grant$n"
	done
	if [ -n "${SRV_NOTIFY:-}${SRV_PRIMARY_PORT:-}" ]; then
		echo "remote:"
		for p in ${SRV_NOTIFY:-}; do
			printf '  - id: notify%s\n    address: 127.0.0.1@%s\n' "$p" "$p"
			remotes+="${remotes:+, }notify$p"
		done
		if [ -n "${SRV_PRIMARY_PORT:-}" ]; then
			printf '  - id: primary\n    address: 127.0.0.1@%s\n    key: rc-sha256\n' "$SRV_PRIMARY_PORT"
		fi
	fi
	if [ "${SRV_DNSSEC:-0}" = nsec3 ]; then
		printf 'policy:\n  - id: rc_nsec3\n    nsec3: on\n'
		printf '    nsec3-iterations: 0\n    nsec3-salt-length: 0\n'
	fi
	cat <<EOF
template:
  - id: default
    storage: "$SRV_DIR"
    zonefile-sync: -1
    journal-content: changes
    semantic-checks: on
zone:
  - domain: $SRV_ZONE
    file: "$SRV_ZONEFILE"
EOF
	[ -z "$remotes" ] || printf '    notify: [ %s ]\n' "$remotes"
	if [ -n "${SRV_PRIMARY_PORT:-}" ]; then
		# a Knot secondary forwards the updates its ACL allows
		[ "${SRV_FORWARD:-0}" = 1 ] || acls=${acls/rc_update, /}
		acls+=", rc_notify"
		printf '    master: primary\n'
	fi
	printf '    acl: [ %s ]\n' "$acls"
	case ${SRV_DNSSEC:-0} in
	0) ;;
	1) printf '    dnssec-signing: on\n' ;;
	nsec3) printf '    dnssec-signing: on\n    dnssec-policy: rc_nsec3\n' ;;
	*) fail "SRV_DNSSEC=$SRV_DNSSEC: not 0, 1 or nsec3" ;;
	esac
}

# ---------------------------------------------------------------------------
# PowerDNS Authoritative, gsqlite3 backend

_srv_pdns_schema=/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
# The least-privilege policy script rollcall ships for PowerDNS.
_srv_pdns_policy=$SRCDIR/packaging/pdns/rollcall-dnsupdate-policy.lua

# pdnsutil_srv ARGS...: pdnsutil on the current PowerDNS's database.
pdnsutil_srv() {
	pdnsutil --config-dir="$SRV_DIR" "$@"
}

_srv_pdns_prepare() {
	local name alg secret keys
	SRV_CONF=$SRV_DIR/pdns.conf
	export SRV_CONF
	_srv_pdns_conf >"$SRV_CONF"
	# the backend keeps keys and NSEC order only with its DNSSEC flag on
	[ "${SRV_DNSSEC:-0}" = 0 ] || echo 'gsqlite3-dnssec=yes' >>"$SRV_CONF"
	SRV_CMD=(env ROLLCALL_PDNS_POLICY="$SRV_DIR/rollcall-dnsupdate-policy.conf"
	    pdns_server --config-dir="$SRV_DIR" --guardian=no --daemon=no
	    --disable-syslog --write-pid=no)
	[ ! -f "$SRV_DIR/pdns.sqlite3" ] || return 0	# a port retry
	sqlite3 "$SRV_DIR/pdns.sqlite3" <"$_srv_pdns_schema" ||
	    fail "cannot create the PowerDNS database"
	{
		pdnsutil_srv load-zone "$SRV_ZONE" "$SRV_ZONEFILE"
		while read -r name alg secret; do
			pdnsutil_srv import-tsig-key "$name" "$alg" "$secret"
		done < <(_srv_keys)
		keys=$IT_KEYS
		[ -z "${SRV_GRANTS:-}" ] || keys+=" $(_srv_grant_keys | paste -sd' ' -)"
		# shellcheck disable=SC2086
		pdnsutil_srv set-meta "$SRV_ZONE" TSIG-ALLOW-DNSUPDATE $keys
		pdnsutil_srv set-meta "$SRV_ZONE" TSIG-ALLOW-AXFR rc-sha256
		pdnsutil_srv set-meta "$SRV_ZONE" SOA-EDIT-DNSUPDATE INCREASE
		if [ -n "${SRV_NOTIFY:-}" ]; then
			# NOTIFY after every update, not at the next check
			pdnsutil_srv set-kind "$SRV_ZONE" master
			pdnsutil_srv set-meta "$SRV_ZONE" NOTIFY-DNSUPDATE 1
		fi
		case ${SRV_DNSSEC:-0} in
		0) ;;
		1) pdnsutil_srv secure-zone "$SRV_ZONE" &&
		    pdnsutil_srv rectify-zone "$SRV_ZONE" ;;
		nsec3) pdnsutil_srv secure-zone "$SRV_ZONE" &&
		    pdnsutil_srv set-nsec3 "$SRV_ZONE" '1 0 0 -' &&
		    pdnsutil_srv rectify-zone "$SRV_ZONE" ;;
		*) echo "SRV_DNSSEC=$SRV_DNSSEC: not 0, 1 or nsec3"; false ;;
		esac
	} >>"$SRV_DIR/pdnsutil.log" 2>&1 ||
	    fail "pdnsutil failed: $(cat "$SRV_DIR/pdnsutil.log")"
	if [ -n "${SRV_GRANTS:-}" ]; then
		cp "$_srv_pdns_policy" "$SRV_DIR/" ||
		    fail "cannot copy $_srv_pdns_policy"
		_srv_pdns_rules >"$SRV_DIR/rollcall-dnsupdate-policy.conf"
	fi
}

# _srv_pdns_rules: the policy script's rules file: the rc-* keys may change
# anything in the zone, SRV_GRANTS the rest.
_srv_pdns_rules() {
	local k key name types
	for k in $IT_KEYS; do printf 'grant %s subdomain %s. ANY\n' "$k" "$SRV_ZONE"; done
	while read -r key name types; do
		[ -n "$key" ] || continue
		printf 'grant %s name %s. %s\n' "$key" "${name%.}" "$types"
	done <<<"${SRV_GRANTS:-}"
}

_srv_pdns_conf() {
	local p notify=''
	for p in ${SRV_NOTIFY:-}; do notify+="${notify:+,}127.0.0.1:$p"; done
	cat <<EOF
launch=gsqlite3
gsqlite3-database=$SRV_DIR/pdns.sqlite3
local-address=127.0.0.1
local-port=$SRV_PORT
socket-dir=$SRV_DIR
server-id=$SRV_DIR
security-poll-suffix=
dnsupdate=yes
allow-dnsupdate-from=127.0.0.0/8
disable-axfr=no
allow-axfr-ips=
webserver=no
api=no
loglevel=4
EOF
	if [ -n "$notify" ]; then
		printf 'primary=yes\nalso-notify=%s\nonly-notify=127.0.0.1/32\n' "$notify"
	fi
	if [ -n "${SRV_GRANTS:-}" ]; then
		printf 'lua-dnsupdate-policy-script=%s\n' "$SRV_DIR/rollcall-dnsupdate-policy.lua"
	fi
}
