#!/usr/bin/env bash
# tests/run.sh - the test command: installs what is missing, builds, runs
# every test, and ends with one line "tests: N passed, N failed, N skipped".
#
#   build/       RelWithDebInfo; its unit tests run under valgrind memcheck
#   build-asan/  ASan + UBSan; `ctest -j2` runs unit and integration tests
#
# Exit status 0 only when everything passed.  Safe to run again, also after
# a killed run: servers of dead test runs are reaped first.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

bash tests/install-deps.sh

# Servers and work dirs left by killed runs (each test's live in its own
# ${TMPDIR:-/tmp}/rollcall-it.* dir; dirs of running tests are untouched).
bash -c '. tests/integration/lib.sh && it_reap_stale'

# configure DIR CMAKE-ARGS...: a build dir made from another checkout is
# started afresh (CMake refuses a cache from another source dir).
configure() {
	local dir=$1 home
	shift
	if [ -f "$dir/CMakeCache.txt" ]; then
		home=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$dir/CMakeCache.txt")
		[ "$home" = "$top" ] || rm -rf -- "$dir"
	fi
	cmake -S . -B "$dir" "$@"
}

configure build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLLCALL_SANITIZE=OFF
cmake --build build -j2
configure build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLLCALL_SANITIZE=ON
cmake --build build-asan -j2

junit=$top/build-asan/ctest-results.xml
rm -f "$junit"
ctest_rc=0
ctest --test-dir build-asan --output-on-failure -j2 --no-tests=error \
    --output-junit "$junit" || ctest_rc=$?

vg_log=$top/build/valgrind-unit.log
vg_rc=0
echo "valgrind memcheck: build/tests/unit_tests (log: $vg_log)"
valgrind --error-exitcode=1 --leak-check=full build/tests/unit_tests \
    >"$vg_log" 2>&1 || vg_rc=$?
if [ $vg_rc -ne 0 ]; then
	cat "$vg_log"
	echo "valgrind memcheck of the unit tests FAILED (exit $vg_rc)"
else
	grep -E 'ERROR SUMMARY|Run Summary|^ +(suites|tests|asserts) ' "$vg_log" || true
fi

# Count ctest's results from its JUnit file; the valgrind pass counts as one.
count() {
	local n=0
	[ ! -f "$junit" ] || n=$(grep -c "<testcase [^>]*status=\"$1\"" "$junit" || true)
	echo "${n:-0}"
}
passed=$(count run)
failed=$(count fail)
skipped=$(count notrun)
if [ ! -f "$junit" ]; then
	failed=1
fi
if [ $vg_rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$skipped" -gt 0 ]; then
	echo "skipped:"
	awk '/<testcase / { skip = /status="notrun"/; split($0, a, "\""); name = a[2] }
	    skip && /SKIPPED:/ { sub(/.*SKIPPED:/, ""); print "  " name ":" $0; skip = 0 }
	    skip && /<\/testcase>/ { print "  " name; skip = 0 }' "$junit"
fi
echo "ctest (build-asan) exit $ctest_rc; valgrind unit pass exit $vg_rc, counted as one test"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ $ctest_rc -eq 0 ] && [ $vg_rc -eq 0 ] && [ "$failed" -eq 0 ]
