// The floors the PDF and XLSX renderers are measured against: the same
// output made with the libraries alone, with none of Yusuan's work in it.
//
// RawPageDrawing: the pages Yusuan lays out, each text line drawn with pango
// and cairo directly from where it sits (one pango layout per line, the
// thread's default font map), each rule and fill as a cairo rectangle, into
// an in-memory PDF. What is left out is everything Yusuan decides: the
// document model, line breaking and measuring, table layout, pagination,
// the TOC, the outline and links.
//
// RawCellWriting: the cells of Yusuan's workbook (read back from its bytes),
// each string and number written with libxlsxwriter directly into the sheets
// of the same names, with no format, merge, width or height; the file is
// read back into memory, as the renderer does.
#ifndef YUSUAN_BENCH_RAW_BASELINES_H_
#define YUSUAN_BENCH_RAW_BASELINES_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/report/domain/document.h"
#include "services/report/domain/pdf_renderer.h"

namespace yusuan::bench {

class RawPageDrawing {
 public:
  // Lays out `document` as RenderPdf does and keeps what a program drawing
  // those pages by hand would hold: each line's text, font and position.
  static absl::StatusOr<RawPageDrawing> Capture(const report::Document& document, const report::PdfOptions& options);

  // Draws every page; returns the PDF's size in bytes (0 when cairo fails).
  size_t Draw() const;

  int pages() const { return static_cast<int>(pages_.size()); }
  size_t lines() const;

  struct Line {
    std::string text;
    std::string font;  // pango font description, e.g. "Noto Sans CJK SC Bold 10.5"
    double x = 0;      // start of the line's baseline
    double y = 0;
    double gray = 0;
  };
  struct Rect {
    double x, y, w, h, gray;
  };
  struct Page {
    std::vector<Rect> fills;
    std::vector<Rect> frames;
    std::vector<Line> lines;
  };

 private:
  std::vector<Page> pages_;
};

class RawCellWriting {
 public:
  // The sheets and non-blank cells of the workbook `xlsx`.
  static absl::StatusOr<RawCellWriting> Capture(const std::string& xlsx);

  // Writes the cells; returns the workbook's size in bytes.
  absl::StatusOr<size_t> Write() const;

  size_t cells() const;

  struct Cell {
    int row = 0;
    int column = 0;
    bool number = false;
    double value = 0;
    std::string text;
  };
  struct Sheet {
    std::string name;
    std::vector<Cell> cells;
  };

 private:
  std::vector<Sheet> sheets_;
};

}  // namespace yusuan::bench

#endif  // YUSUAN_BENCH_RAW_BASELINES_H_
