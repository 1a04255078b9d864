# tokens_layer(<name> SOURCES <files> [PUBLIC <targets>] [PRIVATE <targets>])
#
# Makes the static library tokens_<name> of the server's layer server/src/<name>/, and the one place its
# headers can be included from: a directory of the build holding a single link, <name> -> server/src/<name>.
# A library's include path is then its own view and the views of the libraries it links, so that
# `#include "api/..."` from http/ finds no file and fails to compile (the include directory server/src
# itself is on no path). PUBLIC links are the layer's arrows that its own headers need; PRIVATE ones only
# its .cpp files.
function(tokens_layer name)
  cmake_parse_arguments(LAYER "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  set(view ${CMAKE_CURRENT_BINARY_DIR}/layers/${name})
  file(MAKE_DIRECTORY ${view})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/src/${name} ${view}/${name} SYMBOLIC)
  add_library(tokens_${name} STATIC ${LAYER_SOURCES})
  target_include_directories(tokens_${name} PUBLIC ${view})
  target_link_libraries(tokens_${name} PUBLIC ${LAYER_PUBLIC} PRIVATE ${LAYER_PRIVATE})
  tokens_set_warnings(tokens_${name})
endfunction()
