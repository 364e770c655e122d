// ReplaceMember of test_util.h: minizip unzips the workbook from a file and
// zips it again with one member replaced.
#include <unzip.h>
#include <zip.h>

#include "services/gateway/workbook/tests/test_util.h"

namespace yusuan::workbook::testing {

std::string ReplaceMember(const std::string& xlsx, const std::string& member, const std::string& text) {
  const std::string base = ::testing::TempDir() + "/workbook-edit-" + std::to_string(::getpid());
  const std::string in_path = base + "-in.xlsx";
  const std::string out_path = base + "-out.xlsx";
  {
    std::ofstream out(in_path, std::ios::binary);
    out << xlsx;
  }
  unzFile in = unzOpen(in_path.c_str());
  zipFile out = zipOpen(out_path.c_str(), 0);
  EXPECT_NE(in, nullptr);
  EXPECT_NE(out, nullptr);
  bool replaced = false;
  for (int rc = unzGoToFirstFile(in); rc == UNZ_OK; rc = unzGoToNextFile(in)) {
    char name[512];
    unz_file_info info;
    EXPECT_EQ(unzGetCurrentFileInfo(in, &info, name, sizeof name, nullptr, 0, nullptr, 0), UNZ_OK);
    std::string content;
    if (member == name) {
      content = text;
      replaced = true;
    } else {
      EXPECT_EQ(unzOpenCurrentFile(in), UNZ_OK);
      char buffer[65536];
      int n = 0;
      while ((n = unzReadCurrentFile(in, buffer, sizeof buffer)) > 0) content.append(buffer, static_cast<size_t>(n));
      unzCloseCurrentFile(in);
    }
    EXPECT_EQ(
        zipOpenNewFileInZip(out, name, nullptr, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED, Z_DEFAULT_COMPRESSION),
        ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(out, content.data(), static_cast<unsigned>(content.size())), ZIP_OK);
    EXPECT_EQ(zipCloseFileInZip(out), ZIP_OK);
  }
  unzClose(in);
  EXPECT_EQ(zipClose(out, nullptr), ZIP_OK);
  EXPECT_TRUE(replaced) << member;
  std::string bytes = ReadFileBytes(out_path);
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
  return bytes;
}

}  // namespace yusuan::workbook::testing
