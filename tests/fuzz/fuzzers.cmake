# The fuzz targets, by name: tests/fuzz/<name>_fuzzer.cc, seeds in
# tests/fuzz/corpus/<name>/, dictionary tests/fuzz/<name>.dict (optional).
# Read by the clang tree that builds them (tests/fuzz/CMakeLists.txt) and by
# the main tree that registers their short runs (tests/CMakeLists.txt).
set(YUSUAN_FUZZERS
  filing_json
  rest_route
  bearer_token
  page_token
  resource_name
  indicator_value
  catalogue_import
  filing_workbook)
