#include "services/ledger/domain/rollup.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/ledger/domain/economic_classes.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/units.h"

namespace yusuan::ledger {
namespace {

template <typename Key>
void AddTo(google::protobuf::Map<Key, int64_t>& map, const Key& key, int64_t amount) {
  if (amount != 0) map[key] += amount;
}

bool IsBasicKind(v1::ExpenditureKind kind) {
  return kind == v1::EXPENDITURE_KIND_BASIC_PERSONNEL || kind == v1::EXPENDITURE_KIND_BASIC_PUBLIC;
}

// a + sign × b into `out`; false when it leaves int64.
bool Combine(int64_t a, int sign, int64_t b, int64_t& out) {
  return sign > 0 ? !__builtin_add_overflow(a, b, &out) : !__builtin_sub_overflow(a, b, &out);
}

// Whether CombineMaps(from, sign, into) would keep every sum within int64.
template <typename Key>
bool MapsCombine(const google::protobuf::Map<Key, int64_t>& from, int sign,
                 const google::protobuf::Map<Key, int64_t>& into) {
  for (const auto& [key, amount] : from) {
    auto found = into.find(key);
    int64_t sum = 0;
    if (!Combine(found == into.end() ? 0 : found->second, sign, amount, sum)) return false;
  }
  return true;
}

template <typename Key>
bool CombineMaps(const google::protobuf::Map<Key, int64_t>& from, int sign, google::protobuf::Map<Key, int64_t>& into) {
  for (const auto& [key, amount] : from) {
    auto found = into.find(key);
    int64_t sum = 0;
    if (!Combine(found == into.end() ? 0 : found->second, sign, amount, sum)) return false;
    if (sum == 0) {
      if (found != into.end()) into.erase(found);
    } else {
      into[key] = sum;
    }
  }
  return true;
}

bool CombineCosts(const v1::ThreePublicCosts& from, int sign, v1::ThreePublicCosts& into) {
  int64_t overseas = 0, purchase = 0, operation = 0, reception = 0, total = 0, vehicle_total = 0;
  if (!Combine(into.overseas_fen(), sign, from.overseas_fen(), overseas) ||
      !Combine(into.vehicle_purchase_fen(), sign, from.vehicle_purchase_fen(), purchase) ||
      !Combine(into.vehicle_operation_fen(), sign, from.vehicle_operation_fen(), operation) ||
      !Combine(into.reception_fen(), sign, from.reception_fen(), reception) ||
      !Combine(into.total_fen(), sign, from.total_fen(), total) ||
      !Combine(into.vehicle_total_fen(), sign, from.vehicle_total_fen(), vehicle_total)) {
    return false;
  }
  into.set_overseas_fen(overseas);
  into.set_vehicle_purchase_fen(purchase);
  into.set_vehicle_operation_fen(operation);
  into.set_reception_fen(reception);
  into.set_total_fen(total);
  into.set_vehicle_total_fen(vehicle_total);
  return true;
}

// Rows of `amounts` (code → 分) in code order, a parent before its children
// (a shorter code sorts before the codes it prefixes), level by code length.
std::vector<v1::RollupRow> CodeRows(const google::protobuf::Map<std::string, int64_t>& amounts,
                                    const std::string* (Catalogue::*name_of)(std::string_view) const,
                                    const Catalogue* catalogue) {
  std::map<std::string, int64_t> ordered(amounts.begin(), amounts.end());
  std::vector<v1::RollupRow> rows;
  for (const auto& [code, amount] : ordered) {
    v1::RollupRow& row = rows.emplace_back();
    row.set_code(code);
    if (catalogue != nullptr) {
      if (const std::string* name = (catalogue->*name_of)(code); name != nullptr) row.set_name(*name);
    }
    row.set_level(code.size() <= 3 ? 1 : code.size() <= 5 ? 2 : 3);
    row.set_amount_fen(amount);
  }
  return rows;
}

template <typename Enum, typename NameOf, typename LabelOf>
std::vector<v1::RollupRow> EnumRows(const google::protobuf::Map<int32_t, int64_t>& amounts, NameOf name_of,
                                    LabelOf label_of) {
  std::map<int32_t, int64_t> ordered(amounts.begin(), amounts.end());
  std::vector<v1::RollupRow> rows;
  for (const auto& [number, amount] : ordered) {
    const auto value = static_cast<Enum>(number);
    v1::RollupRow& row = rows.emplace_back();
    row.set_code(name_of(value));
    if (row.code().empty()) row.set_code(absl::StrCat(number));
    row.set_name(label_of(value));
    row.set_amount_fen(amount);
  }
  return rows;
}

}  // namespace

std::string ExpenditureKindLabel(v1::ExpenditureKind kind) {
  switch (kind) {
    case v1::EXPENDITURE_KIND_BASIC_PERSONNEL:
      return "基本支出·人员经费";
    case v1::EXPENDITURE_KIND_BASIC_PUBLIC:
      return "基本支出·公用经费";
    case v1::EXPENDITURE_KIND_PROJECT:
      return "项目支出";
    case v1::EXPENDITURE_KIND_REMIT_TO_SUPERIOR:
      return "上缴上级支出";
    case v1::EXPENDITURE_KIND_OPERATING:
      return "事业单位经营支出";
    case v1::EXPENDITURE_KIND_SUBSIDY_TO_SUBSIDIARY:
      return "对附属单位补助支出";
    default:
      return "";
  }
}

v1::RollupTotals ContributionOf(const v1::Department& department, const v1::Budget& budget) {
  v1::RollupTotals totals;
  totals.set_budget_count(1);
  int64_t income = 0;
  for (const v1::IncomeLine& line : budget.income_lines()) {
    income += line.amount_fen();
    AddTo(*totals.mutable_income_by_source_fen(), static_cast<int32_t>(line.source()), line.amount_fen());
  }
  totals.set_income_fen(income);
  int64_t expenditure = 0;
  int64_t machinery_operating = 0;
  for (const v1::ExpenditureLine& line : budget.expenditure_lines()) {
    const int64_t amount = line.amount_fen();
    expenditure += amount;
    const std::string& functional = line.functional_code();
    for (size_t length : {3, 5, 7}) {
      if (functional.size() >= length) AddTo(*totals.mutable_functional_fen(), functional.substr(0, length), amount);
    }
    const std::string& economic = line.economic_code();
    for (size_t length : {3, 5}) {
      if (economic.size() >= length) AddTo(*totals.mutable_economic_fen(), economic.substr(0, length), amount);
    }
    AddTo(*totals.mutable_expenditure_by_source_fen(), static_cast<int32_t>(line.fund_source()), amount);
    AddTo(*totals.mutable_expenditure_by_kind_fen(), static_cast<int32_t>(line.kind()), amount);
    // As ComputeTables counts it: 一般公共预算 基本支出 of the office-running
    // classes, spent by a unit that runs an office.
    if (line.fund_source() == v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET && IsBasicKind(line.kind()) &&
        IsOneOf(kOfficeRunningClasses, EconomicClassOf(economic)) &&
        RunsAnOffice(UnitTypeOf(department, line.unit_code()))) {
      machinery_operating += amount;
    }
  }
  totals.set_expenditure_fen(expenditure);
  totals.set_machinery_operating_fen(machinery_operating);
  const v1::ThreePublicCosts& stated = budget.three_public().current();
  v1::ThreePublicCosts* costs = totals.mutable_three_public();
  costs->set_overseas_fen(stated.overseas_fen());
  costs->set_vehicle_purchase_fen(stated.vehicle_purchase_fen());
  costs->set_vehicle_operation_fen(stated.vehicle_operation_fen());
  costs->set_reception_fen(stated.reception_fen());
  costs->set_vehicle_total_fen(stated.vehicle_purchase_fen() + stated.vehicle_operation_fen());
  costs->set_total_fen(stated.overseas_fen() + costs->vehicle_total_fen() + stated.reception_fen());
  // Absent as in a sum that reached 0 (AddTotals), so equal totals are equal messages.
  if (costs->total_fen() == 0 && costs->overseas_fen() == 0 && costs->vehicle_purchase_fen() == 0 &&
      costs->vehicle_operation_fen() == 0 && costs->reception_fen() == 0) {
    totals.clear_three_public();
  }
  return totals;
}

namespace {

absl::Status SumTooLarge() {
  return absl::OutOfRangeError(
      "地区汇总金额超出可表示的范围（±9.2×10¹⁸ 分）/ a region's roll-up would pass the largest amount it can "
      "hold (±9.2×10¹⁸ fen); check the amounts of this budget");
}

// The scalar sums of `into` += sign × `from` (counts, totals, 三公经费),
// computed whole before anything changes; false when one leaves int64.
struct ScalarSums {
  int64_t count = 0, income = 0, expenditure = 0, machinery = 0;
  v1::ThreePublicCosts costs;
};
template <typename Sums>
bool CombineScalars(const v1::RollupTotals& from, int sign, const Sums& into, ScalarSums& out) {
  out.costs = into.three_public();
  return Combine(into.budget_count(), sign, from.budget_count(), out.count) &&
         Combine(into.income_fen(), sign, from.income_fen(), out.income) &&
         Combine(into.expenditure_fen(), sign, from.expenditure_fen(), out.expenditure) &&
         Combine(into.machinery_operating_fen(), sign, from.machinery_operating_fen(), out.machinery) &&
         CombineCosts(from.three_public(), sign, out.costs);
}
template <typename Sums>
void SetScalars(ScalarSums& sums, Sums& into) {
  const v1::ThreePublicCosts& costs = sums.costs;
  if (costs.overseas_fen() == 0 && costs.vehicle_purchase_fen() == 0 && costs.vehicle_operation_fen() == 0 &&
      costs.reception_fen() == 0 && costs.total_fen() == 0 && costs.vehicle_total_fen() == 0) {
    into.clear_three_public();
  } else {
    *into.mutable_three_public() = std::move(sums.costs);
  }
  into.set_budget_count(sums.count);
  into.set_income_fen(sums.income);
  into.set_expenditure_fen(sums.expenditure);
  into.set_machinery_operating_fen(sums.machinery);
}

template <typename Entry>
bool KeyLess(const Entry* a, const Entry* b) {
  return a->key() < b->key();
}

// A list of RollupSums in key order (sums written as RollupTotals come in
// hash order).
template <typename Entry>
void PutInKeyOrder(google::protobuf::RepeatedPtrField<Entry>& list) {
  if (!std::is_sorted(list.pointer_begin(), list.pointer_end(), KeyLess<Entry>)) {
    std::sort(list.pointer_begin(), list.pointer_end(), KeyLess<Entry>);
  }
}

template <typename Key>
std::vector<std::pair<Key, int64_t>> InKeyOrder(const google::protobuf::Map<Key, int64_t>& map) {
  std::vector<std::pair<Key, int64_t>> entries;
  entries.reserve(map.size());
  for (const auto& [key, amount] : map) entries.emplace_back(key, amount);
  std::sort(entries.begin(), entries.end());
  return entries;
}

// Whether MergeList(list, from, sign) would keep every sum within int64.
template <typename Entry, typename Key>
bool ListFits(const google::protobuf::RepeatedPtrField<Entry>& list, const std::vector<std::pair<Key, int64_t>>& from,
              int sign) {
  int i = 0;
  for (const auto& [key, amount] : from) {
    while (i < list.size() && list.Get(i).key() < key) ++i;
    const int64_t current = i < list.size() && list.Get(i).key() == key ? list.Get(i).value() : 0;
    int64_t sum = 0;
    if (!Combine(current, sign, amount, sum)) return false;
  }
  return true;
}

// list += sign × from, both in key order, dropping entries that become 0:
// one pass over the list, then the new keys merged in.
template <typename Entry, typename Key>
void MergeList(const std::vector<std::pair<Key, int64_t>>& from, int sign,
               google::protobuf::RepeatedPtrField<Entry>& list) {
  const int old_size = list.size();
  int i = 0;
  bool zeros = false;
  for (const auto& [key, amount] : from) {
    while (i < old_size && list.Get(i).key() < key) ++i;
    const bool found = i < old_size && list.Get(i).key() == key;
    int64_t sum = 0;
    Combine(found ? list.Get(i).value() : 0, sign, amount, sum);
    if (found) {
      list.Mutable(i)->set_value(sum);
      zeros = zeros || sum == 0;
    } else if (sum != 0) {
      Entry* added = list.Add();
      added->set_key(key);
      added->set_value(sum);
    }
  }
  if (list.size() > old_size) {
    std::inplace_merge(list.pointer_begin(), list.pointer_begin() + old_size, list.pointer_end(), KeyLess<Entry>);
  }
  if (zeros) {
    int kept = 0;
    for (int k = 0; k < list.size(); ++k) {
      if (list.Get(k).value() != 0) list.SwapElements(kept++, k);
    }
    list.DeleteSubrange(kept, list.size() - kept);
  }
}

}  // namespace

absl::Status AddTotals(const v1::RollupTotals& from, int sign, v1::RollupTotals& into) {
  // Checked whole before anything changes, so a sum that would overflow
  // leaves `into` as it was; then changed in place: a region's sums hold
  // every code of its budgets, a budget's contribution a few dozen.
  ScalarSums scalars;
  const bool fits = CombineScalars(from, sign, into, scalars) &&
                    MapsCombine(from.functional_fen(), sign, into.functional_fen()) &&
                    MapsCombine(from.economic_fen(), sign, into.economic_fen()) &&
                    MapsCombine(from.income_by_source_fen(), sign, into.income_by_source_fen()) &&
                    MapsCombine(from.expenditure_by_source_fen(), sign, into.expenditure_by_source_fen()) &&
                    MapsCombine(from.expenditure_by_kind_fen(), sign, into.expenditure_by_kind_fen());
  if (!fits) return SumTooLarge();
  CombineMaps(from.functional_fen(), sign, *into.mutable_functional_fen());
  CombineMaps(from.economic_fen(), sign, *into.mutable_economic_fen());
  CombineMaps(from.income_by_source_fen(), sign, *into.mutable_income_by_source_fen());
  CombineMaps(from.expenditure_by_source_fen(), sign, *into.mutable_expenditure_by_source_fen());
  CombineMaps(from.expenditure_by_kind_fen(), sign, *into.mutable_expenditure_by_kind_fen());
  SetScalars(scalars, into);
  return absl::OkStatus();
}

absl::Status AddToRegionSums(const v1::RollupTotals& from, int sign, v1::RollupSums& into) {
  PutInKeyOrder(*into.mutable_functional_fen());
  PutInKeyOrder(*into.mutable_economic_fen());
  PutInKeyOrder(*into.mutable_income_by_source_fen());
  PutInKeyOrder(*into.mutable_expenditure_by_source_fen());
  PutInKeyOrder(*into.mutable_expenditure_by_kind_fen());
  const auto functional = InKeyOrder(from.functional_fen());
  const auto economic = InKeyOrder(from.economic_fen());
  const auto income_by_source = InKeyOrder(from.income_by_source_fen());
  const auto expenditure_by_source = InKeyOrder(from.expenditure_by_source_fen());
  const auto expenditure_by_kind = InKeyOrder(from.expenditure_by_kind_fen());
  ScalarSums scalars;
  const bool fits = CombineScalars(from, sign, into, scalars) && ListFits(into.functional_fen(), functional, sign) &&
                    ListFits(into.economic_fen(), economic, sign) &&
                    ListFits(into.income_by_source_fen(), income_by_source, sign) &&
                    ListFits(into.expenditure_by_source_fen(), expenditure_by_source, sign) &&
                    ListFits(into.expenditure_by_kind_fen(), expenditure_by_kind, sign);
  if (!fits) return SumTooLarge();
  MergeList(functional, sign, *into.mutable_functional_fen());
  MergeList(economic, sign, *into.mutable_economic_fen());
  MergeList(income_by_source, sign, *into.mutable_income_by_source_fen());
  MergeList(expenditure_by_source, sign, *into.mutable_expenditure_by_source_fen());
  MergeList(expenditure_by_kind, sign, *into.mutable_expenditure_by_kind_fen());
  SetScalars(scalars, into);
  return absl::OkStatus();
}

std::vector<std::string> RegionPrefixes(std::string_view region_code) {
  std::vector<std::string> prefixes;
  for (size_t length : {2, 4, 6}) {
    if (region_code.size() >= length) prefixes.emplace_back(region_code.substr(0, length));
  }
  return prefixes;
}

v1::Rollup PresentRollup(const v1::RollupTotals& totals, const Catalogue* catalogue) {
  v1::Rollup rollup;
  rollup.set_budget_count(totals.budget_count());
  rollup.set_income_fen(totals.income_fen());
  rollup.set_expenditure_fen(totals.expenditure_fen());
  int64_t basic = 0, project = 0;
  for (const auto& [kind, amount] : totals.expenditure_by_kind_fen()) {
    if (IsBasicKind(static_cast<v1::ExpenditureKind>(kind))) basic += amount;
    if (kind == v1::EXPENDITURE_KIND_PROJECT) project += amount;
  }
  rollup.set_basic_fen(basic);
  rollup.set_project_fen(project);
  for (auto& row : CodeRows(totals.functional_fen(), &Catalogue::FunctionalName, catalogue)) {
    *rollup.add_functional() = std::move(row);
  }
  for (auto& row : CodeRows(totals.economic_fen(), &Catalogue::EconomicName, catalogue)) {
    *rollup.add_economic() = std::move(row);
  }
  auto source_name = [](v1::FundSource source) { return v1::FundSource_Name(source); };
  auto kind_name = [](v1::ExpenditureKind kind) { return v1::ExpenditureKind_Name(kind); };
  for (auto& row : EnumRows<v1::FundSource>(totals.income_by_source_fen(), source_name, &FundSourceLabel)) {
    *rollup.add_income_by_source() = std::move(row);
  }
  for (auto& row : EnumRows<v1::FundSource>(totals.expenditure_by_source_fen(), source_name, &FundSourceLabel)) {
    *rollup.add_expenditure_by_source() = std::move(row);
  }
  for (auto& row : EnumRows<v1::ExpenditureKind>(totals.expenditure_by_kind_fen(), kind_name, &ExpenditureKindLabel)) {
    *rollup.add_expenditure_by_kind() = std::move(row);
  }
  *rollup.mutable_three_public() = totals.three_public();
  // Stated even when 0: a reader finds 合计 whatever the region spends.
  rollup.mutable_three_public()->set_total_fen(totals.three_public().total_fen());
  rollup.mutable_three_public()->set_vehicle_total_fen(totals.three_public().vehicle_total_fen());
  rollup.set_machinery_operating_fen(totals.machinery_operating_fen());
  return rollup;
}

}  // namespace yusuan::ledger
