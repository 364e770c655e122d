# yusuan_cc_library() and yusuan_cc_test(), in the spirit of Abseil's
# absl_cc_library / absl_cc_test.
#
# Why: every library and unit test of the tree was declared with the same four
# or five commands (include directory, links, warnings, test discovery), and a
# new one was made by copying them. These two functions are those commands,
# once. They add nothing of their own: the sanitizer flags (YUSUAN_SANITIZE)
# stay directory-wide add_compile_options/add_link_options in the top-level
# file and reach these targets as they reach every other one.
#
# yusuan_cc_library(NAME <target> SRCS <file>...
#                   [DEPS <target>...] [PRIVATE_DEPS <target>...]
#                   [DEFINES <NAME=value>...])
#   A STATIC library with ${PROJECT_SOURCE_DIR} as its PUBLIC include
#   directory (headers are included as "services/...", "tools/..."), the
#   warnings (${YUSUAN_WARNINGS}, PRIVATE), DEPS linked PUBLIC, PRIVATE_DEPS
#   linked PRIVATE and DEFINES as PRIVATE compile definitions.
#
# yusuan_cc_test(NAME <target> SRCS <file>... [DEPS <target>...]
#                [PREFIX <ctest prefix>] [SOURCE_DIR] [OWN_MAIN] [DEFINES <NAME=value>...]
#                [LABELS <label>] [TIMEOUT <seconds>]
#                [DISCOVERY_TIMEOUT <seconds>] [PROPERTIES <name> <value>...])
#   A GoogleTest executable: DEPS then GTest::gtest_main linked PRIVATE (name
#   GTest::gtest_main inside DEPS where its place on the link line matters,
#   e.g. before GTest::gmock; it is then not added again), the warnings, and
#   its cases registered with gtest_discover_tests, each ctest test named
#   <PREFIX><Suite>.<Case>.
#   SOURCE_DIR   defines YUSUAN_SOURCE_DIR="${PROJECT_SOURCE_DIR}" for tests
#                that read files of the tree (kept opt-in, so a test that
#                reads the tree says so).
#   OWN_MAIN     the test defines main() (to set the process up before any
#                thread starts): GTest::gtest is linked instead of gtest_main.
#   DEFINES      further PRIVATE compile definitions (before YUSUAN_SOURCE_DIR).
#   LABELS, TIMEOUT, PROPERTIES
#                ctest properties of every discovered test; LABELS takes one
#                label (a list does not survive gtest_discover_tests), more
#                properties go in PROPERTIES.
#   DISCOVERY_TIMEOUT
#                seconds the executable may take to list its tests (default 5).
# Call it only where YUSUAN_BUILD_TESTS is on (GTest is found then).

include(GoogleTest)

function(yusuan_cc_library)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME" "SRCS;DEPS;PRIVATE_DEPS;DEFINES")
  if(ARG_UNPARSED_ARGUMENTS OR NOT ARG_NAME OR NOT ARG_SRCS)
    message(FATAL_ERROR "yusuan_cc_library(${ARG_NAME}): needs NAME and SRCS; "
      "unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  add_library(${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  if(ARG_DEFINES)
    target_compile_definitions(${ARG_NAME} PRIVATE ${ARG_DEFINES})
  endif()
  target_compile_options(${ARG_NAME} PRIVATE ${YUSUAN_WARNINGS})
endfunction()

function(yusuan_cc_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "SOURCE_DIR;OWN_MAIN"
    "NAME;PREFIX;LABELS;TIMEOUT;DISCOVERY_TIMEOUT" "SRCS;DEPS;DEFINES;PROPERTIES")
  if(ARG_UNPARSED_ARGUMENTS OR NOT ARG_NAME OR NOT ARG_SRCS)
    message(FATAL_ERROR "yusuan_cc_test(${ARG_NAME}): needs NAME and SRCS; "
      "unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  add_executable(${ARG_NAME} ${ARG_SRCS})
  set(deps ${ARG_DEPS})
  if(ARG_OWN_MAIN)
    list(APPEND deps GTest::gtest)
  elseif(NOT "GTest::gtest_main" IN_LIST deps)
    list(APPEND deps GTest::gtest_main)
  endif()
  target_link_libraries(${ARG_NAME} PRIVATE ${deps})
  set(defines ${ARG_DEFINES})
  if(ARG_SOURCE_DIR)
    list(APPEND defines YUSUAN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  endif()
  if(defines)
    target_compile_definitions(${ARG_NAME} PRIVATE ${defines})
  endif()
  target_compile_options(${ARG_NAME} PRIVATE ${YUSUAN_WARNINGS})

  set(discover TEST_PREFIX "${ARG_PREFIX}")
  if(ARG_DISCOVERY_TIMEOUT)
    list(APPEND discover DISCOVERY_TIMEOUT ${ARG_DISCOVERY_TIMEOUT})
  endif()
  set(properties ${ARG_PROPERTIES})
  if(ARG_LABELS)
    list(APPEND properties LABELS ${ARG_LABELS})
  endif()
  if(ARG_TIMEOUT)
    list(APPEND properties TIMEOUT ${ARG_TIMEOUT})
  endif()
  if(properties)
    list(APPEND discover PROPERTIES ${properties})
  endif()
  gtest_discover_tests(${ARG_NAME} ${discover})
endfunction()
