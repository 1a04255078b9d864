# Builds one layer probe (tests/layers/CMakeLists.txt) and checks the outcome: "refused" must fail for the
# header not being found (not for any other error), "compiles" must succeed.
if(NOT EXISTS ${SERVER_SRC}/${HEADER})
  # Else a probe of a header that was moved or renamed would pass as "refused" for ever.
  message(FATAL_ERROR "${TARGET}: ${HEADER} is not in server/src: the probe names a header that does not exist")
endif()
file(TOUCH ${SOURCE})  # compile again on every run, not only the first
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(EXPECTED STREQUAL "refused")
  if(result EQUAL 0)
    message(FATAL_ERROR "${TARGET}: including ${HEADER} compiled, but its layer may not reach it")
  endif()
  # GCC's wording, then Clang's.
  string(FIND "${output}" "${HEADER}: No such file or directory" gccAt)
  string(FIND "${output}" "'${HEADER}' file not found" clangAt)
  if(gccAt EQUAL -1 AND clangAt EQUAL -1)
    message(FATAL_ERROR "${TARGET} failed, but not for want of ${HEADER}:\n${output}")
  endif()
else()
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${TARGET}: including ${HEADER} did not compile:\n${output}")
  endif()
endif()
