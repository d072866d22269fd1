# VigilPlugin.cmake — vigil_add_plugin(): builds a vigil plugin the way the host loads it.
#
#   vigil_add_plugin(<name> <source>... [INSTALL] [OUTPUT_DIRECTORY <dir>] [TARGET <target>])
#
# Builds the MODULE library vigil_<name>.so (the host loads plugins by name: the file must be
# called vigil_<name>.so and define VIGIL_PLUGIN_DEFINE(<name>, ...)). Symbols are hidden by
# default, so the object exports exactly its entry function vigil_plugin_<name>_get_desc.
# The plugin does not link libvigil: it reaches the host through the table it is given.
# INSTALL installs it into the vigil plugin directory (VIGIL_PLUGIN_DIR).
function(vigil_add_plugin name)
  cmake_parse_arguments(ARG "INSTALL" "OUTPUT_DIRECTORY;TARGET" "" ${ARGN})
  if(NOT name MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "vigil_add_plugin: '${name}' is not a plugin name ([a-z][a-z0-9_]*)")
  endif()
  set(target vigil_${name})
  if(ARG_TARGET)
    set(target ${ARG_TARGET})
  endif()
  add_library(${target} MODULE ${ARG_UNPARSED_ARGUMENTS})
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME vigil_${name} SUFFIX ".so"
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target} PRIVATE vigil::plugin)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
  if(ARG_INSTALL)
    if(NOT VIGIL_PLUGIN_DIR)
      message(FATAL_ERROR "vigil_add_plugin(${name} INSTALL): VIGIL_PLUGIN_DIR is not set")
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION ${VIGIL_PLUGIN_DIR})
  endif()
endfunction()
