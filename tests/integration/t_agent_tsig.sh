#!/usr/bin/env bash
# Every TSIG algorithm BIND accepts works end to end, from a key file and
# from -y; and at maximum debug no output ever shows a secret.
. "$(dirname "$0")/lib.sh"
it_setup agent_tsig
start_server
A=$ROLLCALL_AGENT
P=srv.example.test
all_out=$IT_DIR/all-output

i=0
for key in $IT_KEYS; do
	i=$((i + 1))
	alg=hmac-${key#rc-}
	KEY=$key agent_conf "$IT_DIR/$key.conf" "h-$key" "192.0.2.$((50 + i))"
	assert_status 0 "$A" -d -c "$IT_DIR/$key.conf" register
	printf '%s\n%s\n' "$RUN_OUT" "$RUN_ERR" >>"$all_out"
	assert_contains "$(pool_addrs $P)" "192.0.2.$((50 + i))" "$alg register"
	assert_status 0 "$A" -d -c "$IT_DIR/$key.conf" status
	printf '%s\n%s\n' "$RUN_OUT" "$RUN_ERR" >>"$all_out"
	assert_status 0 "$A" -d -c "$IT_DIR/$key.conf" -y "$alg:$key:$(key_secret "$key")" deregister
	printf '%s\n%s\n' "$RUN_OUT" "$RUN_ERR" >>"$all_out"
	assert_contains "$RUN_ERR" "-y puts the secret in the process list"
	assert_not_contains "$(pool_addrs $P)" "192.0.2.$((50 + i))" "$alg deregister"
	# errors too: a wrong secret at -d
	run "$A" -d -c "$IT_DIR/$key.conf" -y "$alg:$key:$(key_secret rc-sha512)" register
	printf '%s\n%s\n' "$RUN_OUT" "$RUN_ERR" >>"$all_out"
	run "$A" -d -c "$IT_DIR/$key.conf" -n register
	printf '%s\n%s\n' "$RUN_OUT" "$RUN_ERR" >>"$all_out"
	run "$A" -d -c "$IT_DIR/$key.conf" check
	printf '%s\n%s\n' "$RUN_OUT" "$RUN_ERR" >>"$all_out"
done
# the debug output really holds the messages (so the grep below means something)
assert_contains "$(cat "$all_out")" "TSIG"
for key in $IT_KEYS; do
	s=$(key_secret "$key")
	grep -qF -- "$s" "$all_out" && fail "secret of $key appears in output"
	# nor its hex or decoded forms
	hex=$(base64 -d <<<"$s" | od -An -tx1 | tr -d ' \n')
	grep -qiF -- "$hex" "$all_out" && fail "hex secret of $key appears in output"
done
note "no secret in $(wc -l <"$all_out") lines of output"

# a key file readable by others draws a warning; 0600 does not
kf=$IT_DIR/loose.key
cp "$(key_file rc-sha256)" "$kf"
chmod 644 "$kf"
assert_status 0 "$A" -c "$IT_DIR/rc-sha256.conf" -k "$kf" check
assert_contains "$RUN_ERR" "readable by others"
chmod 640 "$kf"		# group read: how the package shares keys (root:rollcall)
assert_status 0 "$A" -c "$IT_DIR/rc-sha256.conf" -k "$kf" check
assert_not_contains "$RUN_ERR" "readable"
chmod 600 "$kf"
assert_status 0 "$A" -c "$IT_DIR/rc-sha256.conf" -k "$kf" check
assert_not_contains "$RUN_ERR" "readable"
