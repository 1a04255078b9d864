# -DTOKENS_FUZZ=ON (with clang): every target is built for libFuzzer's coverage feedback, with
# AddressSanitizer and UndefinedBehaviorSanitizer, and UB is fatal, so that a fuzzer stops at the first
# bug instead of printing a warning. The fuzz targets themselves link libFuzzer's main
# (tests/fuzz/CMakeLists.txt). scripts/fuzz.sh makes such a build in build-fuzz/.
if(TOKENS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TOKENS_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
  # As for the sanitizer build: Boost.Context's ucontext flavour tells AddressSanitizer about stack switches.
  add_compile_definitions(BOOST_USE_UCONTEXT BOOST_USE_ASAN)
  # Cheap password hashes (domain/password_hash.cpp): never in a build that serves anyone.
  add_compile_definitions(TOKENS_FUZZ_BUILD)
endif()
