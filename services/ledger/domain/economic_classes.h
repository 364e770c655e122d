// The economic classes (类 of 部门预算支出经济分类) that make up the two parts
// of 基本支出 and 机关运行经费 (domain.md §2.3, §2.9), written once: the
// input rules (R-T3-5), the projection (机关运行经费) and the table checks
// (R-T3-2, R-T3-3, X8, X15) ask these instead of naming codes each.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_ECONOMIC_CLASSES_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_ECONOMIC_CLASSES_H_

#include <algorithm>
#include <array>
#include <string_view>

namespace yusuan::ledger {

// 人员经费: 301 工资福利支出, 303 对个人和家庭的补助.
inline constexpr std::array<std::string_view, 2> kPersonnelClasses = {"301", "303"};
// 公用经费: 302 商品和服务支出, 310 资本性支出, 399 其他支出.
inline constexpr std::array<std::string_view, 3> kPublicClasses = {"302", "310", "399"};
// 机关运行经费 is the 公用经费 of these classes spent by units that run an
// office (units.h RunsAnOffice).
inline constexpr std::array<std::string_view, 2> kOfficeRunningClasses = {"302", "310"};

// The class (3 digits) of an economic code ("30201" → "302"); "" when shorter.
inline std::string_view EconomicClassOf(std::string_view economic_code) {
  return economic_code.size() >= 3 ? economic_code.substr(0, 3) : std::string_view();
}

template <size_t N>
bool IsOneOf(const std::array<std::string_view, N>& classes, std::string_view economic_class) {
  return std::find(classes.begin(), classes.end(), economic_class) != classes.end();
}

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_ECONOMIC_CLASSES_H_
