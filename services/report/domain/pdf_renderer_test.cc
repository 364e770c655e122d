// The PDF disclosure, read back the way a reader's tools see it: the file is
// written to a temporary directory and examined with poppler's pdftotext and
// pdfinfo (Debian: poppler-utils).
#include "services/report/domain/pdf_renderer.h"

#include <stdio.h>   // popen
#include <stdlib.h>  // mkdtemp, setenv

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/money.h"
#include "services/report/domain/disclosure.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using testdata::ReferenceReportInput;
using ::testing::HasSubstr;
using ::testing::Not;

// 2021-01-27T08:00:00.123Z
constexpr int64_t kPublishMs = 1611734400123;

std::string RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  pclose(pipe);
  return text;
}

// Text without any whitespace, so that a sentence broken over lines (or
// spread by justification) still matches.
std::string Squeeze(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f') out += c;
  }
  return out;
}

// Runs of spaces as one: pdftotext -layout pads words into columns.
std::string Collapse(const std::string& text) { return std::regex_replace(text, std::regex(" +"), " "); }

// A PDF written to disk and read back with poppler. With
// YUSUAN_PDF_TEST_KEEP=DIR the files are also copied to DIR for a look.
class PdfFile {
 public:
  explicit PdfFile(const std::string& bytes, const std::string& name = "") {
    if (const char* keep = std::getenv("YUSUAN_PDF_TEST_KEEP"); keep != nullptr && !name.empty()) {
      std::ofstream copy(std::filesystem::path(keep) / (name + ".pdf"), std::ios::binary);
      copy.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    std::string dir = (std::filesystem::path(::testing::TempDir()) / "yusuan-pdf-test-XXXXXX").string();
    EXPECT_NE(mkdtemp(dir.data()), nullptr);
    dir_ = dir;
    path_ = dir_ + "/report.pdf";
    std::ofstream out(path_, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ~PdfFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // `pdftotext -layout` of pages [first, last] (0 = the whole document).
  std::string Text(int first = 0, int last = 0) const {
    std::string range;
    if (first > 0) {
      range = " -f " + std::to_string(first) + " -l " + std::to_string(last);
    }
    return RunCommand("pdftotext -layout" + range + " '" + path_ + "' - 2>&1");
  }
  // One page, runs of spaces collapsed.
  std::string PageText(int page) const { return Collapse(Text(page, page)); }

  // `pdfinfo`, with one size line per page when `per_page` is set.
  std::string Info(bool per_page = false) const {
    return RunCommand(std::string("pdfinfo") + (per_page ? " -f 1 -l 9999" : "") + " '" + path_ + "' 2>&1");
  }
  std::string Fonts() const { return RunCommand("pdffonts '" + path_ + "' 2>&1"); }

  int Pages() const {
    std::smatch match;
    const std::string info = Info();
    if (!std::regex_search(info, match, std::regex(R"(Pages:\s+(\d+))"))) return -1;
    return std::stoi(match[1]);
  }

 private:
  std::string dir_;
  std::string path_;
};

PdfOptions ReferenceOptions() {
  PdfOptions options;
  options.publish_time_unix_ms = kPublishMs;
  options.author = "武汉市青山区科学技术协会";
  options.subject = "部门预算公开";
  options.department = "武汉市青山区科学技术协会";
  options.year = 2021;
  return options;
}

std::string RenderReferencePdf() {
  absl::StatusOr<Document> document = BuildDisclosure(ReferenceReportInput());
  EXPECT_TRUE(document.ok()) << document.status();
  if (!document.ok()) return "";
  absl::StatusOr<std::string> pdf = RenderPdf(*document, ReferenceOptions());
  EXPECT_TRUE(pdf.ok()) << pdf.status();
  return pdf.ok() ? *pdf : "";
}

// One grid table of `rows` rows under a two-row header with merged cells.
Document LongTableDocument(int rows) {
  Document document;
  document.title = "长表测试";
  document.AddHeading(1, "长表测试", "top");
  document.AddHeading(2, "第一部分 长表", "part-1");
  Table table;
  table.title = "表1 长表测试支出表";
  table.anchor = "table-1";
  table.meta_left = "编制单位：测试单位";
  table.meta_right = "单位：万元";
  Cell code = TextCell("科目编码", 1, 2);
  Cell name = TextCell("科目名称", 1, 2);
  Cell total = TextCell("合计", 1, 2);
  table.header.push_back({code, name, total, TextCell("基本支出", 2), TextCell("项目支出", 1, 2)});
  table.header.push_back({TextCell("人员经费"), TextCell("公用经费")});
  for (int i = 1; i <= rows; ++i) {
    char label[32];
    std::snprintf(label, sizeof label, "支出事项%03d", i);
    const int64_t fen = int64_t{i} * 123'456;
    table.body.push_back({TextCell(std::to_string(2010000 + i)), TextCell(label), WanYuanCell(3 * fen),
                          WanYuanCell(fen), WanYuanCell(fen), WanYuanCell(fen)});
  }
  document.AddTable(std::move(table));
  document.AddParagraph("表后说明。");
  return document;
}

// The amounts pdftotext finds whole in `text`, out of `amounts`, and the
// pieces of split ones: a number ending in its decimal point ("1326.") or a
// two-digit fragment alone on a line where a cell wrapped ("90").
std::vector<std::string> MissingAmounts(const std::string& text, const std::vector<std::string>& amounts) {
  std::vector<std::string> missing;
  for (const std::string& amount : amounts) {
    const std::regex whole("(^|[^0-9.])" + std::regex_replace(amount, std::regex("\\."), "\\.") + "($|[^0-9])");
    if (!std::regex_search(text, whole)) missing.push_back(amount);
  }
  static const std::regex kSplit(R"((^|\s)(\d+\.)(\s|$))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kSplit); it != std::sregex_iterator(); ++it) {
    missing.push_back("split: " + (*it)[2].str());
  }
  return missing;
}

// Every amount of 1,000 万元 or more that 表1–表8 print, as printed.
std::vector<std::string> LargeTableAmounts(const v1::ReportInput& input) {
  std::vector<std::string> amounts;
  for (const auto& table : input.tables().tables()) {
    for (const auto* rows : {&table.rows(), &table.right_rows()}) {
      for (const auto& row : *rows) {
        for (int64_t fen : row.cells_fen()) {
          if (fen >= 10'000'000'00) amounts.push_back(FormatWanYuan(fen));
        }
      }
    }
  }
  return amounts;
}

// Issue 11 (D3): a department with four- and five-digit 万元 amounts in
// every column of 表7 (fourteen columns). Its amounts used to wrap inside
// their cells ("1326." over "90"); now the table is set smaller and every
// amount is one word in the text a reader's tools extract.
TEST(RenderPdf, WideTablesNeverSplitAnAmount) {
  const v1::ReportInput input = testdata::CultureBureauReportInput();
  absl::StatusOr<Document> document = BuildDisclosure(input);
  ASSERT_TRUE(document.ok()) << document.status();
  absl::StatusOr<std::string> bytes = RenderPdf(*document, ReferenceOptions());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const PdfFile pdf(*bytes, "culture-bureau");
  const std::vector<std::string> amounts = LargeTableAmounts(input);
  ASSERT_GE(amounts.size(), 100u);  // many, in every table but 表4
  const std::string text = pdf.Text();
  EXPECT_THAT(MissingAmounts(text, amounts), ::testing::IsEmpty());
  // 表7's 合计 row, whole and on one line: 67924.70 … 1357.90 万元.
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(合计\s+67924\.70\s+3365\.90\s+32461\.90\s+12345\.60)")))
      << "表7's 合计 row is not one line";
}

// A table too wide for the page even at the smallest size (fourteen amount
// columns of 1234567.89 万元) is printed as column groups, each opening with
// the code and name columns; still no amount wraps.
TEST(RenderPdf, TooWideTableIsSplitIntoColumnGroups) {
  Document document;
  document.title = "宽表测试";
  document.AddHeading(1, "宽表测试", "top");
  document.AddHeading(2, "第一部分 宽表", "part-1");
  Table table;
  table.title = "表7 宽表测试收入表";
  table.anchor = "table-7";
  Row header = {TextCell("科目编码"), TextCell("科目名称")};
  for (int c = 1; c <= 14; ++c) header.push_back(TextCell("来源" + std::to_string(c)));
  table.header.push_back(header);
  std::vector<std::string> amounts;
  for (int r = 1; r <= 3; ++r) {
    Row row = {TextCell(std::to_string(2012900 + r)), TextCell("支出事项" + std::to_string(r))};
    for (int c = 1; c <= 14; ++c) {
      const int64_t fen = (123'456'789 + 111 * c + r) * int64_t{10'000};  // 1234567.89+ 万元
      row.push_back(WanYuanCell(fen));
      amounts.push_back(FormatWanYuan(fen));
    }
    table.body.push_back(std::move(row));
  }
  document.AddTable(std::move(table));
  absl::StatusOr<std::string> bytes = RenderPdf(document, ReferenceOptions());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const PdfFile pdf(*bytes, "split-table");
  const std::string text = pdf.Text();
  EXPECT_THAT(MissingAmounts(text, amounts), ::testing::IsEmpty());
  EXPECT_THAT(text, HasSubstr("表7 宽表测试收入表（续）"));
  // Every group repeats what the rows are.
  size_t names = 0;
  for (size_t at = text.find("支出事项1"); at != std::string::npos; at = text.find("支出事项1", at + 1)) ++names;
  EXPECT_GE(names, 2u);
  EXPECT_THAT(text, HasSubstr("来源1"));
  EXPECT_THAT(text, HasSubstr("来源14"));
}

TEST(RenderPdf, ReferenceHasEveryFigure) {
  const PdfFile pdf(RenderReferencePdf());
  const std::string text = pdf.Text();
  const std::string squeezed = Squeeze(text);
  for (const char* figure :
       {"415.51", "156.71", "258.80", "146.70", "120.38", "26.32", "10.01", "37.72%", "62.28%", "238.00", "20.80",
        "8.29", "2.04%", "407.22", "201.03", "2380000.00", "208000.00", "卫生健康支出(类)"}) {
    EXPECT_THAT(text, HasSubstr(figure)) << figure;
  }
  EXPECT_THAT(squeezed, HasSubstr(Squeeze("比 2020 年预算增加 8.29 万元，增长 2.04%")));
  for (const std::string& goal : testdata::AnnualGoalTexts()) {
    EXPECT_THAT(squeezed, HasSubstr(Squeeze(goal))) << goal;
  }
  // The reference document's wrong comparison (E1).
  EXPECT_THAT(text, Not(HasSubstr("206.19")));
  // Parts, tables with their 编制单位 / 单位 lines.
  for (const char* line :
       {"第一部分 区科协概况", "第二部分 区科协 2021 年部门预算表", "第三部分 区科协 2021 年部门预算情况说明",
        "第四部分 名词解释", "表1 区科协2021年财政拨款收支预算总表", "编制单位：武汉市青山区科学技术协会", "单位：万元",
        "金额单位：元", "咨询电话：68865155"}) {
    EXPECT_THAT(squeezed, HasSubstr(Squeeze(line))) << line;
  }
  // Personal data stays off by default.
  EXPECT_THAT(text, Not(HasSubstr("洪凡")));
}

TEST(RenderPdf, TitlePageThenContents) {
  const PdfFile pdf(RenderReferencePdf());
  const std::string title = Squeeze(pdf.PageText(1));
  EXPECT_THAT(title, HasSubstr("区科协2021年部门预算"));
  EXPECT_THAT(title, HasSubstr("武汉市青山区科学技术协会"));
  EXPECT_THAT(title, HasSubstr("预算年度：2021"));
  EXPECT_THAT(title, Not(HasSubstr("第1页")));  // no footer on the title page
  EXPECT_THAT(Squeeze(pdf.PageText(2)), HasSubstr("目录"));
}

// Each TOC line ends with a page number, and the entry is on that page.
TEST(RenderPdf, TableOfContentsGivesTheRightPages) {
  const PdfFile pdf(RenderReferencePdf(), "reference");
  const std::string toc = pdf.PageText(2);
  std::vector<std::string> titles = {"第一部分 区科协概况", "第二部分 区科协 2021 年部门预算表",
                                     "第三部分 区科协 2021 年部门预算情况说明", "第四部分 名词解释"};
  for (const char* table : {"表1 区科协2021年财政拨款收支预算总表", "表2 区科协2021年一般公共预算支出表",
                            "表3 区科协2021年一般公共预算基本支出表", "表4 区科协2021年一般公共预算“三公”经费支出表",
                            "表5 区科协2021年政府性基金预算支出表", "表6 区科协2021年部门收支总表",
                            "表7 区科协2021年部门收入总表", "表8 区科协2021年部门支出总表",
                            "表9 区科协2021年部门整体支出绩效目标表", "表10 区科协2021年部门项目支出绩效目标表"}) {
    titles.push_back(table);
  }
  const int pages = pdf.Pages();
  for (const std::string& title : titles) {
    std::smatch match;
    const std::regex line(std::regex_replace(title, std::regex(R"([()])"), R"(\$&)") + R"(\s+(\d+)\s*\n)");
    ASSERT_TRUE(std::regex_search(toc, match, line)) << title << "\n" << toc;
    const int page = std::stoi(match[1]);
    EXPECT_GT(page, 2) << title;
    EXPECT_LE(page, pages) << title;
    EXPECT_THAT(Squeeze(pdf.PageText(page)), HasSubstr(Squeeze(title))) << title << " should be on page " << page;
  }
}

TEST(RenderPdf, LongTableRepeatsItsHeaderOnEveryPage) {
  constexpr int kRows = 120;
  absl::StatusOr<std::string> bytes = RenderPdf(LongTableDocument(kRows), ReferenceOptions());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const PdfFile pdf(*bytes, "long-table");
  const int pages = pdf.Pages();
  // Title page, 目录, then the table over at least three pages.
  ASSERT_GE(pages, 5);
  EXPECT_THAT(pdf.PageText(2), HasSubstr("第 2 页 共 " + std::to_string(pages) + " 页"));
  const std::string toc = pdf.PageText(2);
  EXPECT_TRUE(std::regex_search(toc, std::regex(R"(表1 长表测试支出表\s+3\s*\n)"))) << toc;

  std::string all_rows;
  for (int page = 3; page <= pages; ++page) {
    const std::string text = pdf.PageText(page);
    SCOPED_TRACE("page " + std::to_string(page) + ":\n" + text);
    // Both header rows, the merged group cell and the cells under it.
    for (const char* header : {"科目编码", "科目名称", "合计", "基本支出", "项目支出", "人员经费", "公用经费"}) {
      EXPECT_THAT(text, HasSubstr(header));
    }
    EXPECT_THAT(text, HasSubstr("第 " + std::to_string(page) + " 页 共 " + std::to_string(pages) + " 页"));
    all_rows += text;
  }
  // The title, 编制单位 and 单位 lines open the table once.
  EXPECT_THAT(pdf.PageText(3), HasSubstr("表1 长表测试支出表"));
  EXPECT_THAT(pdf.PageText(3), HasSubstr("编制单位：测试单位"));
  EXPECT_THAT(pdf.PageText(3), HasSubstr("单位：万元"));
  EXPECT_THAT(pdf.PageText(4), Not(HasSubstr("编制单位")));
  // Every row exactly once, in order, its amounts right-aligned on it.
  size_t at = 0;
  for (int i = 1; i <= kRows; ++i) {
    char label[32];
    std::snprintf(label, sizeof label, "支出事项%03d", i);
    const size_t found = all_rows.find(label, at);
    ASSERT_NE(found, std::string::npos) << label;
    EXPECT_EQ(all_rows.find(label, found + 1), std::string::npos) << label;
    at = found;
  }
  EXPECT_THAT(all_rows, HasSubstr("2010120"));
  // Row 120: 3 × 120 × 1234.56 元 = 44.44 万元; 120 × 1234.56 元 = 14.81 万元.
  EXPECT_TRUE(std::regex_search(all_rows, std::regex(R"(2010120\s+支出事项120\s+44\.44\s+14\.81\s+14\.81\s+14\.81)")))
      << "row 120 not laid out as one line";
  EXPECT_THAT(pdf.PageText(pages), HasSubstr("表后说明。"));
}

TEST(RenderPdf, SameInputSameBytes) {
  const std::string first = RenderReferencePdf();
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, RenderReferencePdf());
  // The machine's time zone does not leak into the bytes.
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz == nullptr ? "" : old_tz;
  setenv("TZ", "Asia/Shanghai", 1);
  tzset();
  const std::string shanghai = RenderReferencePdf();
  if (old_tz == nullptr) {
    unsetenv("TZ");
  } else {
    setenv("TZ", saved.c_str(), 1);
  }
  tzset();
  EXPECT_EQ(first, shanghai);
  // cairo writes no random document /ID; the dates are the publish time.
  EXPECT_THAT(first, Not(HasSubstr("/ID")));
  EXPECT_THAT(first, HasSubstr("/CreationDate (20210127080000Z)"));
  EXPECT_THAT(first, HasSubstr("/ModDate (20210127080000Z)"));

  // Another publish time changes the dates and nothing else of the layout.
  PdfOptions later = ReferenceOptions();
  later.publish_time_unix_ms = kPublishMs + 86'400'000;
  absl::StatusOr<Document> document = BuildDisclosure(ReferenceReportInput());
  ASSERT_TRUE(document.ok());
  absl::StatusOr<std::string> other = RenderPdf(*document, later);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, first);
  EXPECT_EQ(other->size(), first.size());
  EXPECT_THAT(*other, HasSubstr("/CreationDate (20210128080000Z)"));
}

TEST(RenderPdf, A4AndThePageCountOfTheFooters) {
  const PdfFile pdf(RenderReferencePdf());
  const std::string info = pdf.Info();
  EXPECT_THAT(info, HasSubstr("Page size:       595.28 x 841.89 pts (A4)"));
  EXPECT_THAT(info, HasSubstr("CreationDate:    Wed Jan 27 08:00:00 2021 UTC"));
  EXPECT_THAT(info, HasSubstr("Author:          武汉市青山区科学技术协会"));
  EXPECT_THAT(info, HasSubstr("Title:           武汉市青山区科学技术协会2021年部门预算"));
  const int pages = pdf.Pages();
  ASSERT_GT(pages, 3);
  const std::string total = " 共 " + std::to_string(pages) + " 页";
  for (int page = 2; page <= pages; ++page) {
    EXPECT_THAT(pdf.PageText(page), HasSubstr("第 " + std::to_string(page) + " 页" + total)) << "page " << page;
  }
  // Every page is A4 portrait.
  const std::string sizes = pdf.Info(true);
  for (int page = 1; page <= pages; ++page) {
    EXPECT_TRUE(std::regex_search(
        sizes, std::regex("Page +" + std::to_string(page) + R"( size: +595\.28 x 841\.89 pts \(A4\))")))
        << "page " << page;
  }
}

TEST(RenderPdf, OutlineAndLinks) {
  const std::string bytes = RenderReferencePdf();
  EXPECT_THAT(bytes, HasSubstr("/Type /Outlines"));
  EXPECT_THAT(bytes, HasSubstr("/Subtype /Link"));
  // "第一部分" as the UTF-16BE outline title cairo writes.
  EXPECT_THAT(bytes, HasSubstr("<FEFF7B2C4E0090E85206"));
  // The fonts are embedded subsets of Noto Sans CJK SC, and nothing else.
  const std::string fonts = PdfFile(bytes).Fonts();
  EXPECT_THAT(fonts, HasSubstr("NotoSansCJKsc-Regular"));
  EXPECT_THAT(fonts, HasSubstr("NotoSansCJKsc-Bold"));
  EXPECT_THAT(fonts, Not(HasSubstr("Serif")));
  EXPECT_THAT(fonts, Not(HasSubstr(" no ")));  // every font embedded
  EXPECT_THAT(fonts, Not(HasSubstr("DejaVu")));
}

// Each thread keeps its font map from one render to the next (the fonts
// stay loaded): what earlier renders on a thread loaded, in another face or
// language, never changes a later render's bytes.
TEST(RenderPdf, AThreadsEarlierRendersDoNotChangeTheBytes) {
  absl::StatusOr<Document> reference = BuildDisclosure(ReferenceReportInput());
  ASSERT_TRUE(reference.ok());
  auto on_a_new_thread = [](const std::function<void()>& work) { std::thread(work).join(); };
  std::string cold;
  on_a_new_thread([&] { cold = RenderPdf(*reference, ReferenceOptions()).value_or(""); });
  ASSERT_FALSE(cold.empty());
  std::string warm;
  on_a_new_thread([&] {
    PdfOptions serif = ReferenceOptions();
    serif.serif_body = true;
    ASSERT_TRUE(RenderPdf(*reference, serif).ok());
    Document english = LongTableDocument(200);
    english.lang = "en";
    ASSERT_TRUE(RenderPdf(english, ReferenceOptions()).ok());
    warm = RenderPdf(*reference, ReferenceOptions()).value_or("");
  });
  EXPECT_TRUE(warm == cold) << "a render after others on its thread differs from the same render on a fresh thread ("
                            << warm.size() << " and " << cold.size() << " bytes)";
}

TEST(RenderPdf, SerifBodyOnRequest) {
  absl::StatusOr<Document> document = BuildDisclosure(ReferenceReportInput());
  ASSERT_TRUE(document.ok());
  PdfOptions options = ReferenceOptions();
  options.serif_body = true;
  absl::StatusOr<std::string> bytes = RenderPdf(*document, options);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const PdfFile pdf(*bytes, "reference-serif");
  EXPECT_THAT(pdf.Fonts(), HasSubstr("NotoSerifCJKsc-Regular"));
  EXPECT_THAT(Squeeze(pdf.Text()), HasSubstr(Squeeze("比 2020 年预算增加 8.29 万元，增长 2.04%")));
  EXPECT_EQ(*bytes, *RenderPdf(*document, options));
}

// Not a benchmark (bench/ has those): prints the time per page so a
// regression is visible, and fails only when rendering is wildly slow.
TEST(RenderPdf, RenderTimePerPage) {
  absl::StatusOr<Document> reference = BuildDisclosure(ReferenceReportInput());
  ASSERT_TRUE(reference.ok());
  const Document long_table = LongTableDocument(600);
  for (const auto& [name, document] :
       {std::pair<const char*, const Document*>{"reference", &*reference}, {"600-row table", &long_table}}) {
    // Wall time, and this thread's CPU time (less disturbed when other
    // work shares the machine).
    const auto cpu_ms = [] {
      timespec t;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
      return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
    };
    std::vector<double> ms;
    std::vector<double> cpu;
    std::string bytes;
    for (int run = 0; run < 7; ++run) {
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = cpu_ms();
      absl::StatusOr<std::string> pdf = RenderPdf(*document, ReferenceOptions());
      cpu.push_back(cpu_ms() - cpu_start);
      const auto stop = std::chrono::steady_clock::now();
      ASSERT_TRUE(pdf.ok()) << pdf.status();
      bytes = *pdf;
      ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    const int pages = PdfFile(bytes).Pages();
    ASSERT_GT(pages, 0);
    const double per_page = ms[ms.size() / 2] / pages;
    std::printf(
        "[ PDF      ] %s: %d pages, %zu bytes, median %.1f ms wall "
        "(%.2f ms/page), %.1f ms CPU (%.2f ms/page)\n",
        name, pages, bytes.size(), ms[ms.size() / 2], per_page, cpu[cpu.size() / 2], cpu[cpu.size() / 2] / pages);
    RecordProperty(std::string(name) == "reference" ? "reference_ms_per_page" : "long_table_ms_per_page",
                   std::to_string(per_page));
    EXPECT_LT(per_page, 100.0) << name;
  }
}

TEST(RenderPdf, RefusesWhatItCannotRenderFaithfully) {
  Document document = LongTableDocument(3);
  PdfOptions options = ReferenceOptions();
  options.publish_time_unix_ms = 0;
  EXPECT_EQ(RenderPdf(document, options).status().code(), absl::StatusCode::kInvalidArgument);
  options = ReferenceOptions();
  document.AddParagraph("bad \xff\xfe text");
  const auto bad = RenderPdf(document, options);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("UTF-8"));
}

TEST(RenderPdf, EmptyAndOddTablesStillRender) {
  Document document;
  document.title = "边界情况";
  Table empty;
  empty.title = "表5 空表";
  empty.anchor = "table-5";
  empty.header.push_back({TextCell("科目编码"), TextCell("科目名称"), TextCell("金额")});
  empty.note = "本部门无政府性基金预算安排的支出，此表为空表。";
  document.AddTable(empty);
  Table nothing;  // no rows at all
  nothing.title = "无行表";
  nothing.note = "此表无数据，为空表。";
  document.AddTable(nothing);
  Table ragged;  // rows of different length, a span past the end
  ragged.body.push_back({TextCell("一"), TextCell("二"), TextCell("三")});
  ragged.body.push_back({TextCell("跨两行", 1, 5)});
  Table tall;  // one cell taller than a page
  tall.style = TableStyle::kForm;
  std::string long_text;
  for (int i = 0; i < 400; ++i) long_text += "很长的说明文字第" + std::to_string(i) + "句。";
  tall.body.push_back({LabelCell("说明"), TextCell(long_text)});
  document.AddTable(ragged);
  document.AddTable(tall);
  absl::StatusOr<std::string> bytes = RenderPdf(document, ReferenceOptions());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const PdfFile pdf(*bytes, "odd-tables");
  // Without the footers, so that text cut by a page end joins up.
  const std::string text = std::regex_replace(Squeeze(pdf.Text()), std::regex("第\\d+页共\\d+页"), "");
  EXPECT_THAT(text, HasSubstr("本部门无政府性基金预算安排的支出，此表为空表。"));
  EXPECT_THAT(text, HasSubstr("此表无数据，为空表。"));
  EXPECT_THAT(text, HasSubstr("跨两行"));
  // Every sentence of the cell taller than a page is there, once.
  for (int i = 0; i < 400; ++i) {
    const std::string sentence = "很长的说明文字第" + std::to_string(i) + "句。";
    const size_t found = text.find(sentence);
    ASSERT_NE(found, std::string::npos) << sentence;
  }
  EXPECT_GE(pdf.Pages(), 4);
}

}  // namespace
}  // namespace yusuan::report
