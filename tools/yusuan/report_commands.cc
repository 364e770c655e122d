// render, verify: disclosure files.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/client/client.h"
#include "services/common/sha256.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {
namespace {

namespace rv1 = yusuan::report::v1;

// "report.html" and the like: a name of our own when the server's is unusable.
std::string FallbackFileName(rv1::Format format) {
  const char* extension = "html";
  if (format == rv1::FORMAT_MARKDOWN) extension = "md";
  if (format == rv1::FORMAT_XLSX) extension = "xlsx";
  if (format == rv1::FORMAT_CSV) extension = "csv";
  if (format == rv1::FORMAT_JSON || format == rv1::FORMAT_DATA_PACKAGE) extension = "json";
  if (format == rv1::FORMAT_PDF) extension = "pdf";
  return absl::StrCat("report.", extension);
}

}  // namespace

int WriteArtifact(const rv1::Artifact& artifact, const std::string& output, const std::string& fallback) {
  const std::string sha256 = yusuan::Sha256Hex(artifact.content());
  if (!artifact.sha256_hex().empty() && artifact.sha256_hex() != sha256) {
    std::cerr << "收到的内容与其 SHA-256 不符 / the content does not match its SHA-256 (" << artifact.sha256_hex()
              << " announced, " << sha256 << " received)\n";
    return kFailed;
  }
  std::string path = output;
  if (path.empty()) {
    // The server's name, but only as a file name in the current directory.
    path = artifact.file_name().substr(artifact.file_name().find_last_of("/\\") + 1);
    if (path.empty() || path == "." || path == "..") path = fallback;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(artifact.content().data(), static_cast<std::streamsize>(artifact.content().size()));
  out.close();
  if (!out) {
    std::cerr << "无法写入 " << path << " / cannot write " << path << ": " << std::strerror(errno) << "\n";
    return kFailed;
  }
  std::cout << "已写入 / wrote " << path << "\n"
            << "  大小 size    " << artifact.content().size() << " 字节 bytes\n"
            << "  类型 type    " << artifact.media_type() << "\n"
            << "  sha256       " << sha256 << "\n";
  return kOk;
}

int Render(Client& client, const Args& args) {
  if (args.positional.size() != 1) {
    return Usage("render 需要一个预算资源名 / render needs one budget NAME");
  }
  absl::StatusOr<rv1::Format> format = yusuan::client::ParseReportFormat(args.format);
  if (!format.ok()) return Usage(std::string(format.status().message()));
  yusuan::gateway::v1::RenderReportRequest request;
  request.set_name(args.positional[0]);
  request.set_format(*format);
  request.set_template_set(args.template_set);
  if (!client.Connect()) return kFailed;
  rv1::Artifact artifact;
  grpc::Status status = client.Call(&Client::Stub::RenderReport, request, &artifact);
  if (!status.ok()) return PrintFailure(status);

  return WriteArtifact(artifact, args.output, FallbackFileName(*format));
}

// Whether a downloaded file is one of the published ones: exit 0 and what it
// is when it is, exit 1 when it is not.
int Verify(Client& client, const Args& args) {
  if (args.positional.size() != 1) return Usage("verify 需要一个文件 / verify needs FILE");
  std::ifstream in(args.positional[0], std::ios::binary);
  if (!in) {
    std::cerr << "无法读取 / cannot read " << args.positional[0] << "\n";
    return kFailed;
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!client.Connect()) return kFailed;
  rv1::VerifyArtifactRequest request;
  request.set_content(std::move(content));
  rv1::VerifyArtifactResponse verdict;
  grpc::Status status = client.Call(&Client::Stub::VerifyArtifact, request, &verdict);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(verdict);
    return verdict.official() ? kOk : kFailed;
  }
  if (!verdict.official()) {
    std::cout << "不是正式公开的文件 / not an official published file (SHA-256 " << verdict.sha256_hex() << ")\n";
    return kFailed;
  }
  std::cout << "正式公开文件 / official published file\n"
            << "  部门 department   " << verdict.department_full_name() << " (" << verdict.department_name() << ")\n"
            << "  预算 budget       " << verdict.budget_name() << "  年度 year " << verdict.fiscal_year() << "\n"
            << "  版本 version      " << verdict.version() << "  公开于 published "
            << IsoUtc(verdict.publish_time_unix_ms()) << "\n"
            << "  格式 format       " << rv1::Format_Name(verdict.format()) << "\n"
            << "  SHA-256          " << verdict.sha256_hex() << "\n";
  if (verdict.latest_version() > verdict.version()) {
    std::cout << "  注意 note: 已被版本 " << verdict.latest_version() << " 取代 / superseded by version "
              << verdict.latest_version() << "\n";
  }
  return kOk;
}

}  // namespace yusuan::cli
