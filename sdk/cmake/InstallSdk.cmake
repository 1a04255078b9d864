# `cmake --install build [--prefix P]` installs the SDK as the CMake package PureCloudPlatformClientV2:
#   find_package(PureCloudPlatformClientV2 REQUIRED)
#   target_link_libraries(app PRIVATE PureCloudPlatformClientV2::sdk)
include(CMakePackageConfigHelpers)

install(TARGETS tokens_sdk EXPORT PureCloudPlatformClientV2Targets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/PureCloudPlatformClientV2
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The model headers, without model/internal/ (not public API: it includes Boost.JSON).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/include/PureCloudPlatformClientV2
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        PATTERN internal EXCLUDE)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/PureCloudPlatformClientV2)
install(EXPORT PureCloudPlatformClientV2Targets NAMESPACE PureCloudPlatformClientV2:: DESTINATION ${config_dir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/PureCloudPlatformClientV2Config.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/PureCloudPlatformClientV2Config.cmake
                              INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/PureCloudPlatformClientV2ConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/PureCloudPlatformClientV2Config.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/PureCloudPlatformClientV2ConfigVersion.cmake
        DESTINATION ${config_dir})
