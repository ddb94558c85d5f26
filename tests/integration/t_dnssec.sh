#!/usr/bin/env bash
# rollcall on a DNSSEC-signed zone: BIND dnssec-policy + inline-signing,
# Knot dnssec-signing, PowerDNS live signing (pdnsutil secure-zone), each
# once with NSEC and once with NSEC3 (SRV_DNSSEC=1, SRV_DNSSEC=nsec3).
# Agents register into a pool (one with IPv6); `rollcall-coordinator
# --once` expires a stale host and syncs an MX alias and an alias of the
# pool; then agents leave until the pool's registration names are all gone.
# After every change, once the signer has caught up (no fixed sleeps):
#   - the pool and alias RRsets are served with RRSIGs;
#   - a TSIG-signed AXFR passes ldns-verify-zone (signatures, validity
#     periods, the NSEC/NSEC3 chain, the DNSKEY RRset against our DS) and
#     dnssec-verify (every RRset signed, chain complete);
#   - delv validates the pool, the aliases, a removed registration's
#     NXDOMAIN and the _rollcall empty non-terminal from a trust anchor made
#     of the server's own key (its DS from BIND's K-file, keymgr or
#     pdnsutil), never from what the server serves.
# rollcall writes an alias as real A/AAAA records, signed like any other
# data: the case PowerDNS's ALIAS cannot serve (unsigned under live
# signing, pdns#10150).  A wrong anchor and a tampered zone copy must fail
# the same checks, so a check that cannot fail is caught.
# servers: bind knot pdns
# requires: nsupdate delv ldns-verify-zone dnssec-verify dnssec-dsfromkey nsec3hash timeout
. "$(dirname "$0")/lib.sh"
it_setup dnssec
case ${RC_SERVER:-bind} in
knot) require_cmd keymgr ;;
pdns) require_cmd pdns_control ;;
esac
A=$ROLLCALL_AGENT C=$ROLLCALL_COORDINATOR P=srv.example.test Z=$SRV_ZONE
K=$KEYDIR/rc-sha256.key

# ---------------------------------------------------------------------------
# The trust anchor

# own_ds: the DS (SHA-256) of the zone's key-signing key(s), from the
# server's key store, as "example.test. 3600 IN DS TAG ALG 2 HEX".
own_ds() {
	case $SRV_KIND in
	bind)	local f
		for f in "$SRV_DIR"/K"$Z".+*.key; do
			grep -q '^[^;]* DNSKEY 257 ' "$f" && dnssec-dsfromkey -2 "$f"
		done ;;
	knot)	keymgr -c "$SRV_CONF" "$Z" ds ;;
	pdns)	pdnsutil_srv export-zone-ds "$Z" ;;
	esac | awk -v z="$Z." '{ sub(/;.*/, "") }
	    { for (i = 2; i < NF; i++) if ($i == "DS") break }
	    $1 == z && $i == "DS" && $(i + 3) == 2 && NF == i + 4 {
		print z, 3600, "IN DS", $(i + 1), $(i + 2), 2, toupper($(i + 4)) }'
}
# anchor_file DSFILE OUT: delv's anchor file, the DS as static-ds
anchor_file() {
	{
		echo "trust-anchors {"
		awk '{ printf "\t\"%s\" static-ds %s %s %s \"%s\";\n", $1, $5, $6, $7, $8 }' "$1"
		echo "};"
	} >"$2"
}

# ---------------------------------------------------------------------------
# What is served

