# tests/integration/tests.cmake - included from tests/CMakeLists.txt.
#
# Registers every tests/integration/t_<name>.sh as CTest test it.bind.<name>
# (label "integration").  A script lists the tools it needs beyond named,
# dig and tsig-keygen in a comment line "# requires: TOOL...".  When a tool
# is missing the test still exists but prints "SKIPPED: <reason>" and exits
# 77, which CTest reports as skipped, never as passed.

find_program(RC_BASH bash REQUIRED)
set(_it_sbin PATHS /usr/sbin /usr/local/sbin /sbin)
set(_it_default_tools named dig tsig-keygen)

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

_it_missing(_it_no_server named)
file(GLOB _it_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/t_*.sh)

if(_it_no_server)
  message(STATUS "named not found: BIND integration tests will be skipped")
  _it_add_skipped(it.bind.SKIPPED
    "named not found (apt-get install bind9): BIND integration tests not run")
else()
  foreach(script IN LISTS _it_scripts)
    get_filename_component(base ${script} NAME_WE)
    string(REGEX REPLACE "^t_" "" name ${base})
    set(test it.bind.${name})

    file(STRINGS ${script} _it_req REGEX "^# *requires:")
    string(REGEX REPLACE "^# *requires:" "" _it_req "${_it_req}")
    separate_arguments(_it_req UNIX_COMMAND "${_it_req}")
    _it_missing(missing ${_it_default_tools} ${_it_req})

    if(missing)
      string(REPLACE ";" " " missing "${missing}")
      _it_add_skipped(${test} "${missing} not found (apt-get install bind9-utils bind9-dnsutils)")
      continue()
    endif()
    add_test(NAME ${test} COMMAND ${RC_BASH} ${script})
    set_tests_properties(${test} PROPERTIES
      LABELS integration
      TIMEOUT 120
      SKIP_RETURN_CODE 77
      ENVIRONMENT "ROLLCALL_AGENT=$<TARGET_FILE:rollcall-agent>;ROLLCALL_COORDINATOR=$<TARGET_FILE:rollcall-coordinator>;FREEPORT=$<TARGET_FILE:freeport>;DNSPROXY=$<TARGET_FILE:dnsproxy>;SRCDIR=${CMAKE_SOURCE_DIR};BUILDDIR=${CMAKE_BINARY_DIR}")
  endforeach()
endif()
