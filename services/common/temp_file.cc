#include "services/common/temp_file.h"

#include <stdlib.h>  // mkstemps
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace yusuan {

TempFile::~TempFile() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

absl::Status TempFile::Create(const std::string& stem, const std::string& suffix) {
  std::error_code error;
  std::filesystem::path dir = std::filesystem::temp_directory_path(error);
  if (error) dir = "/tmp";
  std::string pattern = (dir / absl::StrCat("yusuan-", stem, "-XXXXXX", suffix)).string();
  const int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size()));
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("无法创建临时文件 / cannot create a temporary file in ", dir.string(), ": ",
                                            std::strerror(errno)));
  }
  ::close(fd);
  path_ = std::move(pattern);
  return absl::OkStatus();
}

absl::StatusOr<std::string> TempFile::ReadAll() const {
  std::ifstream in(path_, std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf())) {
    return absl::InternalError(absl::StrCat("无法读回临时文件 / cannot read back the temporary file ", path_));
  }
  return std::move(bytes).str();
}

}  // namespace yusuan