# answer NAME TYPE: the NAME TYPE records as served with DO set, rdata
# sorted one a line, then "RRSIG" when a signature covering TYPE came along.
answer() {
	local out
	out=$(qdig +dnssec +norec +noall +answer "$1" "$2") || return 1
	awk -v t="$2" '$4 == t { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }' <<<"$out" |
	    LC_ALL=C sort
	awk -v t="$2" '$4 == "RRSIG" && $5 == t { print "RRSIG"; exit }' <<<"$out"
}
# signed NAME TYPE RDATA...: NAME TYPE is served as RDATA... with an RRSIG.
signed() {
	local name=$1 type=$2 want
	shift 2
	want=$(printf '%s\n' "$@" | LC_ALL=C sort)$'\nRRSIG'
	[ "$(answer "$name" "$type")" = "$want" ]
}
# wait_signed NAME TYPE RDATA...: wait until `signed` (the signer may lag
# the update: BIND signs its inline-signed copy asynchronously); fail
# showing what is served instead.  Counts the waits that needed more than
# the first look in LAGGED.
LAGGED=0
wait_signed() {
	signed "$@" && return 0
	LAGGED=$((LAGGED + 1))
	wait_until 10 signed "$@" ||
	    fail "$1 $2: expected {${*:3}} with an RRSIG, served:
$(qdig +dnssec +norec "$1" "$2")"
}
# wait_gone NAME: wait until NAME is NXDOMAIN
nxdomain() { qdig +norec "$1" TXT | grep -q 'status: NXDOMAIN'; }
wait_gone() {
	nxdomain "$1" && return 0
	LAGGED=$((LAGGED + 1))
	wait_until 10 nxdomain "$1" || fail "$1 still exists: $(qdig +norec "$1" ANY)"
}

# ---------------------------------------------------------------------------
# The zone as transferred

# zone_copy FILE: the zone by AXFR (TSIG rc-sha256) as a zone file: dig's
# comments, the TSIG record and the closing SOA dropped.
zone_copy() {
	local out
	out=$(qdig +time=5 -k "$K" "$Z" AXFR 2>&1) || fail "AXFR failed: $out"
	case $out in
	*"Transfer failed"*|*"Couldn't verify"*|*"; communications error"*)
		fail "AXFR failed: $out" ;;
	esac
	grep -v -e '^;' -e '^[[:space:]]*$' <<<"$out" |
	    awk '$4 != "TSIG" && !($4 == "SOA" && soa++)' >"$1"
	grep -q '	SOA	' "$1" || fail "AXFR returned no SOA: $out"
}
# ldns_ok FILE [DSFILE]: ldns-verify-zone against the DS; its output on
# stderr when it fails.
ldns_ok() {
	local out rc=0
	out=$(ldns-verify-zone -k "${2:-$IT_DIR/ds}" "$1" 2>&1) || rc=$?
	[ $rc -eq 0 ] && [[ $out == *"Zone is verified and complete"* ]] && return 0
	printf 'ldns-verify-zone -k %s %s: exit %s\n%s\n' "${2:-$IT_DIR/ds}" "$1" $rc "$out" >&2
	return 1
}
# bind_ok FILE: dnssec-verify (-z: BIND and PowerDNS sign with one CSK,
# flags 257, which dnssec-verify would otherwise miss as a ZSK).
bind_ok() {
	local out rc=0
	out=$(dnssec-verify -z -o "$Z" "$1" 2>&1) || rc=$?
	[ $rc -eq 0 ] && [[ $out == *"Zone fully signed"* ]] && return 0
	printf 'dnssec-verify -z -o %s %s: exit %s\n%s\n' "$Z" "$1" $rc "$out" >&2
	return 1
}
# rrs FILE TYPE: how many TYPE records FILE holds
rrs() { awk -v t="$2" '$4 == t { n++ } END { print n + 0 }' "$1"; }
# check_zone STEP: an AXFR copy, kept as $IT_DIR/zone.STEP, passes both
# tools and denies existence the configured way; fail otherwise.
check_zone() {
	local f=$IT_DIR/zone.$ROUND.$1
	zone_copy "$f"
	ldns_ok "$f" || fail "$ROUND $1: ldns-verify-zone rejects the zone (output above)"
	bind_ok "$f" || fail "$ROUND $1: dnssec-verify rejects the zone (output above)"
	if [ "$DENIAL" = NSEC3 ]; then
		[ "$(rrs "$f" NSEC3PARAM)" = 1 ] && [ "$(rrs "$f" NSEC)" = 0 ] &&
		    [ "$(rrs "$f" NSEC3)" -gt 0 ] ||
		    fail "$ROUND $1: expected NSEC3 only: $(rrs "$f" NSEC3) NSEC3, $(rrs "$f" NSEC) NSEC, $(rrs "$f" NSEC3PARAM) NSEC3PARAM"
	else
		[ "$(rrs "$f" NSEC3)" = 0 ] && [ "$(rrs "$f" NSEC)" -gt 0 ] ||
		    fail "$ROUND $1: expected NSEC only: $(rrs "$f" NSEC) NSEC, $(rrs "$f" NSEC3) NSEC3"
	fi
	ZONE=$f
}
# in_zone FILE NAME [TYPE [RDATA]]: FILE has a record at NAME (of TYPE,
# with RDATA).
in_zone() {
	awk -v n="$2." -v t="${3:-}" -v d="${4:-}" \
	    '$1 == n && (t == "" || $4 == t) && (d == "" || $5 == d) { f = 1 } END { exit !f }' "$1"
}

