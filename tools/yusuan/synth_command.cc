#include "tools/yusuan/synth_command.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/ledger/domain/catalogue.h"
#include "tools/synth/synth.h"
#include "tools/yusuan/exit_codes.h"

namespace yusuan::cli {
namespace {

// Past this many departments the command reports its progress on stderr.
constexpr int kProgressFrom = 1000;
constexpr int kProgressEvery = 500;

constexpr char kSynthUsage[] =
    "用法 / usage:\n"
    "  yusuan synth --departments N [--seed S] [--sector 类] [--year Y] [-o FILE] [--catalogue_dir DIR]\n"
    "      生成 N 份合成部门预算申报（每行一份 Filing JSON）/ write N synthetic filings, one Filing\n"
    "      JSON per line (NDJSON), to FILE or stdout; no gateway needed.\n"
    "      --seed S      随机种子，默认 1；同一种子输出相同 / seed (default 1): the same seed gives\n"
    "                    the same bytes\n"
    "      --sector 类   只生成该功能分类类级的部门（如 207）/ only departments of this 类 (e.g. 207);\n"
    "                    default: cycle over every 类 with a spendable 项\n"
    "      --year Y      只用 Y 年版科目 / only the Y edition; default: cycle over the editions\n"
    "      --catalogue_dir DIR  科目目录 / classification catalogues (default: the ledger's)\n";

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "yusuan synth: " << problem << "\n\n";
  std::cerr << kSynthUsage;
  return kUsage;
}

}  // namespace

int RunSynthCommand(int argc, char** argv) {
  std::string departments_text, seed_text = "1", sector, year_text, output;
  std::string catalogue_dir = YUSUAN_DEFAULT_CATALOGUE_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kSynthUsage;
      return kOk;
    }
    bool matched = false;
    for (auto [name, target] : {std::pair<std::string_view, std::string*>{"--departments", &departments_text},
                                {"--seed", &seed_text},
                                {"--sector", &sector},
                                {"--year", &year_text},
                                {"-o", &output},
                                {"--output", &output},
                                {"--catalogue_dir", &catalogue_dir},
                                {"--catalogue-dir", &catalogue_dir}}) {
      if (arg == name) {
        if (i + 1 >= argc) return Usage(absl::StrCat(std::string(name), " 缺少取值 / needs a value"));
        *target = argv[++i];
        matched = true;
        break;
      }
      if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=') {
        *target = std::string(arg.substr(name.size() + 1));
        matched = true;
        break;
      }
    }
    if (!matched) return Usage(absl::StrCat("未知参数 / unknown argument ", std::string(arg)));
  }

  int departments = 0;
  if (departments_text.empty()) return Usage("缺少 --departments / --departments is required");
  if (!absl::SimpleAtoi(departments_text, &departments) || departments < 0) {
    return Usage(absl::StrCat("--departments 应为非负整数 / must be a non-negative integer: ", departments_text));
  }
  uint64_t seed = 0;
  if (!absl::SimpleAtoi(seed_text, &seed)) {
    return Usage(absl::StrCat("--seed 应为非负整数 / must be a non-negative integer: ", seed_text));
  }
  synth::SynthOptions options;
  options.seed = seed;
  if (!sector.empty()) options.sector = sector;
  if (!year_text.empty()) {
    int year = 0;
    if (!absl::SimpleAtoi(year_text, &year))
      return Usage(absl::StrCat("--year 应为年份 / must be a year: ", year_text));
    options.year = year;
  }

  absl::StatusOr<ledger::CatalogueSet> catalogues = ledger::CatalogueSet::LoadFromDirectory(catalogue_dir);
  if (!catalogues.ok()) {
    std::cerr << "yusuan synth: " << catalogues.status().message() << "\n";
    return kFailed;
  }
  // A bad --year or --sector is a usage error, told before anything is written.
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  if (!synthesizer.ok()) return Usage(std::string(synthesizer.status().message()));

  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "yusuan synth: 无法写入 / cannot write " << output << "\n";
      return kFailed;
    }
  }
  std::ostream& out = output.empty() ? std::cout : file;
  for (int i = 0; i < departments; ++i) {
    absl::StatusOr<gateway::v1::Filing> filing = synthesizer->Synthesize(i);
    absl::StatusOr<std::string> line =
        filing.ok() ? synth::FilingToJsonLine(*filing) : absl::StatusOr<std::string>(filing.status());
    if (!line.ok()) {
      std::cerr << "yusuan synth: department " << i << ": " << line.status().message() << "\n";
      return kFailed;
    }
    out << *line << '\n';
    if (departments >= kProgressFrom && (i + 1) % kProgressEvery == 0) {
      std::cerr << "yusuan synth: " << i + 1 << "/" << departments << "\n";
    }
  }
  out.flush();
  if (!out) {
    std::cerr << "yusuan synth: 写入失败 / write failed" << (output.empty() ? "" : absl::StrCat(": ", output)) << "\n";
    return kFailed;
  }
  std::cerr << "yusuan synth: " << departments << " 份申报 / filings, " << synthesizer->sectors().size()
            << " 类 in the cycle, seed " << seed << (output.empty() ? "" : absl::StrCat(" → ", output)) << "\n";
  return kOk;
}

}  // namespace yusuan::cli
