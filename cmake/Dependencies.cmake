# Every dependency comes from Debian's packages (scripts/install-deps.sh installs them).
# context: the server's request fibers (asio::spawn), used with the Redis store.
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url system context)
# OpenSSL's libcrypto: SHA-1 names the Redis store's Lua scripts (EVALSHA).
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# The Redis store: hiredis's RESP reader and command formatter (the I/O is Asio's).
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)

# Asio and Beast are header-only; these keep their heavy templates out of every translation unit that
# does not ask for them, and make Asio use std types.
add_library(tokens_boost_net INTERFACE)
target_link_libraries(tokens_boost_net INTERFACE Boost::headers Boost::system Threads::Threads)
target_compile_definitions(tokens_boost_net INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