# ---------------------------------------------------------------------------
# Validation from the anchor

# delv_out NAME TYPE [ANCHOR]: delv's answer, validated from the anchor and
# nothing else (+root names our zone: no root key is involved).  delv has
# no timeout option of its own.
delv_out() {
	timeout 10 delv @127.0.0.1 -p "$SRV_PORT" -a "${3:-$IT_DIR/anchor}" \
	    +root="$Z" "$1" "$2" 2>&1
}
# validated NAME TYPE RDATA...: delv says "; fully validated", the answer
# is RDATA... and came with its RRSIG (delv exits 0 either way).
validated() {
	local name=$1 type=$2 out got want
	shift 2
	out=$(delv_out "$name" "$type") || fail "delv $name $type: exit $?: $out"
	grep -qx '; fully validated' <<<"$out" ||
	    fail "$ROUND: delv $name $type is not validated from the $SRV_KIND key's DS:
$out"
	got=$(awk -v t="$type" '$1 !~ /^;/ && $4 == t { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }' <<<"$out" |
	    LC_ALL=C sort)
	want=$(printf '%s\n' "$@" | LC_ALL=C sort)
	assert_eq "$want" "$got" "$ROUND: delv $name $type: the validated answer"
	grep -q "^$name\.[[:space:]].*RRSIG[[:space:]]$type " <<<"$out" ||
	    fail "$ROUND: delv $name $type: no RRSIG in the validated answer:
$out"
}
# own_denial NAME TYPE: the NODATA answer for NAME TYPE (a name with
# other data) carries NAME's own NSEC, or the NSEC3 of NAME's hash, and its
# type bitmap lacks TYPE (RFC 4035 3.1.3.1, RFC 5155 7.2.3).  delv alone is
# not enough: it also accepts an NSEC proving that NAME does not exist at
# all (see PowerDNS below).
own_denial() {
	local out owner rtype=NSEC
	out=$(qdig +dnssec +norec +noall +comments +authority "$1" "$2") || return 1
	owner=$1.
	if [ "$DENIAL" = NSEC3 ]; then
		rtype=NSEC3
		owner=$(nsec3hash - 1 0 "$1" | awk '{ print $1 }').$Z.
	fi
	grep -q 'status: NOERROR' <<<"$out" &&
	    awk -v o="$owner" -v r="$rtype" -v t="$2" '
		tolower($1) == tolower(o) && $4 == r {
			found = 1
			for (i = 5; i <= NF; i++) if ($i == t) bad = 1
		}
		END { exit bad || !found }' <<<"$out"
}
# denied NAME TYPE NXDOMAIN|NXRRSET [own]: delv proves that NAME does not
# exist (NXDOMAIN) or has no TYPE (NXRRSET), by NSEC or NSEC3; "own": and
# the proof is own_denial.
denied() {
	local out
	out=$(delv_out "$1" "$2") || fail "delv $1 $2: exit $?: $out"
	[[ $out == *"; negative response, fully validated"* && $out == *"$3"* ]] ||
	    fail "$ROUND: delv $1 $2: no validated $3:
$out"
	[ "${4:-}" != own ] || own_denial "$1" "$2" ||
	    fail "$ROUND: $1 $2: NODATA without the $DENIAL record of $1 itself:
$(qdig +dnssec +norec "$1" "$2")"
}

