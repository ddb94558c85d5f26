#!/usr/bin/env bash
# t_pkg_deb.sh - the Debian package: packaging/build-deb.sh builds it from a
# copy of the tree, lintian finds no error, and `dpkg -i` installs it as in
# a container (no systemd running; a policy-rc.d that says 101 is put in
# place when there is none).  Then: the files, their modes and owners, the
# conffiles, the system user rollcall, the TSIG keys made by the postinst
# (0640 root:rollcall, never overwritten), both programs from /usr/sbin
# with the packaged config and keys (also as user rollcall; not as nobody),
# `systemd-analyze verify` of the installed units, and that nothing is
# enabled or started.  A second `dpkg -i` keeps the keys and an edited
# conffile; remove keeps the configuration, purge removes it and leaves the
# user rollcall (Debian policy: files elsewhere may still be owned by it).
#
# Root only (skipped otherwise).  A rollcall package installed by someone
# else is never touched (skipped).  The package, and the user and
# policy-rc.d when this test made them, are removed at exit, and also when
# the test is killed: a watchdog purges once the test is gone, and a later
# run purges what a dead run left (marker $PKG_MARK).
# servers: none
# requires: dpkg-buildpackage dh lintian systemd-analyze
. "$(dirname "$0")/lib.sh"
it_setup pkg_deb
require_cmd dpkg-buildpackage dh lintian systemd-analyze dpkg setpriv
[ "$(id -u)" = 0 ] || skip "not root: dpkg -i needs root"

PKG_MARK=/var/tmp/rollcall-it-pkg-deb.mark
POLICY=/usr/sbin/policy-rc.d
UNITS="rollcall-agent.service rollcall-agent-heartbeat.service
rollcall-agent-heartbeat.timer rollcall-coordinator.service"

# pkg_state: dpkg's status of rollcall ("" when unknown to dpkg).
pkg_state() {
	dpkg-query -W -f='${Status}' rollcall 2>/dev/null || true
}

# pkg_cleanup: purge rollcall (waiting up to 60 s for a dpkg that a kill
# interrupted to let go of its lock), then remove what the marker says this
# test made: the user and group rollcall, policy-rc.d.
pkg_cleanup() {
	local user_made=0 policy_made=0 i
	[ -e "$PKG_MARK" ] || return 0
	read -r _ _ user_made policy_made <"$PKG_MARK" || true
	for i in $(seq 120); do
		case $(pkg_state) in "" | *not-installed) break ;; esac
		dpkg --purge rollcall >/dev/null 2>&1 && break
		sleep 0.5
	done
	if [ "$user_made" = 1 ] && getent passwd rollcall >/dev/null; then
		userdel rollcall 2>/dev/null || true
	fi
	if [ "$user_made" = 1 ] && getent group rollcall >/dev/null; then
		groupdel rollcall 2>/dev/null || true
	fi
	if [ "$policy_made" = 1 ]; then
		rm -f "$POLICY"
	fi
	rm -f "$PKG_MARK"
}

# A marker whose test is dead: that run was killed past its watchdog.
if [ -e "$PKG_MARK" ]; then
	read -r mpid mstart _ <"$PKG_MARK" || true
	if [ "$(_it_starttime "${mpid:-0}" 2>/dev/null)" != "${mstart:-}" ]; then
		note "purging what a killed run left ($PKG_MARK)"
		pkg_cleanup
	else
		skip "another t_pkg_deb.sh (pid $mpid) is running"
	fi
fi
case $(pkg_state) in
"" | *not-installed) ;;
*) skip "a rollcall package is installed here ($(pkg_state)); not touching it" ;;
esac
[ ! -e /etc/rollcall ] ||
    skip "/etc/rollcall exists without the package (left by an old install?); not touching it"

ver=$(sed -n 's/^project(rollcall VERSION \([0-9.]*\).*/\1/p' "$SRCDIR/CMakeLists.txt")

# --- build ---
note "building the package (packaging/build-deb.sh)"
t0=$SECONDS
deb=$(TMPDIR=$IT_DIR bash "$SRCDIR/packaging/build-deb.sh" -o "$IT_DIR/out" \
    2>"$IT_DIR/build.log") || fail "build-deb.sh failed:
$(tail -n 40 "$IT_DIR/build.log")"
[ -f "$deb" ] || fail "build-deb.sh printed '$deb', not a file"
assert_eq "rollcall_${ver}_$(dpkg --print-architecture).deb" "${deb##*/}" "package file name"
note "built ${deb##*/} in $((SECONDS - t0)) s"

