#!/usr/bin/env bash
# demo.sh - rollcall in one minute, all on this machine: a private BIND on
# 127.0.0.1 (random free port) serving example.test, three hosts that register
# their addresses in the pool srv.example.test, one that leaves.
#
# Installs the Debian packages it needs (tests/install-deps.sh), builds
# build/, and removes everything it started when it ends (KEEP=1 keeps the
# work dir: configs, keys, named's log).
set -euo pipefail
cd "$(dirname "$0")"

bash tests/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 >/dev/null

export ROLLCALL_AGENT=$PWD/build/agent/rollcall-agent
export FREEPORT=$PWD/build/tests/freeport
. tests/integration/lib.sh
it_setup demo
start_server

POOL=srv.example.test
say() { printf '\n== %s\n' "$*"; }
show() {
	printf '$ dig %s A/AAAA  (192.0.2.1 is a static record of the zone)\n' "$POOL"
	qdig +noall +answer "$POOL" A "$POOL" AAAA
	printf '$ dig %s TXT  (registration records)\n' "*._rollcall.$POOL"
	for h in host1 host2 host3; do
		qdig +noall +answer "$h._rollcall.$POOL" TXT
	done
}
agent() {
	local conf=$IT_DIR/$1.conf
	shift
	printf '$ rollcall-agent -c %s %s\n' "${conf##*/}" "$*"
	"$ROLLCALL_AGENT" -c "$conf" "$@"
}

for i in 1 2 3; do
	agent_conf "$IT_DIR/host$i.conf" "host$i" "192.0.2.1$i" "2001:db8::1$i"
done

say "host1's config"
cat "$IT_DIR/host1.conf"

say "what host1 would send (-n: print as an nsupdate script, change nothing)"
agent host1 -n register

say "register three hosts"
for i in 1 2 3; do agent "host$i" register; done
show

say "host2 leaves"
agent host2 deregister
show

say "done; stopping named (port $SRV_PORT)"
