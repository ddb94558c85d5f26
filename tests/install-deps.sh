#!/usr/bin/env bash
# tests/install-deps.sh - install the Debian 12 packages that rollcall's
# build, tests and demo need (used by tests/run.sh and demo.sh).
#
# Installs only what is missing; runs `apt-get update` only when a missing
# package has no install candidate (or the install fails without it).  No
# package may start its service while we install (a DNS server listening on
# port 53 or looking up hosts outside): a policy-rc.d that says "101, do not
# start" is put in place for the install when none exists, and any named,
# knotd or pdns_server started by a package is stopped afterwards.
# Root, or sudo when not root.
set -euo pipefail

PKGS=(
	build-essential cmake pkg-config
	libldns-dev ldnsutils libconfig-dev libcunit1-dev libssl-dev libsystemd-dev
	libmicrohttpd-dev curl python3
	bind9 bind9-utils bind9-dnsutils
	knot knot-dnsutils
	pdns-server pdns-backend-sqlite3 sqlite3
	valgrind time
	debhelper lintian man-db mandoc systemd
)
POLICY=/usr/sbin/policy-rc.d
MARK="rollcall install-deps: start no service while installing"

SUDO=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "install-deps: not root and no sudo" >&2
		exit 1
	}
	SUDO=(sudo)
fi

installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# stop_package_servers: stop DNS servers that a package started, i.e. those
# running with the packaged configuration (no config argument, or one in
# /etc) or as the packages' users.  Test servers run as root with their
# config in a work dir of their own and are left alone.
stop_package_servers() {
	local p comm args user unit
	for p in /proc/[0-9]*; do
		{ read -r comm <"$p/comm"; } 2>/dev/null || continue
		case $comm in
		named) unit=named ;;
		knotd) unit=knot ;;
		pdns_server) unit=pdns ;;
		*) continue ;;
		esac
		args=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) || continue
		[ -n "$args" ] || continue	# a zombie
		user=$(stat -c %U "$p" 2>/dev/null) || continue
		case " $args" in
		*" -c /etc/"* | *"--config-dir=/etc/"*) ;;
		*" -c "* | *" --config "* | *"--config-dir"*)
			case $user in bind | knot | pdns) ;; *) continue ;; esac ;;
		esac
		echo "install-deps: stopping packaged $comm (pid ${p#/proc/}: $args)" >&2
		if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
			"${SUDO[@]}" systemctl stop "$unit" 2>/dev/null || true
		fi
		"${SUDO[@]}" kill -TERM "${p#/proc/}" 2>/dev/null || true
	done
}

missing=()
for p in "${PKGS[@]}"; do
	installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}" >&2
	# Ours when it carries MARK (also one left by a killed run): removed after.
	if [ ! -e "$POLICY" ] || grep -qF "$MARK" "$POLICY" 2>/dev/null; then
		trap '"${SUDO[@]}" rm -f "$POLICY"' EXIT
		printf '#!/bin/sh\n# %s\nexit 101\n' "$MARK" |
		    "${SUDO[@]}" tee "$POLICY" >/dev/null
		"${SUDO[@]}" chmod 755 "$POLICY"
	fi
	export DEBIAN_FRONTEND=noninteractive
	need_update=0
	for p in "${missing[@]}"; do
		apt-cache show "$p" >/dev/null 2>&1 || need_update=1
	done
	[ $need_update = 0 ] || "${SUDO[@]}" apt-get update
	install=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y
	    --no-install-recommends "${missing[@]}")
	if ! "${install[@]}"; then
		[ $need_update = 1 ] && exit 1
		"${SUDO[@]}" apt-get update
		"${install[@]}"
	fi
fi

stop_package_servers