# ---------------------------------------------------------------------------
# PowerDNS 4.7 (pdns/rfc2136handler.cc): an UPDATE deleting some RRs of an
# RRset re-inserts the others (replaceRRSet) without their NSEC/NSEC3 order
# name and never sets it again.  The AXFR stays right (PowerDNS orders it
# itself), but the denials it signs at that name (NODATA, e.g. for the AAAA
# of an IPv4-only pool or the DS a validator asks on the way) carry another
# name's NSEC/NSEC3: with NSEC3 they are bogus (a validating BIND resolver
# answers SERVFAIL), with NSEC they either are bogus or say that the pool
# does not exist at all.  rollcall removes one address at a time (never the
# other hosts'), so every deregister and expiry does this.  `pdnsutil
# rectify-zone` repairs it (then the packet cache must be purged).

# unordered: the names whose records lost their order name
unordered() {
	sqlite3 "$SRV_DIR/pdns.sqlite3" "SELECT DISTINCT name FROM records
	    WHERE ordername IS NULL AND auth = 1 AND type IS NOT NULL ORDER BY name"
}
# pdns_repair: on PowerDNS, rectify-zone and purge the cache when a name
# lost its order name (what an operator's hook or timer would do)
pdns_repair() {
	[ "$SRV_KIND" = pdns ] && [ -n "$(unordered)" ] || return 0
	pdnsutil_srv rectify-zone "$Z" >"$IT_DIR/rectify.out" 2>&1 ||
	    fail "pdnsutil rectify-zone: $(cat "$IT_DIR/rectify.out")"
	pdns_control --socket-dir="$SRV_DIR" purge "$Z\$" >/dev/null ||
	    fail "pdns_control purge failed"
	[ -z "$(unordered)" ] || fail "rectify-zone left names unordered: $(unordered)"
	REPAIRS=$((REPAIRS + 1))
}

# ---------------------------------------------------------------------------
# One round: a server signing with DENIAL (NSEC or NSEC3)

