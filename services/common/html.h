// Text in HTML: the one escaping the report's HTML renderer and the
// gateway's web pages use (element content and quoted attribute values).
#ifndef YUSUAN_SERVICES_COMMON_HTML_H_
#define YUSUAN_SERVICES_COMMON_HTML_H_

#include <string>
#include <string_view>

namespace yusuan {

inline std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_HTML_H_
