# tests/integration/tests.cmake - included from tests/CMakeLists.txt.
#
# Registers every tests/integration/t_<name>.sh once per DNS server, as
# it.bind.<name>, it.knot.<name> and it.pdns.<name> (labels "integration" and
# the server; the script reads the server from RC_SERVER, see servers.sh).
# A line "# servers: bind" limits a script to the servers listed; "# servers:
# none" registers it once, as it.<name>, for scripts that need no server.  A script lists the tools it needs beyond named,
# dig and tsig-keygen in a comment line "# requires: TOOL...".  When a tool
# is missing the test still exists but prints "SKIPPED: <reason>" and exits
# 77, which CTest reports as skipped, never as passed.

find_program(RC_BASH bash REQUIRED)
set(_it_sbin PATHS /usr/sbin /usr/local/sbin /sbin)
set(_it_default_tools dig tsig-keygen)

# _it_missing(OUT TOOL...): the tools of the list that are not installed.
function(_it_missing out)
  set(missing "")
  foreach(tool IN LISTS ARGN)
    string(MAKE_C_IDENTIFIER "RC_TOOL_${tool}" var)
    find_program(${var} ${tool} ${_it_sbin})
    if(NOT ${var})
      list(APPEND missing ${tool})
    endif()
  endforeach()
  set(${out} "${missing}" PARENT_SCOPE)
endfunction()

# _it_add_skipped(NAME REASON): a test that reports SKIPPED with the reason.
function(_it_add_skipped name reason)
  add_test(NAME ${name}
    COMMAND ${RC_BASH} -c "echo \"SKIPPED: $1\"; exit 77" skip "${reason}")
  set_tests_properties(${name} PROPERTIES
    LABELS integration SKIP_RETURN_CODE 77)
endfunction()

file(GLOB _it_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/t_*.sh)
set(_it_env
  "ROLLCALL_AGENT=$<TARGET_FILE:rollcall-agent>"
  "ROLLCALL_COORDINATOR=$<TARGET_FILE:rollcall-coordinator>"
  "FREEPORT=$<TARGET_FILE:freeport>"
  "DNSPROXY=$<TARGET_FILE:dnsproxy>"
  "SRCDIR=${CMAKE_SOURCE_DIR}"
  "BUILDDIR=${CMAKE_BINARY_DIR}")

# What each server needs, and the package that brings it.
set(_it_tools_bind named)
set(_it_tools_knot knotd knotc)
set(_it_tools_pdns pdns_server pdnsutil sqlite3)
set(_it_pkg_bind "bind9")
set(_it_pkg_knot "knot")
set(_it_pkg_pdns "pdns-server pdns-backend-sqlite3 sqlite3")

# _it_add(TEST SCRIPT SERVER TOOLS...): one CTest test running SCRIPT with
# RC_SERVER=SERVER (empty: no server), or a SKIPPED one when a tool is missing.
function(_it_add test script server)
  _it_missing(missing ${ARGN})
  if(missing)
    string(REPLACE ";" " " missing "${missing}")
    _it_add_skipped(${test} "${missing} not found (tests/install-deps.sh installs it)")
    return()
  endif()
  add_test(NAME ${test} COMMAND ${RC_BASH} ${script})
  set_tests_properties(${test} PROPERTIES
    LABELS "integration;${server}"
    TIMEOUT 180
    SKIP_RETURN_CODE 77
    ENVIRONMENT "${_it_env};RC_SERVER=${server}")
endfunction()

foreach(script IN LISTS _it_scripts)
  get_filename_component(base ${script} NAME_WE)
  string(REGEX REPLACE "^t_" "" name ${base})

  file(STRINGS ${script} _it_req REGEX "^# *requires:")
  string(REGEX REPLACE "^# *requires:" "" _it_req "${_it_req}")
  separate_arguments(_it_req UNIX_COMMAND "${_it_req}")

  # "# servers: bind knot" limits a script to those servers; "none" runs it
  # once, without a server.  The default is all three.
  file(STRINGS ${script} _it_srv REGEX "^# *servers:")
  string(REGEX REPLACE "^# *servers:" "" _it_srv "${_it_srv}")
  separate_arguments(_it_srv UNIX_COMMAND "${_it_srv}")
  if(NOT _it_srv)
    set(_it_srv bind knot pdns)
  endif()

  if(_it_srv STREQUAL "none")
    _it_add(it.${name} ${script} "" ${_it_default_tools} ${_it_req})
    continue()
  endif()
  foreach(server IN LISTS _it_srv)
    _it_add(it.${server}.${name} ${script} ${server}
      ${_it_default_tools} ${_it_tools_${server}} ${_it_req})
  endforeach()
endforeach()