round() {
	local mode=$1 s0 i addrs f pool_a out
	ROUND=$mode LAGGED=0 REPAIRS=0
	case $mode in
	nsec) DENIAL=NSEC; SRV_DNSSEC=1 start_server ;;
	nsec3) DENIAL=NSEC3; SRV_DNSSEC=nsec3 start_server ;;
	esac
	own_ds >"$IT_DIR/ds" || fail "cannot read the zone's DS from $SRV_KIND's key store"
	[ -s "$IT_DIR/ds" ] || fail "no SHA-256 DS for $Z in $SRV_KIND's key store"
	anchor_file "$IT_DIR/ds" "$IT_DIR/anchor"

	# 0. the zone as started: once the signer has built the chain
	# (BIND adds NSEC3 after the first signatures), it validates
	if [ "$DENIAL" = NSEC3 ]; then
		wait_until 10 eval '[ "$(qdig +short "$Z" NSEC3PARAM)" = "1 0 0 -" ]' ||
		    fail "no NSEC3PARAM 1 0 0 - served: $(qdig "$Z" NSEC3PARAM)"
	fi
	_zone_valid() { zone_copy "$IT_DIR/z" && ldns_ok "$IT_DIR/z" && bind_ok "$IT_DIR/z"; }
	wait_until 10 _zone_valid || true
	check_zone start
	validated ns1.$Z A 127.0.0.1

	# ... and the checks can fail: a wrong anchor is not "fully
	# validated", a tampered copy fails both tools
	awk '{ d = $8; c = substr(d, 1, 1); $8 = (c == "0" ? "1" : "0") substr(d, 2); print }' \
	    "$IT_DIR/ds" >"$IT_DIR/ds.wrong"
	anchor_file "$IT_DIR/ds.wrong" "$IT_DIR/anchor.wrong"
	out=$(delv_out ns1.$Z A "$IT_DIR/anchor.wrong") || true
	assert_not_contains "$out" "fully validated" "delv with a wrong anchor"
	assert_contains "$out" "resolution failed" "delv with a wrong anchor"
	! ldns_ok "$ZONE" "$IT_DIR/ds.wrong" 2>/dev/null ||
	    fail "ldns-verify-zone accepted the zone with a wrong DS"
	awk -v n="www.$Z." '$1 == n && $4 == "A" { $5 = "192.0.2.99" } { print }' \
	    "$ZONE" >"$IT_DIR/zone.tampered"
	! cmp -s "$ZONE" "$IT_DIR/zone.tampered" || fail "tampering changed nothing"
	! ldns_ok "$IT_DIR/zone.tampered" 2>/dev/null ||
	    fail "ldns-verify-zone accepted a tampered zone"
	! bind_ok "$IT_DIR/zone.tampered" 2>/dev/null ||
	    fail "dnssec-verify accepted a tampered zone"

	# 1. three agents (host1 with IPv6), a stale host, and a canonical name
	# for the MX alias
	for i in 1 2 3; do
		addrs=("192.0.2.1$i")
		[ "$i" != 1 ] || addrs+=("2001:db8::11")
		agent_conf "$IT_DIR/h$i.conf" "host$i" "${addrs[@]}"
		assert_status 0 "$A" -c "$IT_DIR/h$i.conf" register
	done
	stale_host dead1 $P 1000 60 192.0.2.31 2001:db8::31
	nsupd -k "$K" <<-EON
	update add host1.$Z. 300 IN A 192.0.2.11
	update add host1.$Z. 300 IN AAAA 2001:db8::11
	send
	EON
	wait_signed $P A 192.0.2.1 192.0.2.11 192.0.2.12 192.0.2.13 192.0.2.31
	wait_signed $P AAAA 2001:db8::11 2001:db8::31
	wait_signed host1.$Z AAAA 2001:db8::11
	[ "$(answer dead1._rollcall.$P TXT | tail -n 1)" = RRSIG ] ||
	    fail "the stale host's registration is not signed: $(qdig +dnssec dead1._rollcall.$P TXT)"
	if [ "$SRV_KIND" = pdns ]; then
		assert_eq "" "$(unordered)" "PowerDNS: order names lost by adding records"
	fi
	check_zone registered
	in_zone "$ZONE" dead1._rollcall.$P TXT || fail "no registration of dead1 in the zone"
	validated $P A 192.0.2.1 192.0.2.11 192.0.2.12 192.0.2.13 192.0.2.31
	validated $P AAAA 2001:db8::11 2001:db8::31
	denied _rollcall.$P TXT NXRRSET	# the empty non-terminal
	note "$ROUND: registered, zone and pool validate"

	# 2. the coordinator expires dead1 and syncs mx1 (following host1) and
	# all (following the pool)
	coord_conf "$IT_DIR/c.conf" \
	    'aliases = (' \
	    "  { name = \"mx1.$Z\"; targets = [ \"host1.$Z\" ]; }," \
	    "  { name = \"all.$Z\"; targets = [ \"$P\" ]; }" \
	    ');'
	assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
	pool_a=(192.0.2.1 192.0.2.11 192.0.2.12 192.0.2.13)
	wait_signed $P A "${pool_a[@]}"
	wait_signed $P AAAA 2001:db8::11
	wait_signed all.$Z A "${pool_a[@]}"
	wait_signed all.$Z AAAA 2001:db8::11
	wait_signed mx1.$Z A 192.0.2.11
	wait_signed mx1.$Z AAAA 2001:db8::11
	wait_gone dead1._rollcall.$P
	check_zone synced
	if [ "$SRV_KIND" = pdns ]; then
		# pinned: the expiry deleted 192.0.2.31 (and 2001:db8::31) from
		# the pool, whose A and AAAA RRsets keep other addresses, and
		# PowerDNS now denies data there with the wrong record
		assert_eq "$P" "$(unordered)" \
		    "PowerDNS: names without an order name after single addresses were deleted (fixed in this PowerDNS? then drop pdns_repair)"
		! own_denial $P MX ||
		    fail "PowerDNS: NODATA at $P right before rectify-zone (fixed?)"
		note "$ROUND: PowerDNS denies $P MX with $(qdig +dnssec +norec +noall +authority $P MX |
		    awk -v r=$DENIAL '$4 == r { printf "%s%s ", $1, (r == "NSEC" ? " NSEC " $5 : " NSEC3") }')until rectify-zone"
		pdns_repair
	fi
	for f in "dead1._rollcall.$P" "$P A 192.0.2.31" "$P AAAA 2001:db8::31" \
	    "all.$Z A 192.0.2.31"; do
		# shellcheck disable=SC2086
		! in_zone "$ZONE" $f || fail "$ROUND: still in the zone after the expiry: $f
