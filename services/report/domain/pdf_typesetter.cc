#include "services/report/domain/pdf_typesetter.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "services/report/domain/pdf_renderer.h"

namespace yusuan::report::pdf {
namespace {

double FromPango(int units) { return static_cast<double>(units) / PANGO_SCALE; }
int ToPango(double points) { return static_cast<int>(std::lround(points * PANGO_SCALE)); }

PangoAlignment PangoAlign(Align align) {
  switch (align) {
    case Align::kCenter:
      return PANGO_ALIGN_CENTER;
    case Align::kRight:
      return PANGO_ALIGN_RIGHT;
    case Align::kLeft:
      break;
  }
  return PANGO_ALIGN_LEFT;
}

// The one way a font is asked for, by the text and by the font check alike.
FontDescriptionPtr NewFontDescription(const char* family, PangoWeight weight, double size) {
  FontDescriptionPtr description(pango_font_description_new());
  pango_font_description_set_family(description.get(), family);
  pango_font_description_set_weight(description.get(), weight);
  pango_font_description_set_absolute_size(description.get(), size * PANGO_SCALE);
  return description;
}

// fontconfig silently substitutes another family for a missing one; the
// PDF must be set in Noto CJK, so ask what it would really use.
absl::Status CheckFonts(PangoFontMap* font_map, PangoContext* context, bool serif) {
  std::vector<const char*> families = {kPdfSansFamily};
  if (serif) families.push_back(kPdfSerifFamily);
  for (const char* family : families) {
    for (const PangoWeight weight : {PANGO_WEIGHT_NORMAL, PANGO_WEIGHT_BOLD}) {
      const FontDescriptionPtr wanted = NewFontDescription(family, weight, 10);
      GPtr<PangoFont> font(pango_font_map_load_font(font_map, context, wanted.get()));
      std::string got = "(none)";
      if (font != nullptr) {
        FontDescriptionPtr described(pango_font_describe(font.get()));
        const char* name = pango_font_description_get_family(described.get());
        if (name != nullptr) got = name;
      }
      if (g_ascii_strcasecmp(got.c_str(), family) != 0) {
        return absl::FailedPreconditionError(std::string("缺少 PDF 字体 ") + family +
                                             "（请安装 fonts-noto-cjk） / the PDF font " + family +
                                             " is not installed (apt-get install fonts-noto-cjk); fontconfig "
                                             "offers " +
                                             got);
      }
    }
  }
  return absl::OkStatus();
}

// Records where every line of the block's layout is.
void Measure(TextBlock& block) {
  block.tops.clear();
  block.lefts.clear();
  block.rights.clear();
  block.baselines.clear();
  PangoLayoutIter* iter = pango_layout_get_iter(block.layout.get());
  int bottom = 0;
  do {
    int y0 = 0;
    int y1 = 0;
    pango_layout_iter_get_line_yrange(iter, &y0, &y1);
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(iter, nullptr, &logical);
    block.tops.push_back(FromPango(y0));
    block.lefts.push_back(FromPango(logical.x));
    block.rights.push_back(FromPango(logical.x + logical.width));
    block.baselines.push_back(FromPango(pango_layout_iter_get_baseline(iter)));
    bottom = y1;
  } while (pango_layout_iter_next_line(iter));
  pango_layout_iter_free(iter);
  block.tops.push_back(FromPango(bottom));
}

// Lays the block out again within `width` points (at least one pango unit).
void WrapTo(TextBlock& block, double width) {
  pango_layout_set_width(block.layout.get(), std::max(ToPango(width), PANGO_SCALE));
  Measure(block);
}

}  // namespace

TextStyle Sans(double size, bool bold, Align align) {
  TextStyle style;
  style.font.size = size;
  style.font.bold = bold;
  style.align = align;
  return style;
}

absl::StatusOr<std::unique_ptr<Typesetter>> Typesetter::Create(cairo_t* cr, std::string_view lang, bool serif) {
  // The thread's own font map (pango keeps one per thread, never shared
  // with another): the fonts an earlier render on this thread loaded are
  // loaded still. A fresh map per render loaded Noto CJK again each time,
  // ~50 ms of a 120 ms reference PDF (bench/render_bench, raw drawing).
  GPtr<PangoFontMap> font_map(PANGO_FONT_MAP(g_object_ref(pango_cairo_font_map_get_default())));
  GPtr<PangoContext> context(pango_font_map_create_context(font_map.get()));
  pango_cairo_update_context(cr, context.get());
  pango_cairo_context_set_resolution(context.get(), 72.0);
  cairo_font_options_t* font_options = cairo_font_options_create();
  cairo_font_options_set_hint_style(font_options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(font_options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(context.get(), font_options);
  cairo_font_options_destroy(font_options);
  pango_context_set_round_glyph_positions(context.get(), FALSE);
  const std::string language(lang.empty() ? std::string_view("zh-CN") : lang);
  pango_context_set_language(context.get(), pango_language_from_string(language.c_str()));
  if (absl::Status status = CheckFonts(font_map.get(), context.get(), serif); !status.ok()) {
    return status;
  }
  return std::unique_ptr<Typesetter>(new Typesetter(std::move(font_map), std::move(context)));
}

Typesetter::Typesetter(GPtr<PangoFontMap> font_map, GPtr<PangoContext> context)
    : font_map_(std::move(font_map)), context_(std::move(context)) {}

TextBlock* Typesetter::Make(std::string_view text, const TextStyle& style) {
  TextBlock* block = Create(text, style);
  PangoRectangle logical;
  pango_layout_get_extents(block->layout.get(), nullptr, &logical);
  block->natural_width = FromPango(logical.width);
  Measure(*block);
  return block;
}

TextBlock* Typesetter::Make(std::string_view text, const TextStyle& style, double width) {
  TextBlock* block = Create(text, style);
  WrapTo(*block, width);
  return block;
}

void Typesetter::Fit(TextBlock* block, double width, bool whole) {
  if (!block->indented && (whole || block->natural_width <= width - 0.01)) {
    for (size_t i = 0; i < block->lefts.size(); ++i) {
      const double line = block->rights[i] - block->lefts[i];
      double left = 0;
      if (block->align == Align::kCenter) left = (width - line) / 2;
      if (block->align == Align::kRight) left = width - line;
      block->lefts[i] = left;
      block->rights[i] = left + line;
    }
    return;
  }
  WrapTo(*block, width);
}

TextBlock* Typesetter::Create(std::string_view text, const TextStyle& style) {
  TextBlock& block = blocks_.emplace_back();
  block.layout.reset(pango_layout_new(context_.get()));
  PangoLayout* layout = block.layout.get();
  pango_layout_set_font_description(layout, Description(style.font));
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout, PangoAlign(style.align));
  if (style.indent != 0) pango_layout_set_indent(layout, ToPango(style.indent));
  if (style.justify) pango_layout_set_justify(layout, TRUE);
  if (style.spacing > 0) {
    pango_layout_set_line_spacing(layout, static_cast<float>(style.spacing));
  }
  if (style.space_extra > 0) {
    PangoAttrList* attributes = pango_attr_list_new();
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != ' ') continue;
      PangoAttribute* wider = pango_attr_letter_spacing_new(ToPango(style.space_extra));
      wider->start_index = static_cast<guint>(i);
      wider->end_index = static_cast<guint>(i + 1);
      pango_attr_list_insert(attributes, wider);
    }
    pango_layout_set_attributes(layout, attributes);
    pango_attr_list_unref(attributes);
  }
  block.gray = style.gray;
  block.align = style.align;
  block.indented = style.indent != 0;
  return &block;
}

