// Debian 12's Abseil (20220623) is built with its own absl::string_view
// rather than an alias of std::string_view, so absl::StrCat, StrJoin and the
// escaping functions do not accept a std::string_view. The public API of
// this library speaks std::string_view; this converts at the call.
#ifndef YUSUAN_SERVICES_SECURITY_INTERNAL_ABSL_COMPAT_H_
#define YUSUAN_SERVICES_SECURITY_INTERNAL_ABSL_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace yusuan::security::internal {

inline absl::string_view ToAbsl(std::string_view text) { return absl::string_view(text.data(), text.size()); }

}  // namespace yusuan::security::internal

#endif  // YUSUAN_SERVICES_SECURITY_INTERNAL_ABSL_COMPAT_H_
