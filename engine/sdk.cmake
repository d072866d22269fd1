# sdk.cmake — the plugin host's build settings and the plugin SDK: the header, a CMake
# package (find_package(vigil) -> vigil::plugin, vigil::vigil, vigil_add_plugin()) and
# pkg-config (vigil.pc, with `plugindir`). Included at the end of engine/CMakeLists.txt.

set(VIGIL_PLUGIN_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/vigil/plugins)
# In-tree plugins are built here; libvigil searches it when it runs from this build tree.
set(VIGIL_BUILD_PLUGIN_DIR ${PROJECT_BINARY_DIR}/plugins CACHE INTERNAL "in-tree plugins")

target_compile_definitions(vigil_layer_plugin PRIVATE
  VIGIL_INSTALL_PLUGIN_DIR="${CMAKE_INSTALL_FULL_LIBDIR}/vigil/plugins"
  VIGIL_BUILD_DIR="${PROJECT_BINARY_DIR}"
  VIGIL_BUILD_PLUGIN_DIR="${VIGIL_BUILD_PLUGIN_DIR}")
target_link_libraries(vigil PRIVATE ${CMAKE_DL_LIBS})
target_link_libraries(vigil_internal PUBLIC ${CMAKE_DL_LIBS})

# In-tree plugins build against the same header target the installed package exports.
add_library(vigil_plugin_headers INTERFACE)
target_include_directories(vigil_plugin_headers INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
add_library(vigil::plugin ALIAS vigil_plugin_headers)
include(${CMAKE_CURRENT_LIST_DIR}/cmake/VigilPlugin.cmake)

# The plugin ABI version, for the package config (plugin.h is the one source of truth).
file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/include/vigil/plugin.h _vigil_abi
     REGEX "^#define VIGIL_PLUGIN_ABI_M(AJOR|INOR) [0-9]+")
string(REGEX REPLACE ".*ABI_MAJOR ([0-9]+).*" "\\1" VIGIL_PLUGIN_ABI_MAJOR "${_vigil_abi}")
string(REGEX REPLACE ".*ABI_MINOR ([0-9]+).*" "\\1" VIGIL_PLUGIN_ABI_MINOR "${_vigil_abi}")

# pkg-config finds the prefix from the .pc file's own place, so the SDK stays relocatable.
file(RELATIVE_PATH VIGIL_PC_TO_PREFIX
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})

include(CMakePackageConfigHelpers)
set(VIGIL_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vigil)
configure_package_config_file(cmake/vigilConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sdk/vigilConfig.cmake
  INSTALL_DESTINATION ${VIGIL_CMAKE_INSTALL_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR VIGIL_PLUGIN_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sdk/vigilConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
configure_file(cmake/vigil.pc.in ${PROJECT_BINARY_DIR}/sdk/vigil.pc @ONLY)

install(FILES ${PROJECT_BINARY_DIR}/sdk/vigilConfig.cmake
              ${PROJECT_BINARY_DIR}/sdk/vigilConfigVersion.cmake
              ${CMAKE_CURRENT_SOURCE_DIR}/cmake/VigilPlugin.cmake
        DESTINATION ${VIGIL_CMAKE_INSTALL_DIR})
install(FILES ${PROJECT_BINARY_DIR}/sdk/vigil.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(DIRECTORY DESTINATION ${VIGIL_PLUGIN_INSTALL_DIR})
