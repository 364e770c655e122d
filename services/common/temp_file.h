// A unique, private (0600) file in the system's temp directory, removed when
// this goes out of scope. For libxlsxwriter, which before 1.1.5 (Debian 12
// has 1.1.4) writes a workbook only to a named file: the report's XLSX and
// the filing workbook are written there and read back into memory.
#ifndef YUSUAN_SERVICES_COMMON_TEMP_FILE_H_
#define YUSUAN_SERVICES_COMMON_TEMP_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace yusuan {

class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();

  // Creates "{temp dir}/yusuan-{stem}-XXXXXX{suffix}"; INTERNAL, naming the
  // directory, when it cannot.
  absl::Status Create(const std::string& stem, const std::string& suffix);
  const std::string& path() const { return path_; }
  // The whole file as written (the workbook, once closed); INTERNAL naming
  // the file when it cannot be read.
  absl::StatusOr<std::string> ReadAll() const;

 private:
  std::string path_;
};

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_TEMP_FILE_H_
