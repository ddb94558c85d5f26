# packaging/install.cmake - install rules for what is not a target: the
# systemd units, the man pages and the example configuration.  Included
# from the top-level CMakeLists.txt after GNUInstallDirs.
#
#   prefix /usr (Debian):  /usr/sbin, /etc/rollcall, /usr/share/man,
#                          units in ROLLCALL_SYSTEMDUNITDIR
#   prefix /usr/local:     /usr/local/sbin, /usr/local/etc/rollcall, ...
#
# The units in packaging/systemd name /usr/sbin and /etc/rollcall; for
# another prefix they are installed with those paths rewritten (and -c
# naming the config file, since the programs default to /etc/rollcall).
# Paths are fixed at configure time: set CMAKE_INSTALL_PREFIX then, not
# with `cmake --install --prefix`.

set(ROLLCALL_SYSTEMDUNITDIR "lib/systemd/system" CACHE STRING
  "systemd system unit directory, absolute or relative to the prefix (Debian 12: /lib/systemd/system)")

set(_rc_sbin "${CMAKE_INSTALL_FULL_SBINDIR}")
set(_rc_etc "${CMAKE_INSTALL_FULL_SYSCONFDIR}/rollcall")
set(_rc_units
  rollcall-agent.service
  rollcall-agent-heartbeat.service
  rollcall-agent-heartbeat.timer
  rollcall-coordinator.service)

foreach(unit IN LISTS _rc_units)
  set(src "${CMAKE_CURRENT_LIST_DIR}/systemd/${unit}")
  set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY
    CMAKE_CONFIGURE_DEPENDS "${src}")
  file(READ "${src}" text)
  if(NOT _rc_etc STREQUAL "/etc/rollcall")
    foreach(prog agent coordinator)
      string(REGEX REPLACE "(/usr/sbin/rollcall-${prog})([ \n])"
        "\\1 -c ${_rc_etc}/${prog}.conf\\2" text "${text}")
    endforeach()
    string(REPLACE "=/etc/rollcall\n" "=${_rc_etc}\n" text "${text}")
  endif()
  string(REPLACE "/usr/sbin/rollcall-" "${_rc_sbin}/rollcall-" text "${text}")
  file(CONFIGURE OUTPUT "${CMAKE_BINARY_DIR}/systemd/${unit}"
    CONTENT "${text}" @ONLY)
  install(FILES "${CMAKE_BINARY_DIR}/systemd/${unit}"
    DESTINATION "${ROLLCALL_SYSTEMDUNITDIR}")
endforeach()

install(FILES
  "${CMAKE_SOURCE_DIR}/man/rollcall-agent.8"
  "${CMAKE_SOURCE_DIR}/man/rollcall-coordinator.8"
  DESTINATION "${CMAKE_INSTALL_MANDIR}/man8")
install(FILES "${CMAKE_SOURCE_DIR}/man/rollcall.conf.5"
  DESTINATION "${CMAKE_INSTALL_MANDIR}/man5")

# The example configs go to <sysconfdir>/rollcall, but an existing file is
# never overwritten: a second `cmake --install` must not undo an admin's
# edits (the Debian package marks them as conffiles instead).
install(CODE "
  foreach(f agent.conf coordinator.conf)
    if(EXISTS \"\$ENV{DESTDIR}${_rc_etc}/\${f}\")
      message(STATUS \"Keeping: \$ENV{DESTDIR}${_rc_etc}/\${f}\")
    else()
      file(INSTALL DESTINATION \"${_rc_etc}\" TYPE FILE
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        FILES \"${CMAKE_CURRENT_LIST_DIR}/\${f}\")
    endif()
  endforeach()
")

# The PowerDNS least-privilege policy script (README, "Server setup").
install(FILES "${CMAKE_CURRENT_LIST_DIR}/pdns/rollcall-dnsupdate-policy.lua"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/rollcall/pdns")