PangoFontDescription* Typesetter::Description(const Font& font) {
  const auto key = std::make_tuple(font.serif, font.bold, font.size);
  auto it = fonts_.find(key);
  if (it == fonts_.end()) {
    it = fonts_
             .emplace(key, NewFontDescription(font.serif ? kPdfSerifFamily : kPdfSansFamily,
                                              font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL, font.size))
             .first;
  }
  return it->second.get();
}

void DrawLines(cairo_t* cr, const TextBlock& block, int first, int last, double x, double y) {
  const double origin = block.tops[static_cast<size_t>(first)];
  GSList* line = pango_layout_get_lines_readonly(block.layout.get());
  for (int i = 0; i < last && line != nullptr; ++i, line = line->next) {
    if (i < first) continue;
    const size_t k = static_cast<size_t>(i);
    cairo_move_to(cr, x + block.lefts[k], y + block.baselines[k] - origin);
    pango_cairo_show_layout_line(cr, static_cast<PangoLayoutLine*>(line->data));
  }
}

pdf_layout::SetText TableTypesetter::Set(std::string_view text, const pdf_layout::CellFont& font) {
  TextStyle style = Sans(font.size, font.bold, font.align);
  TextBlock* block = typesetter_.Make(text, style);
  blocks_.push_back(block);
  return {blocks_.size() - 1, block->natural_width};
}

std::vector<double> TableTypesetter::Wrap(size_t handle, double width, bool whole) {
  TextBlock* block = blocks_[handle];
  typesetter_.Fit(block, width, whole);
  return block->tops;
}

double TableTypesetter::LineHeight(double size) { return typesetter_.Make("", Sans(size))->height(); }

}  // namespace yusuan::report::pdf
