// Fixtures of the workbook tests: the reference filing, generated filings,
// and workbooks edited after writing (one sheet's XML rewritten with minizip).
#ifndef YUSUAN_SERVICES_GATEWAY_WORKBOOK_TESTS_TEST_UTIL_H_
#define YUSUAN_SERVICES_GATEWAY_WORKBOOK_TESTS_TEST_UTIL_H_

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/common/xlsx_reader.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::workbook::testing {

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// data/samples/qingshan-kexie-2021.json, the reference filing.
inline yusuan::gateway::v1::Filing SampleFiling() {
  yusuan::gateway::v1::Filing filing;
  const std::string json = ReadFileBytes(std::string(YUSUAN_SOURCE_DIR) + "/data/samples/qingshan-kexie-2021.json");
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &filing).ok());
  return filing;
}

// The filing without what the server sets (the workbook does not carry it).
inline yusuan::gateway::v1::Filing WithoutServerFields(yusuan::gateway::v1::Filing filing) {
  if (filing.has_department()) {
    filing.mutable_department()->clear_etag();
    filing.mutable_department()->clear_update_time_unix_ms();
  }
  if (filing.has_budget()) {
    filing.mutable_budget()->clear_status();
    filing.mutable_budget()->clear_etag();
    filing.mutable_budget()->clear_revision();
    filing.mutable_budget()->clear_update_time_unix_ms();
  }
  if (filing.has_goals()) {
    filing.mutable_goals()->clear_etag();
    filing.mutable_goals()->clear_revision();
    filing.mutable_goals()->clear_update_time_unix_ms();
  }
  return filing;
}

// The XML of the sheet called `name`.
inline std::string SheetXml(const std::string& xlsx, const std::string& name) {
  xlsx::ReadError error;
  std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(xlsx, &error);
  EXPECT_TRUE(workbook.has_value()) << error.en;
  const std::vector<std::string> names = workbook->SheetNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return workbook->ReadMember(workbook->SheetPath(i)).value_or("");
  }
  ADD_FAILURE() << "no sheet " << name;
  return "";
}

inline std::string SheetPathOf(const std::string& xlsx, const std::string& name) {
  xlsx::ReadError error;
  std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(xlsx, &error);
  const std::vector<std::string> names = workbook->SheetNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return workbook->SheetPath(i);
  }
  return "";
}

// The same ZIP with `member` holding `text` (every other member copied).
std::string ReplaceMember(const std::string& xlsx, const std::string& member, const std::string& text);

// The workbook with cell `ref` ("G7") of sheet `name` replaced by
// `cell_xml` (a whole <c …>…</c> element); the cell must exist.
inline std::string ReplaceCell(const std::string& xlsx, const std::string& name, const std::string& ref,
                               const std::string& cell_xml) {
  std::string xml = SheetXml(xlsx, name);
  const size_t start = xml.find("<c r=\"" + ref + "\"");
  EXPECT_NE(start, std::string::npos) << name << "!" << ref;
  if (start == std::string::npos) return xlsx;
  const size_t open_end = xml.find('>', start);
  size_t end = open_end + 1;
  if (xml[open_end - 1] != '/') end = xml.find("</c>", start) + 4;
  xml.replace(start, end - start, cell_xml);
  return ReplaceMember(xlsx, SheetPathOf(xlsx, name), xml);
}

inline std::string InlineCell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
inline std::string NumberCell(const std::string& ref, const std::string& value) {
  return "<c r=\"" + ref + "\"><v>" + value + "</v></c>";
}

}  // namespace yusuan::workbook::testing

#endif  // YUSUAN_SERVICES_GATEWAY_WORKBOOK_TESTS_TEST_UTIL_H_