$(grep "^${f%% *}\." "$ZONE")"
	done
	validated $P A "${pool_a[@]}"
	validated $P AAAA 2001:db8::11
	validated mx1.$Z A 192.0.2.11
	validated mx1.$Z AAAA 2001:db8::11
	validated all.$Z A "${pool_a[@]}"
	validated all.$Z AAAA 2001:db8::11
	validated host1._rollcall.$P TXT "$(qdig +short host1._rollcall.$P TXT)"
	denied dead1._rollcall.$P TXT NXDOMAIN
	denied _rollcall.$P TXT NXRRSET
	denied mx1.$Z MX NXRRSET own
	denied $P MX NXRRSET own
	note "$ROUND: expired and synced, zone and aliases validate"

	# a second pass has nothing to do: the RRSIG and NSEC/NSEC3 records are
	# not taken for foreign data at the aliases
	s0=$(qdig +short "$Z" SOA | awk '{ print $3 }')
	assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
	assert_eq "$s0" "$(qdig +short "$Z" SOA | awk '{ print $3 }')" \
	    "$ROUND: a converged pass changed the zone"

	# 3. every agent leaves: the pool alias follows each time; with the last
	# registration the _rollcall empty non-terminal goes too
	for i in 2 1 3; do
		assert_status 0 "$A" -c "$IT_DIR/h$i.conf" deregister
		pool_a=("${pool_a[@]/192.0.2.1$i}")
		read -ra pool_a <<<"${pool_a[*]}"
		# the coordinator reads what is served: wait for the signer
		wait_signed $P A "${pool_a[@]}"
		assert_status 0 "$C" -c "$IT_DIR/c.conf" --once
		wait_signed all.$Z A "${pool_a[@]}"
		wait_gone host$i._rollcall.$P
	done
	wait_gone _rollcall.$P
	pdns_repair
	check_zone left
	! in_zone "$ZONE" _rollcall.$P || fail "$ROUND: left at _rollcall.$P"
	validated all.$Z A 192.0.2.1
	validated $P A 192.0.2.1
	denied $P AAAA NXRRSET own
	denied all.$Z AAAA NXRRSET own
	denied host1._rollcall.$P TXT NXDOMAIN
	denied _rollcall.$P TXT NXDOMAIN
	note "$ROUND: all left, zone and aliases validate (signer lagged $LAGGED time(s)$([ "$SRV_KIND" != pdns ] || echo ", rectify-zone $REPAIRS time(s)"))"

	stop_server
}

round nsec
round nsec3
