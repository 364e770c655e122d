// The PDF's text, set by pango in the Noto CJK fonts: the font map and
// context every render gets for itself, the fonts by face, weight and size,
// line breaking, and the measured lines of each block of text (where every
// line starts, ends and sits), which the page layout places and the writer
// draws. Everything pango is here; the layout code above it sees lengths.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_PDF_TYPESETTER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_PDF_TYPESETTER_H_

#include <cairo.h>
#include <pango/pangocairo.h>

#include <deque>
#include <map>
#include <memory>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "services/report/domain/document.h"
#include "services/report/domain/pdf_table_layout.h"

namespace yusuan::report::pdf {

struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct FontDescriptionFree {
  void operator()(PangoFontDescription* description) const { pango_font_description_free(description); }
};
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;

struct Font {
  bool serif = false;
  bool bold = false;
  double size = 10.5;
};

struct TextStyle {
  Font font;
  Align align = Align::kLeft;
  double indent = 0;  // first-line indent, pt
  bool justify = false;
  double spacing = 0;  // pango line-spacing factor; 0 = the font's own
  double gray = 0;     // text colour, 0 = black
  // Extra width of every ASCII space, pt: widens the narrow CJK-font space
  // so that text extractors (pdftotext -layout) keep it.
  double space_extra = 0;
};

// The sans face at `size`: what titles, tables and the TOC are set in.
TextStyle Sans(double size, bool bold = false, Align align = Align::kLeft);

// One pango layout and where its lines are: line i spans [tops[i],
// tops[i + 1]) in layout coordinates, starts at lefts[i] (alignment and
// indent), ends at rights[i] and sits on baselines[i].
struct TextBlock {
  GPtr<PangoLayout> layout;
  std::vector<double> tops;
  std::vector<double> lefts;
  std::vector<double> rights;
  std::vector<double> baselines;
  double natural_width = 0;  // widest line before any wrapping
  double gray = 0;
  Align align = Align::kLeft;
  bool indented = false;
  int lines() const { return static_cast<int>(tops.size()) - 1; }
  double height() const { return tops.back() - tops.front(); }
  // Offset of line i's top from the block's top.
  double top(int i) const { return tops[static_cast<size_t>(i)] - tops.front(); }
};

class Typesetter {
 public:
  // The calling thread's font map (its fonts stay loaded from one render to
  // the next on the thread; no other thread uses it) and a context of the
  // render's own, set up for `cr`'s surface at 72 dpi without hinting, so
  // that text measures the same whatever the screen.
  // FAILED_PRECONDITION when fontconfig would substitute another family
  // for Noto Sans CJK SC (or Noto Serif CJK SC with `serif`).
  static absl::StatusOr<std::unique_ptr<Typesetter>> Create(cairo_t* cr, std::string_view lang, bool serif);

  Typesetter(const Typesetter&) = delete;
  Typesetter& operator=(const Typesetter&) = delete;

  // `text` laid out without a width (lines break only at '\n'). The block
  // lives as long as the typesetter.
  TextBlock* Make(std::string_view text, const TextStyle& style);
  // `text` wrapped to `width` points (its natural width is not measured).
  TextBlock* Make(std::string_view text, const TextStyle& style, double width);

  // Wraps a block to `width` points. Text that already fits keeps its
  // layout and is only aligned within the width (pango would lay it out
  // again, the biggest cost for tables of short cells); so does `whole`
  // text (an amount), which the column widths leave room for.
  void Fit(TextBlock* block, double width, bool whole = false);

 private:
  Typesetter(GPtr<PangoFontMap> font_map, GPtr<PangoContext> context);

  TextBlock* Create(std::string_view text, const TextStyle& style);
  PangoFontDescription* Description(const Font& font);

  GPtr<PangoFontMap> font_map_;
  GPtr<PangoContext> context_;
  std::map<std::tuple<bool, bool, double>, FontDescriptionPtr> fonts_;
  std::deque<TextBlock> blocks_;  // stable addresses
};

// Draws lines [first, last) of a block with the top of line `first` at
// (x, y), in the current source colour.
void DrawLines(cairo_t* cr, const TextBlock& block, int first, int last, double x, double y);

// The table layout's text (pdf_table_layout.h) set by a Typesetter: each
// handle is a block of the typesetter's.
class TableTypesetter : public pdf_layout::CellTypesetter {
 public:
  explicit TableTypesetter(Typesetter& typesetter) : typesetter_(typesetter) {}

  pdf_layout::SetText Set(std::string_view text, const pdf_layout::CellFont& font) override;
  std::vector<double> Wrap(size_t handle, double width, bool whole) override;
  double LineHeight(double size) override;

  const TextBlock* block(size_t handle) const { return blocks_[handle]; }

 private:
  Typesetter& typesetter_;
  std::vector<TextBlock*> blocks_;
};

}  // namespace yusuan::report::pdf

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_PDF_TYPESETTER_H_