# --- lintian ---
note "lintian"
run lintian --display-info --pedantic "$deb"
tags=$(grep -E '^[EWIPX]: ' <<<"$RUN_OUT" || true)
note "lintian: $(grep -c '^E: ' <<<"$tags" || true) error(s), $(grep -c '^W: ' <<<"$tags" || true) warning(s), $(grep -c '^[IPX]: ' <<<"$tags" || true) info/pedantic"
[ -z "$tags" ] || printf '%s\n' "$tags" >&2
if grep -q '^E: ' <<<"$tags" || [ "$RUN_RC" != 0 ]; then
	fail "lintian reports errors (exit $RUN_RC):
$RUN_OUT
$RUN_ERR"
fi

# --- install ---
user_made=0
getent passwd rollcall >/dev/null || user_made=1
policy_made=0
if [ ! -e "$POLICY" ]; then
	printf '#!/bin/sh\n# t_pkg_deb.sh: start no service\nexit 101\n' >"$POLICY"
	chmod 755 "$POLICY"
	policy_made=1
fi
echo "$$ $(_it_starttime $$) $user_made $policy_made" >"$PKG_MARK"
it_on_exit pkg_cleanup
# Watchdog: when this script is killed without running its exit hooks,
# purge once it is gone.  Detached, like lib.sh's own.
(
	trap - EXIT HUP INT TERM USR1
	(
		set +e
		st=$(_it_starttime $$)
		while [ -e "$PKG_MARK" ] && [ "$(_it_starttime $$)" = "$st" ]; do
			sleep 0.5
		done
		pkg_cleanup
	) </dev/null >/dev/null 2>&1 &
)

# dpkg runs from inside the work dir with a relative path, so that lib.sh's
# watchdog (it kills what names the work dir) never kills it half-way.
dpkg_i() {
	(cd "${deb%/*}" && dpkg -i --force-confdef --force-confold "${deb##*/}")
}
note "dpkg -i (systemd running: $([ -d /run/systemd/system ] && echo yes || echo no))"
t0=$SECONDS
assert_status 0 dpkg_i
note "installed in $((SECONDS - t0)) s"
assert_eq "install ok installed" "$(pkg_state)" "package state"

# --- files, modes, owners ---
# check_file PATH MODE OWNER:GROUP
check_file() {
	[ -e "$1" ] || fail "$1 is missing"
	assert_eq "$2 $3" "$(stat -c '%a %U:%G' "$1")" "$1: mode and owner"
}
check_file /usr/sbin/rollcall-agent 755 root:root
check_file /usr/sbin/rollcall-coordinator 755 root:root
for u in $UNITS; do
	check_file "/lib/systemd/system/$u" 644 root:root
done
check_file /usr/share/man/man8/rollcall-agent.8.gz 644 root:root
check_file /usr/share/man/man8/rollcall-coordinator.8.gz 644 root:root
check_file /usr/share/man/man5/rollcall.conf.5.gz 644 root:root
check_file /usr/share/rollcall/pdns/rollcall-dnsupdate-policy.lua 644 root:root
check_file /etc/rollcall 750 root:rollcall
check_file /etc/rollcall/agent.conf 644 root:root
check_file /etc/rollcall/coordinator.conf 644 root:root
check_file /etc/rollcall/host.key 640 root:rollcall
check_file /etc/rollcall/coordinator.key 640 root:rollcall
conffiles=$(dpkg-query -W -f='${Conffiles}\n' rollcall | awk 'NF { print $1 }' | sort)
assert_eq "/etc/rollcall/agent.conf
/etc/rollcall/coordinator.conf" "$conffiles" "conffiles"

# --- the user ---
IFS=: read -r _ _ uid gid _ home shell <<<"$(getent passwd rollcall)" ||
    fail "no user rollcall"
[ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || fail "rollcall has uid $uid: not a system user"
assert_eq "rollcall" "$(getent group "$gid" | cut -d: -f1)" "rollcall's group"
assert_eq "/nonexistent /usr/sbin/nologin" "$home $shell" "rollcall's home and shell"

# --- the keys ---
for k in host.key coordinator.key; do
	key=$(cat "/etc/rollcall/$k")
	assert_contains "$key" "algorithm hmac-sha256;"
	assert_contains "$key" 'secret "'
done
assert_contains "$(cat /etc/rollcall/coordinator.key)" 'key "coordinator-key"'

# --- the programs, with the packaged config and keys ---
note "programs from /usr/sbin"
assert_status 0 /usr/sbin/rollcall-agent -V
assert_eq "rollcall-agent $ver" "$RUN_OUT"
assert_status 0 /usr/sbin/rollcall-coordinator -V
assert_eq "rollcall-coordinator $ver" "$RUN_OUT"
# The default config paths are the packaged ones, and the keys they name
# exist: check passes without -c or -k (and sends nothing).
assert_status 0 /usr/sbin/rollcall-agent check
assert_contains "$RUN_OUT" "/etc/rollcall/agent.conf: OK"
assert_status 0 /usr/sbin/rollcall-coordinator check
assert_contains "$RUN_OUT" "/etc/rollcall/coordinator.conf: OK"
# The units' user can read them (group rollcall); nobody else can.
as_rollcall() { setpriv --reuid=rollcall --regid=rollcall --init-groups "$@"; }
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
assert_status 0 as_rollcall /usr/sbin/rollcall-agent check
# 0640 root:rollcall is what the package makes: no permission warning
assert_not_contains "$RUN_ERR" "readable by"
assert_status 0 as_rollcall /usr/sbin/rollcall-coordinator check
assert_status 1 as_nobody /usr/sbin/rollcall-agent check
assert_status 1 as_nobody /usr/sbin/rollcall-coordinator check

# --- the units ---
note "systemd-analyze verify"
units=()
for u in $UNITS; do units+=("/lib/systemd/system/$u"); done
assert_status 0 systemd-analyze verify "${units[@]}"
[ -z "$RUN_OUT$RUN_ERR" ] || fail "systemd-analyze verify complains:
$RUN_OUT$RUN_ERR"
for u in $UNITS; do
	case $u in *.service) ;; *) continue ;; esac
	score=$(systemd-analyze security --offline=yes "/lib/systemd/system/$u" 2>&1 |
	    sed -n 's/.*Overall exposure level for [^:]*: //p')
	[ -n "$score" ] || fail "systemd-analyze security --offline=yes $u: no score"
	note "exposure $u: $score"
done
# Installed, not enabled (the example config is not a working one), not
# started (no systemd here; where there is one, nothing is enabled).
enabled=$(find /etc/systemd/system -name 'rollcall-*' 2>/dev/null || true)
assert_eq "" "$enabled" "units enabled by the install"

# --- upgrade path: keys and an edited conffile survive ---
note "dpkg -i again"
keysum=$(cat /etc/rollcall/host.key /etc/rollcall/coordinator.key | md5sum)
echo "# edited by t_pkg_deb.sh" >>/etc/rollcall/agent.conf
assert_status 0 dpkg_i
assert_eq "$keysum" "$(cat /etc/rollcall/host.key /etc/rollcall/coordinator.key | md5sum)" \
    "keys changed by a second install"
assert_contains "$(tail -n 1 /etc/rollcall/agent.conf)" "# edited by t_pkg_deb.sh"
check_file /etc/rollcall 750 root:rollcall

# --- remove, purge ---
note "dpkg --remove"
assert_status 0 dpkg --remove rollcall
assert_eq "deinstall ok config-files" "$(pkg_state)" "state after remove"
for f in /usr/sbin/rollcall-agent /usr/sbin/rollcall-coordinator \
    /usr/share/man/man8/rollcall-agent.8.gz; do
	[ ! -e "$f" ] || fail "$f left after remove"
done
for u in $UNITS; do
	[ ! -e "/lib/systemd/system/$u" ] || fail "$u left after remove"
done
for f in agent.conf coordinator.conf host.key coordinator.key; do
	[ -e "/etc/rollcall/$f" ] || fail "/etc/rollcall/$f removed by remove (not purge)"
done

note "dpkg --purge"
assert_status 0 dpkg --purge rollcall
case $(pkg_state) in
"" | *not-installed) ;;
*) fail "state after purge: $(pkg_state)" ;;
esac
[ ! -e /etc/rollcall ] || fail "/etc/rollcall left after purge: $(ls -la /etc/rollcall)"
left=$(find /lib/systemd /etc/systemd /usr/share/man /usr/share/doc /var/lib/systemd \
    -name '*rollcall*' 2>/dev/null || true)
assert_eq "" "$left" "files left after purge"
getent passwd rollcall >/dev/null || fail "purge removed the user rollcall (policy keeps it)"
note "purged; the user rollcall stays (removed by this test: $([ $user_made = 1 ] && echo yes || echo no, it was there before))"
