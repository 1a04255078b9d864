# Builds one layer probe (tests/layers/CMakeLists.txt) and checks the outcome: "refused" must fail for the
# header not being found (not for any other error), "compiles" must succeed.
file(TOUCH ${SOURCE})  # compile again on every run, not only the first
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(EXPECTED STREQUAL "refused")
  if(result EQUAL 0)
    message(FATAL_ERROR "${TARGET}: including ${HEADER} compiled, but its layer may not reach it")
  endif()
  string(FIND "${output}" "${HEADER}: No such file or directory" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${TARGET} failed, but not for want of ${HEADER}:\n${output}")
  endif()
else()
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${TARGET}: including ${HEADER} did not compile:\n${output}")
  endif()
endif()
