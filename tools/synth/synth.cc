#include "tools/synth/synth.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "services/goals/domain/indicator.h"
#include "tools/synth/profiles.h"

namespace yusuan::synth {

uint64_t Mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

uint64_t SplitMix64::Next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  return Mix64(state_);
}

namespace {

namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
using yusuan::ledger::Catalogue;
using yusuan::ledger::CatalogueSet;

constexpr int64_t kFenPerYuan = 100;
constexpr int64_t kFenPerWan = 1'000'000;
// domain magnitudes: a district department spends 50 万元 … 5 亿元.
constexpr int64_t kMinDepartmentFen = 50 * kFenPerWan;
constexpr int64_t kMaxDepartmentFen = 50'000 * kFenPerWan;

constexpr lv1::FundSource kGeneral = lv1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET;
constexpr lv1::FundSource kFund = lv1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET;
constexpr lv1::FundSource kCapital = lv1::FUND_SOURCE_STATE_CAPITAL_BUDGET;
constexpr lv1::FundSource kInstitution = lv1::FUND_SOURCE_INSTITUTION_REVENUE;
constexpr lv1::FundSource kOtherRevenue = lv1::FUND_SOURCE_OTHER_REVENUE;

constexpr lv1::BudgetKind kGeneralBudget = lv1::BUDGET_KIND_GENERAL;
constexpr lv1::BudgetKind kFundBudget = lv1::BUDGET_KIND_GOVERNMENT_FUND;
constexpr lv1::BudgetKind kCapitalBudget = lv1::BUDGET_KIND_STATE_CAPITAL;

bool IsFiscal(lv1::FundSource source) { return source == kGeneral || source == kFund || source == kCapital; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// amount × numerator / denominator, rounded down, without overflow.
int64_t Scale(int64_t amount, int64_t numerator, int64_t denominator) {
  return static_cast<int64_t>(static_cast<__int128>(amount) * numerator / denominator);
}

// The department's draws. Every draw is an integer mapped to a range by the
// high half of a 128-bit product (Lemire's multiply-shift without rejection):
// its bias, under 2^-40 for the spans used here, does not matter, and it is
// the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  // Uniform in [low, high]; low when high < low.
  int64_t Range(int64_t low, int64_t high) {
    if (high <= low) return low;
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    const unsigned __int128 product = static_cast<unsigned __int128>(gen_.Next()) * span;
    return low + static_cast<int64_t>(static_cast<uint64_t>(product >> 64));
  }
  bool Percent(int percent) { return Range(0, 99) < percent; }
  size_t Index(size_t n) { return static_cast<size_t>(Range(0, static_cast<int64_t>(n) - 1)); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Index(items.size())];
  }
  // `count` distinct positions of 0 … n-1, in the order drawn.
  std::vector<size_t> Sample(size_t n, size_t count) {
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    count = std::min(count, n);
    for (size_t i = 0; i < count; ++i) std::swap(order[i], order[i + Index(n - i)]);
    order.resize(count);
    return order;
  }

 private:
  SplitMix64 gen_;
};

// 类 whose spending only the government as a whole budgets (see synth.h).
bool IsGovernmentOnlyClass(std::string_view class_code) {
  return class_code == "227" || class_code == "230" || class_code == "231" || class_code == "232" ||
         class_code == "233";
}

// The 项 that carry the personnel items of every department whatever its
// sector (domain.md §3.6); projects are never placed on them.
bool IsPersonnelItem(std::string_view code) {
  static constexpr std::string_view kItems[] = {"2080501", "2080502", "2080505", "2080506", "2080507", "2101101",
                                                "2101102", "2101103", "2101199", "2210201", "2210202", "2210203"};
  return std::find(std::begin(kItems), std::end(kItems), code) != std::end(kItems);
}

// A spendable 项 of an edition with what the generator asks of it, worked
// out once per edition (a full catalogue has some 1,500).
struct ItemInfo {
  std::string code;
  std::string name;
  yusuan::ledger::BudgetSet budgets;
  bool operations = false;  // 行政运行, 机构运行, 事业运行
  // May carry a project without rule R-T2-5 objecting, and is where a real
  // department would put one: not an operations item, not a 项 ending in
  // 01, on the project_capable list when the catalogue has one, and not a
  // personnel item.
  bool project = false;
};

struct EditionData {
  const Catalogue* catalogue = nullptr;
  std::vector<ItemInfo> items;       // spendable 项 in code order
  std::vector<std::string> classes;  // SpendableClasses
};

EditionData MakeEditionData(const Catalogue& catalogue) {
  EditionData data;
  data.catalogue = &catalogue;
  std::set<std::string> classes;
  for (const yusuan::ledger::CatalogueCode& code : catalogue.FunctionalCodes()) {
    if (!IsSpendableItem(catalogue, code.code)) continue;
    ItemInfo info;
    info.code = code.code;
    info.name = code.name;
    info.budgets = code.budgets;
    info.operations = catalogue.IsOperationsItem(code.code);
    // A 项 ending in 01 is usually the 款's running costs; a 款 without 项
    // (21901) is not.
    const bool first_item = code.code.size() == 7 && EndsWith(code.code, "01");
    info.project = !info.operations && !first_item && !IsPersonnelItem(code.code) &&
                   (!catalogue.has_project_capable() || catalogue.IsProjectCapable(code.code));
    classes.insert(code.code.substr(0, 3));
    data.items.push_back(std::move(info));
  }
  data.classes.assign(classes.begin(), classes.end());
  return data;
}

// The functional codes of one edition, as the generator asks for them.
class CodeBook {
 public:
  explicit CodeBook(const EditionData& data) : catalogue_(*data.catalogue), items_(data.items) {}

  const Catalogue& catalogue() const { return catalogue_; }

  bool InBudget(std::string_view code, lv1::BudgetKind budget) const {
    return catalogue_.FunctionalBudgets(code).Contains(budget);
  }

  // Spendable 项 under `prefix` ("" = all) of `budget`, filtered by `keep`.
  template <typename Keep>
  std::vector<std::string> Items(std::string_view prefix, lv1::BudgetKind budget, Keep keep) const {
    std::vector<std::string> out;
    for (const ItemInfo& item : items_) {
      if (StartsWith(item.code, prefix) && item.budgets.Contains(budget) && keep(item)) out.push_back(item.code);
    }
    return out;
  }
  std::vector<std::string> ProjectItems(std::string_view prefix, lv1::BudgetKind budget) const {
    return Items(prefix, budget, [](const ItemInfo& item) { return item.project; });
  }
  std::vector<std::string> OperationsItems(std::string_view prefix) const {
    return Items(prefix, kGeneralBudget, [](const ItemInfo& item) { return item.operations; });
  }
  std::vector<std::string> AnyItems(std::string_view prefix, lv1::BudgetKind budget) const {
    return Items(prefix, budget, [](const ItemInfo&) { return true; });
  }

  // A general 项 by code when the edition has it (personnel items), else "".
  std::string GeneralItem(std::string_view code) const {
    const std::string c(code);
    return IsSpendableItem(catalogue_, c) && InBudget(c, kGeneralBudget) ? c : "";
  }

  // The economic 款 of `candidates` the edition has.
  std::vector<std::string> Economic(const std::vector<std::string>& candidates) const {
    std::vector<std::string> out;
    for (const std::string& code : candidates) {
      if (catalogue_.IsEconomicItem(code)) out.push_back(code);
    }
    return out;
  }

  std::string Name(std::string_view code) const {
    const std::string* name = catalogue_.FunctionalName(code);
    return name == nullptr ? "" : *name;
  }

 private:
  const Catalogue& catalogue_;
  const std::vector<ItemInfo>& items_;
};

// One budget unit: the department's 本级 (code "") or a subordinate unit.
struct Unit {
  std::string code;
  std::string name;
  lv1::UnitType type = lv1::UNIT_TYPE_ADMINISTRATIVE;
  lv1::FundingForm funding = lv1::FUNDING_FORM_FULL;
  int staff = 0;
  int retired = 0;
  int retired_before_1949 = 0;
  std::string home;  // the 项 of its running costs

  bool administrative() const {
    return type == lv1::UNIT_TYPE_ADMINISTRATIVE || type == lv1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION;
  }
};

// Economic 款 by use; 三公 款 (30212, 30217, 30231, 31013) are booked only as
// 三公 lines so that R-T4-5's sums are exactly the stated components.
const std::vector<std::string>& PublicEconomic() {
  static const auto* const kCodes =
      new std::vector<std::string>{"30201", "30202", "30205", "30206", "30207", "30209", "30211", "30213", "30214",
                                   "30215", "30216", "30226", "30227", "30228", "30229", "30239", "30299"};
  return *kCodes;
}
const std::vector<std::string>& ProjectEconomic() {
  static const auto* const kCodes =
      new std::vector<std::string>{"30201", "30202", "30203", "30211", "30213", "30214", "30215", "30216",
                                   "30218", "30226", "30227", "30299", "31002", "31003", "31006", "31007"};
  return *kCodes;
}
const std::vector<std::string>& CapitalProjectEconomic() {
  static const auto* const kCodes =
      new std::vector<std::string>{"30227", "30299", "31001", "31003", "31005", "31006", "31099"};
  return *kCodes;
}

// Words of goal values.
const std::vector<std::string>& GrowthWords() {
  static const auto* const kWords =
      new std::vector<std::string>{"逐年提升", "持续改善", "显著提高", "明显增强", "稳步提升"};
  return *kWords;
}
const std::vector<std::string>& SteadyWords() {
  static const auto* const kWords =
      new std::vector<std::string>{"有效保障", "效果明显", "持续稳定", "达到预期", "良好"};
  return *kWords;
}
const std::vector<std::string>& SatisfactionTargets() {
  // Every spelling of a percentage bound the indicator grammar reads.
  static const auto* const kValues =
      new std::vector<std::string>{"≥95%", "95%以上", "不低于90%", "＞90%", ">85%", "90%及以上", "≥92%", "98%"};
  return *kValues;
}

std::string Wan2(int64_t fen) {  // "12.5" 万元 for goal values, at most 2 decimals
  const int64_t cents = (fen + kFenPerWan / 200) / (kFenPerWan / 100);
  if (cents % 100 == 0) return absl::StrCat(cents / 100);
  if (cents % 10 == 0) return absl::StrFormat("%d.%d", cents / 100, (cents % 100) / 10);
  return absl::StrFormat("%d.%02d", cents / 100, cents % 100);
}

bool IsMeasureWord(std::string_view unit) {
  // The measure words QuantityInGoalText reads (indicator.cc); a goal text
  // states its quantity only with one of them, so rule V-P2 checks it.
  static constexpr std::string_view kWords[] = {"人次", "场次", "次", "场", "家", "个", "期", "项", "人", "所",
                                                "篇",   "份",   "批", "处", "座", "名", "户", "件", "部", "册",
                                                "套",   "台",   "条", "支", "天", "届", "轮", "类", "门", "本"};
  return std::find(std::begin(kWords), std::end(kWords), unit) != std::end(kWords);
}

class Generator {
 public:
  struct Placement {
    int year = 0;
    std::string sector;
    int round = 0;  // how many departments of this sector came before
  };

  Generator(const EditionData& edition, const SynthOptions& options, int index, Placement placement)
      : book_(edition),
        options_(options),
        index_(index),
        year_(placement.year),
        sector_(placement.sector),
        round_(placement.round),
        rng_(Mix64(options.seed ^ Mix64(static_cast<uint64_t>(index) + 0x632BE59BD9B4E019ULL))),
        profile_(ProfileFor(sector_, book_.Name(sector_))) {
    if (profile_.activities.empty()) profile_.activities.push_back({"开展业务活动", "次", 2, 20});
  }

  absl::StatusOr<gateway::v1::Filing> Run() {
    precise_ = rng_.Percent(10);
    Identity();
    Units();
    Basic();
    Projects();
    EnsureSectorCovered();
    Income();
    Procurement();
    PriorYears();
    Narrative();
    Goals();
    if (absl::Status ok = SelfCheck(); !ok.ok()) return ok;
    filing_.set_note(absl::StrCat("合成数据，非真实部门 / synthetic data, not a real department: yusuan synth --seed ",
                                  options_.seed, options_.sector ? absl::StrCat(" --sector ", *options_.sector) : "",
                                  options_.year ? absl::StrCat(" --year ", *options_.year) : "", ", department ",
                                  index_, " (sector ", sector_, ", edition ", year_, ")."));
    return filing_;
  }

 private:
  lv1::Department& dept() { return *filing_.mutable_department(); }
  lv1::Budget& budget() { return *filing_.mutable_budget(); }
  const Catalogue& catalogue() const { return book_.catalogue(); }

  // Money of `yuan` rounded as budgets are: to 100 元, or to the 分 in a
  // "precise" department (which exercises rounding to 0.01 万元).
  int64_t Money(int64_t fen) const {
    if (precise_) return fen;
    const int64_t step = 100 * kFenPerYuan;
    return fen / step * step;
  }
  int64_t Yuan(int64_t low, int64_t high) { return Money(rng_.Range(low, high) * kFenPerYuan); }

  // ------------------------------------------------------------ identity
  void Identity() {
    const std::vector<District>& districts = Districts();
    const size_t offices = profile_.offices.size();
    const size_t variant = static_cast<size_t>(round_) % offices;
    const size_t turn = static_cast<size_t>(round_) / offices;
    const size_t district_index = (turn + Mix64(options_.seed) % districts.size()) % districts.size();
    const size_t lap = turn / districts.size();
    district_ = &districts[district_index];
    office_ = &profile_.offices[variant];
    // Past offices × districts departments of one sector, names would
    // repeat: a lap number keeps them apart (README.md).
    lap_suffix_ = lap == 0 ? "" : absl::StrCat("（", lap + 1, "）");
    full_name_ = absl::StrCat(district_->city, district_->name, office_->full, lap_suffix_);
    agency_ = absl::StrFormat("%s%06d", sector_, round_);

    lv1::Department& d = dept();
    d.set_region_code(district_->code);
    d.set_agency_code(agency_);
    d.set_name(absl::StrCat("regions/", district_->code, "/departments/", agency_));
    d.set_full_name(full_name_);
    d.set_short_name(office_->short_name);
    d.set_fiscal_level(lv1::FISCAL_LEVEL_DISTRICT);
    d.set_functions_preamble(
        absl::StrCat(district_->name, office_->full, "是区政府负责全区", profile_.field, "工作的部门，其主要职责是："));
    const std::string& f = profile_.field;
    const std::vector<std::string> functions = {
        absl::StrCat("贯彻执行国家和省、市关于", f, "工作的方针政策和法律法规，拟订全区", f, "发展规划并组织实施。"),
        absl::StrCat("负责全区", f, "领域的监督管理和行政执法工作。"),
        absl::StrCat("组织实施", f, "重点项目，统筹安排和管理相关专项资金。"),
        absl::StrCat("指导、协调和监督所属单位的业务工作。"),
        absl::StrCat("负责本部门的财务、资产、人事和安全生产管理工作。"),
        absl::StrCat("完成区委、区政府交办的其他任务。")};
    const size_t count = static_cast<size_t>(rng_.Range(4, static_cast<int64_t>(functions.size())));
    for (size_t i = 0; i < functions.size(); ++i) {
      // The first ones and the last one: a function list always ends with 交办事项.
      if (i < count - 1 || i == functions.size() - 1) d.add_main_functions(functions[i]);
    }
    d.add_internal_offices("办公室");
    d.add_internal_offices("计划财务科");
    if (rng_.Percent(60)) d.add_internal_offices("政策法规科");
    d.add_internal_offices(absl::StrCat(profile_.field, "业务科"));
    if (rng_.Percent(40)) d.add_internal_offices("人事科");
    // One draw per statement: the order in which a call's arguments are
    // evaluated is unspecified, and would make the bytes compiler-dependent.
    const int64_t exchange = rng_.Range(5, 8);
    phone_ = absl::StrFormat("%d%07d", exchange, rng_.Range(0, 9999999));
    d.set_contact_phone(phone_);

    lv1::Budget& b = budget();
    b.set_name(absl::StrCat(d.name(), "/budgets/", year_));
    b.set_fiscal_year(year_);
    b.set_stage(lv1::STAGE_BUDGET);
    b.set_catalogue_edition(year_);
  }

  // ------------------------------------------------------------ units
  void Units() {
    // Department size: staff 3–500, in five equally likely bands so that
    // small and large departments are both common.
    static constexpr int kBands[][2] = {{3, 10}, {11, 30}, {31, 80}, {81, 200}, {201, 500}};
    const auto& band = kBands[rng_.Index(5)];
    const int staff = static_cast<int>(rng_.Range(band[0], band[1]));

    Unit own;
    own.name = full_name_;
    // A "…中心" is a public institution (参公 or not); courts, bureaus and
    // offices are administrative units, some 参公.
    const bool centre = EndsWith(office_->full, "中心");
    const int64_t type_draw = rng_.Range(0, 99);
    if (centre) {
      own.type = type_draw < 30 ? lv1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION : lv1::UNIT_TYPE_PUBLIC_INSTITUTION;
      own.funding = type_draw < 75 ? lv1::FUNDING_FORM_FULL : lv1::FUNDING_FORM_PARTIAL;
    } else {
      own.type = type_draw < 65   ? lv1::UNIT_TYPE_ADMINISTRATIVE
                 : type_draw < 88 ? lv1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION
                                  : lv1::UNIT_TYPE_PUBLIC_INSTITUTION;
      own.funding = type_draw < 96 ? lv1::FUNDING_FORM_FULL : lv1::FUNDING_FORM_PARTIAL;
    }

    int subordinate_staff = 0;
    std::vector<size_t> picks;
    const std::vector<std::string>& names = office_->units;
    // Large departments mostly run through subordinate units (a 卫健局 本级
    // has dozens of staff, its hospitals and centres the rest).
    if (staff >= 20 && !names.empty() && rng_.Percent(staff >= 100 ? 85 : 45)) {
      const int64_t most = std::min<int64_t>(static_cast<int64_t>(names.size()), 1 + staff / 60);
      picks = rng_.Sample(names.size(), static_cast<size_t>(rng_.Range(1, most)));
      const int64_t own_share = staff >= 100 ? rng_.Range(15, 40) : rng_.Range(30, 70);
      subordinate_staff = staff - std::max(3, static_cast<int>(Scale(staff, own_share, 100)));
      while (!picks.empty() && subordinate_staff < 2 * static_cast<int>(picks.size())) picks.pop_back();
      if (picks.empty()) subordinate_staff = 0;
    }
    own.staff = staff - subordinate_staff;
    units_.push_back(own);
    int left = subordinate_staff;
    for (size_t n = 0; n < picks.size(); ++n) {
      Unit u;
      u.code = absl::StrFormat("%s%03d", agency_, n + 1);
      u.name = absl::StrCat(district_->city, district_->name, names[picks[n]], lap_suffix_);
      const int64_t draw = rng_.Range(0, 99);
      u.type = draw < 10 ? lv1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION : lv1::UNIT_TYPE_PUBLIC_INSTITUTION;
      u.funding = draw < 55   ? lv1::FUNDING_FORM_FULL
                  : draw < 82 ? lv1::FUNDING_FORM_PARTIAL
                              : lv1::FUNDING_FORM_SELF_FUNDED;
      if (u.type == lv1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION) u.funding = lv1::FUNDING_FORM_FULL;
      const int remaining_units = static_cast<int>(picks.size() - n);
      u.staff = remaining_units == 1 ? left : static_cast<int>(rng_.Range(2, left - 2 * (remaining_units - 1)));
      left -= u.staff;
      units_.push_back(u);
    }
    for (Unit& u : units_) {
      u.retired = static_cast<int>(rng_.Range(0, u.staff * 6 / 10));
      u.retired_before_1949 = u.staff > 50 && rng_.Percent(4) ? 1 : 0;
      u.home = HomeItem(u);
    }

    lv1::Department& d = dept();
    d.set_unit_type(units_[0].type);
    d.set_funding_form(units_[0].funding);
    FillStaffing(units_[0], d.mutable_staffing());
    for (size_t n = 1; n < units_.size(); ++n) {
      const Unit& u = units_[n];
      lv1::SecondaryUnit* s = d.add_secondary_units();
      s->set_code(u.code);
      s->set_name(u.name);
      s->set_unit_type(u.type);
      s->set_funding_form(u.funding);
      FillStaffing(u, s->mutable_staffing());
    }
  }

  void FillStaffing(const Unit& u, lv1::Staffing* s) {
    lv1::EstablishmentQuota* q = s->add_quotas();
    q->set_kind(u.type == lv1::UNIT_TYPE_ADMINISTRATIVE ? lv1::ESTABLISHMENT_KIND_ADMINISTRATIVE
                : u.type == lv1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION
                    ? lv1::ESTABLISHMENT_KIND_CIVIL_SERVANT_MANAGED
                    : lv1::ESTABLISHMENT_KIND_PUBLIC_INSTITUTION);
    // Vacancies are common, over-establishment is not (rule X20 warns).
    const int quota = u.staff + static_cast<int>(rng_.Range(0, u.staff / 5 + 1));
    const int logistics = u.staff >= 15 && rng_.Percent(40) ? static_cast<int>(rng_.Range(1, u.staff / 15 + 1)) : 0;
    q->set_count(quota - logistics);
    if (logistics > 0) {
      lv1::EstablishmentQuota* l = s->add_quotas();
      l->set_kind(lv1::ESTABLISHMENT_KIND_LOGISTICS);
      l->set_count(logistics);
    }
    s->set_in_service(u.staff);
    s->set_retired_before_1949(u.retired_before_1949);
    s->set_retired(u.retired);
    if (rng_.Percent(50)) s->set_retirees_total(u.retired_before_1949 + u.retired);
  }

  // The 项 of a unit's running costs: 行政运行 of the office's 款 for the
  // administrative 本级, 机构运行/事业运行 or a 项 of the sector for public
  // institutions (a school's basic spending is on 小学教育), else the
  // nearest operations item (domain.md §3.6).
  std::string HomeItem(const Unit& u) {
    const std::string kuan = office_->kuan;
    if (!u.administrative()) {
      // The 项 named after the unit (图书馆 for a 图书馆, 科技馆站 for a
      // 科技馆), else 机构运行/事业运行 of the sector or 机关服务 of the office.
      const std::string short_name = u.name.substr(std::min(u.name.size(), full_name_.size() - office_->full.size()));
      std::vector<std::string> named = book_.Items(sector_, kGeneralBudget, [&](const ItemInfo& item) {
        return item.name.size() >= 6 && (short_name.find(item.name) != std::string::npos ||
                                         (short_name.size() >= 6 && item.name.find(short_name) != std::string::npos));
      });
      if (!named.empty()) return named.front();
      std::vector<std::string> own = book_.Items(sector_, kGeneralBudget, [](const ItemInfo& item) {
        return item.name.find("机构运行") != std::string::npos || item.name.find("事业运行") != std::string::npos;
      });
      if (!kuan.empty()) {
        for (const std::string& code :
             book_.Items(kuan, kGeneralBudget, [](const ItemInfo& item) { return item.name == "机关服务"; })) {
          own.push_back(code);
        }
      }
      if (!own.empty()) return rng_.Pick(own);
    }
    // 201's first 款 is 人大事务: a department without a 行政运行 of its own
    // books on 20103 政府办公厅（室）及相关机构事务's.
    for (const std::string& prefix :
         {kuan, sector_, profile_.home_fallback == "201" ? std::string() : profile_.home_fallback, std::string("20103"),
          std::string("201")}) {
      if (prefix.empty()) continue;
      std::vector<std::string> ops = book_.OperationsItems(prefix);
      std::vector<std::string> admin;
      for (const std::string& code : ops) {
        if (book_.Name(code) == "行政运行") admin.push_back(code);
      }
      if (!admin.empty()) return prefix == sector_ ? rng_.Pick(admin) : admin.front();
      if (!ops.empty()) return prefix == sector_ ? rng_.Pick(ops) : ops.front();
    }
    std::vector<std::string> any = book_.AnyItems(sector_, kGeneralBudget);
    if (any.empty()) any = book_.OperationsItems("");
    if (any.empty()) any = book_.AnyItems("", kGeneralBudget);
    return any.empty() ? "" : any.front();
  }

  // ------------------------------------------------------------ lines
  void AddLine(const Unit& u, const std::string& functional, const std::string& economic, lv1::ExpenditureKind kind,
               lv1::FundSource source, bool carryover, const std::string& project, int64_t fen) {
    if (fen <= 0 || functional.empty() || economic.empty()) return;
    lv1::ExpenditureLine* line = budget().add_expenditure_lines();
    line->set_functional_code(functional);
    line->set_economic_code(economic);
    line->set_kind(kind);
    line->set_fund_source(source);
    line->set_from_carryover(carryover);
    line->set_project_id(project);
    line->set_amount_fen(fen);
    line->set_unit_code(u.code);
  }

  // Where a basic line of `u` is paid from: fiscal for fully funded units,
  // partly 事业收入 for 差额 units, 事业收入 (or 其他收入) for 自收自支.
  lv1::FundSource BasicSource(const Unit& u, bool personnel) {
    switch (u.funding) {
      case lv1::FUNDING_FORM_SELF_FUNDED:
        return rng_.Percent(90) ? kInstitution : kOtherRevenue;
      case lv1::FUNDING_FORM_PARTIAL:
        return rng_.Percent(personnel ? 30 : 50) ? kInstitution : kGeneral;
      default:
        return !u.administrative() && !personnel && rng_.Percent(10) ? kOtherRevenue : kGeneral;
    }
  }

  void Basic() {
    for (const Unit& u : units_) {
      BasicOf(u);
      if (u.code.empty()) ThreePublic(u);
    }
    UnitsThreePublic();
  }

  void BasicOf(const Unit& u) {
    if (u.home.empty()) return;
    const lv1::ExpenditureKind personnel = lv1::EXPENDITURE_KIND_BASIC_PERSONNEL;
    const lv1::ExpenditureKind public_kind = lv1::EXPENDITURE_KIND_BASIC_PUBLIC;
    // 工资福利 per person and year, 10–18 万元, split over the 301 款 by
    // typical shares (‰ of the pay bill).
    const int64_t bill = Scale(rng_.Range(100'000, 180'000) * kFenPerYuan, u.staff, 1);
    auto pay = [&](const char* economic, const std::string& functional, int permille) {
      if (!catalogue().IsEconomicItem(economic)) return;
      const std::string item = functional.empty() ? u.home : functional;
      AddLine(u, item, economic, personnel, BasicSource(u, true), false, "", Money(Scale(bill, permille, 1000)));
    };
    const std::string pension = book_.GeneralItem("2080505");
    const std::string annuity = book_.GeneralItem("2080506");
    const std::string medical = book_.GeneralItem(u.administrative() ? "2101101" : "2101102");
    const std::string civil_medical = book_.GeneralItem("2101103");
    const std::string other_medical = book_.GeneralItem("2101199");
    const std::string fund = book_.GeneralItem("2210201");
    const std::string rent = book_.GeneralItem("2210202");
    const std::string retirees = book_.GeneralItem(u.administrative() ? "2080501" : "2080502");

    pay("30101", "", 240);
    if (!rent.empty() && rng_.Percent(70)) {
      pay("30102", "", 260);
      pay("30102", rent, 40);  // 提租补贴 is part of 津贴补贴 (domain.md §3.6)
    } else {
      pay("30102", "", 300);
    }
    if (u.administrative()) {
      pay("30103", "", 80);
      pay("30111", civil_medical, 30);
    } else {
      pay("30107", "", 250);
    }
    pay("30108", pension, 120);
    if (rng_.Percent(70)) pay("30109", annuity, 60);
    pay("30110", medical, 70);
    pay("30112", "", 8);
    pay("30113", fund, 100);
    if (rng_.Percent(40)) pay("30114", other_medical, 10);
    if (rng_.Percent(60)) pay("30199", "", 20);

    if (u.retired > 0 && catalogue().IsEconomicItem("30302")) {
      const int64_t pension_top_up = Money(Scale(rng_.Range(6'000, 30'000) * kFenPerYuan, u.retired, 1));
      AddLine(u, retirees.empty() ? u.home : retirees, "30302", personnel, BasicSource(u, true), false, "",
              pension_top_up);
      if (rng_.Percent(50) && catalogue().IsEconomicItem("30307")) {
        const int64_t care = Money(Scale(rng_.Range(1'000, 4'000) * kFenPerYuan, u.retired, 1));
        AddLine(u, other_medical.empty() ? u.home : other_medical, "30307", personnel, BasicSource(u, true), false, "",
                care);
      }
    }
    if (u.retired_before_1949 > 0 && catalogue().IsEconomicItem("30301")) {
      const int64_t veterans = Money(Scale(rng_.Range(80'000, 150'000) * kFenPerYuan, u.retired_before_1949, 1));
      AddLine(u, retirees.empty() ? u.home : retirees, "30301", personnel, BasicSource(u, true), false, "", veterans);
    }

    // 公用经费: 2–6 万元 per person over 6–12 款 of 302, sometimes office
    // equipment (310).
    const std::vector<std::string> codes = book_.Economic(PublicEconomic());
    if (codes.empty()) return;
    const int64_t running = Scale(rng_.Range(20'000, 60'000) * kFenPerYuan, u.staff, 1);
    const std::vector<size_t> picked = rng_.Sample(codes.size(), static_cast<size_t>(rng_.Range(6, 12)));
    std::vector<int64_t> weights;
    int64_t weight_sum = 0;
    for (size_t n = 0; n < picked.size(); ++n) weight_sum += weights.emplace_back(rng_.Range(1, 10));
    for (size_t n = 0; n < picked.size(); ++n) {
      AddLine(u, u.home, codes[picked[n]], public_kind, BasicSource(u, false), false, "",
              Money(Scale(running, weights[n], weight_sum)));
    }
    if (rng_.Percent(30)) {
      const std::vector<std::string> equipment = book_.Economic({"31002", "31007"});
      if (!equipment.empty()) {
        const std::string code = rng_.Pick(equipment);
        const int64_t fen = Yuan(10'000, 100'000);
        AddLine(u, u.home, code, public_kind, BasicSource(u, false), false, "", fen);
      }
    }
  }

  // 三公经费 of the 本级, booked as 一般公共预算 lines on their economic 款
  // (rule R-T4-5), with the prior year rising, falling, flat, new or gone.
  void ThreePublic(const Unit& u) {
    lv1::ThreePublic* tp = budget().mutable_three_public();
    lv1::ThreePublicCosts* current = tp->mutable_current();
    lv1::AssetFacts* assets = budget().mutable_assets();
    assets->set_as_of_date(absl::StrCat(year_ - 1, "-12-31"));
    int vehicles = 0;
    const bool fiscal_unit = u.funding == lv1::FUNDING_FORM_FULL || u.funding == lv1::FUNDING_FORM_PARTIAL;
    const bool any = fiscal_unit && !u.home.empty() && rng_.Percent(80);
    if (any) {
      const bool have = [&] {
        for (const char* code : {"30212", "31013", "30231", "30217"}) {
          if (!catalogue().IsEconomicItem(code)) return false;
        }
        return true;
      }();
      if (have) {
        if (rng_.Percent(15)) current->set_overseas_fen(Yuan(20'000, 150'000));
        vehicles = rng_.Percent(50) ? static_cast<int>(rng_.Range(1, 1 + u.staff / 25)) : 0;
        if (vehicles > 0 && rng_.Percent(90)) {
          current->set_vehicle_operation_fen(Money(Scale(rng_.Range(15'000, 40'000) * kFenPerYuan, vehicles, 1)));
        }
        if (vehicles > 0 && rng_.Percent(8)) {
          current->set_vehicle_purchase_fen(Yuan(150'000, 300'000));
          assets->set_planned_vehicle_purchases(1);
        }
        if (rng_.Percent(60)) current->set_reception_fen(Yuan(5'000, 80'000));
      }
    }
    assets->set_vehicles(vehicles);
    assets->set_general_equipment_over_500k(static_cast<int>(rng_.Range(0, u.staff / 100)));
    if (units_.size() > 1 || !u.administrative()) {
      assets->set_special_equipment_over_1m(static_cast<int>(rng_.Range(0, 2)));
    }
    const lv1::ExpenditureKind kind = lv1::EXPENDITURE_KIND_BASIC_PUBLIC;
    AddLine(u, u.home, "30212", kind, kGeneral, false, "", current->overseas_fen());
    AddLine(u, u.home, "31013", kind, kGeneral, false, "", current->vehicle_purchase_fen());
    AddLine(u, u.home, "30231", kind, kGeneral, false, "", current->vehicle_operation_fen());
    AddLine(u, u.home, "30217", kind, kGeneral, false, "", current->reception_fen());

    auto state_totals = [this](lv1::ThreePublicCosts* c) {
      const int64_t vehicle = c->vehicle_purchase_fen() + c->vehicle_operation_fen();
      if (rng_.Percent(50)) c->set_total_fen(c->overseas_fen() + vehicle + c->reception_fen());
      if (rng_.Percent(50)) c->set_vehicle_total_fen(vehicle);
    };
    state_totals(current);
    if (rng_.Percent(10)) return;  // prior year unknown
    lv1::ThreePublicCosts* prior = tp->mutable_prior();
    auto prior_of = [this](int64_t now) -> int64_t {
      const int64_t draw = rng_.Range(0, 99);
      if (now == 0) return draw < 85 ? 0 : Yuan(5'000, 60'000);            // none, or discontinued
      if (draw < 30) return now;                                           // flat
      if (draw < 60) return Money(Scale(now, rng_.Range(70, 95), 100));    // rising
      if (draw < 90) return Money(Scale(now, rng_.Range(105, 140), 100));  // falling
      return 0;                                                            // new this year
    };
    prior->set_overseas_fen(prior_of(current->overseas_fen()));
    prior->set_vehicle_purchase_fen(current->vehicle_purchase_fen() > 0 ? 0 : prior_of(0));
    prior->set_vehicle_operation_fen(prior_of(current->vehicle_operation_fen()));
    prior->set_reception_fen(prior_of(current->reception_fen()));
    state_totals(prior);
  }

  // 三公经费 of the secondary units that have their own (a 事业单位's
  // reception, a delegation abroad), booked on their own lines and added to
  // the department's. Most departments then state their 三公 by unit (rule
  // R-T4-6), some only the total.
  void UnitsThreePublic() {
    if (units_.size() < 2 || !catalogue().IsEconomicItem("30217") || !catalogue().IsEconomicItem("30212")) return;
    lv1::ThreePublic* tp = budget().mutable_three_public();
    const lv1::ThreePublicCosts headquarters_current = tp->current();
    const lv1::ThreePublicCosts headquarters_prior = tp->prior();
    std::vector<lv1::UnitThreePublic> entries;
    for (size_t k = 1; k < units_.size(); ++k) {
      const Unit& u = units_[k];
      const bool fiscal_unit = u.funding == lv1::FUNDING_FORM_FULL || u.funding == lv1::FUNDING_FORM_PARTIAL;
      if (!fiscal_unit || u.home.empty() || !rng_.Percent(40)) continue;
      lv1::UnitThreePublic entry;
      entry.set_unit_code(u.code);
      lv1::ThreePublicCosts* current = entry.mutable_current();
      current->set_reception_fen(Yuan(3'000, 30'000));
      if (rng_.Percent(10)) current->set_overseas_fen(Yuan(20'000, 80'000));
      AddLine(u, u.home, "30217", lv1::EXPENDITURE_KIND_BASIC_PUBLIC, kGeneral, false, "", current->reception_fen());
      AddLine(u, u.home, "30212", lv1::EXPENDITURE_KIND_BASIC_PUBLIC, kGeneral, false, "", current->overseas_fen());
      if (tp->has_prior()) {
        lv1::ThreePublicCosts* prior = entry.mutable_prior();
        if (rng_.Percent(80))
          prior->set_reception_fen(Money(Scale(current->reception_fen(), rng_.Range(80, 130), 100)));
      }
      entries.push_back(std::move(entry));
    }
    if (entries.empty()) return;
    auto add = [](const lv1::ThreePublicCosts& part, lv1::ThreePublicCosts* sum) {
      sum->set_overseas_fen(sum->overseas_fen() + part.overseas_fen());
      sum->set_vehicle_purchase_fen(sum->vehicle_purchase_fen() + part.vehicle_purchase_fen());
      sum->set_vehicle_operation_fen(sum->vehicle_operation_fen() + part.vehicle_operation_fen());
      sum->set_reception_fen(sum->reception_fen() + part.reception_fen());
      if (sum->has_total_fen()) {
        sum->set_total_fen(sum->overseas_fen() + sum->vehicle_purchase_fen() + sum->vehicle_operation_fen() +
                           sum->reception_fen());
      }
    };
    for (const lv1::UnitThreePublic& entry : entries) {
      add(entry.current(), tp->mutable_current());
      if (entry.has_prior()) add(entry.prior(), tp->mutable_prior());
    }
    if (!rng_.Percent(75)) return;
    auto any = [](const lv1::ThreePublicCosts& c) {
      return c.overseas_fen() + c.vehicle_purchase_fen() + c.vehicle_operation_fen() + c.reception_fen() > 0;
    };
    if (any(headquarters_current) || (tp->has_prior() && any(headquarters_prior))) {
      lv1::UnitThreePublic* own = tp->add_by_unit();
      *own->mutable_current() = headquarters_current;
      if (tp->has_prior()) *own->mutable_prior() = headquarters_prior;
    }
    for (lv1::UnitThreePublic& entry : entries) *tp->add_by_unit() = std::move(entry);
  }

  // ------------------------------------------------------------ projects
  struct Part {
    lv1::FundSource source;
    bool carryover;
    int64_t fen;
  };

  void Projects() {
    int64_t basic = 0;
    for (const lv1::ExpenditureLine& line : budget().expenditure_lines()) basic += line.amount_fen();
    const int staff = StaffTotal();
    const int count = staff <= 10    ? static_cast<int>(rng_.Range(1, 3))
                      : staff <= 80  ? static_cast<int>(rng_.Range(2, 5))
                      : staff <= 200 ? static_cast<int>(rng_.Range(3, 8))
                                     : static_cast<int>(rng_.Range(4, 10));
    // Projects are 20 % … 280 % of basic spending (a 科协 spends more on 科普
    // than on itself; a 公安分局 the reverse), within the department bounds.
    static constexpr int kFactors[][2] = {{20, 80}, {80, 200}, {200, 380}};
    const auto& factor = kFactors[rng_.Index(3)];
    int64_t total = Scale(basic, 100 + rng_.Range(factor[0], factor[1]), 100);
    total = std::clamp(total, kMinDepartmentFen, kMaxDepartmentFen);
    const int64_t minimum = 5 * 10'000 * kFenPerYuan;  // 5 万元 per project
    const int64_t pool = std::max(total - basic, minimum * count);

    std::vector<int64_t> weights;
    int64_t weight_sum = 0;
    for (int i = 0; i < count; ++i) weight_sum += weights.emplace_back(rng_.Range(1, 10));
    // One project of the department may be partly paid from last year's carry-over.
    const int carry_project = rng_.Percent(35) ? static_cast<int>(rng_.Range(0, count - 1)) : -1;
    if (profile_.themes.empty()) profile_.themes.push_back(absl::StrCat(profile_.field, "专项工作"));
    const std::vector<size_t> theme_order = rng_.Sample(profile_.themes.size(), profile_.themes.size());
    // Whether the department gets 政府性基金 or 国有资本经营 money: most of a
    // sector with fund 项 do not, a 国资 department always does, others
    // rarely (彩票公益金 for a sports bureau).
    const bool any_fund = !book_.ProjectItems("", kFundBudget).empty();
    const bool any_capital = !book_.ProjectItems("223", kCapitalBudget).empty();
    const bool sector_fund =
        !book_.Items(sector_, kFundBudget, [this](const ItemInfo& item) { return DistrictFund(item); }).empty();
    sector_capital_ = sector_ == "223" && any_capital;
    fund_money_ = any_fund && rng_.Percent(sector_fund ? 40 : 5);
    capital_money_ = any_capital && (sector_capital_ || rng_.Percent(4));
    for (int i = 0; i < count; ++i) {
      const int64_t amount = std::max(minimum, Money(Scale(pool, weights[static_cast<size_t>(i)], weight_sum)));
      std::string name = profile_.themes[theme_order[static_cast<size_t>(i) % theme_order.size()]];
      const size_t repeat = static_cast<size_t>(i) / theme_order.size();
      if (repeat > 0) name = absl::StrCat(name, "（", Ordinal(repeat + 1), "期）");
      AddProject(i, name, amount, i == carry_project);
    }
  }

  static std::string Ordinal(size_t n) {
    static const char* const kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    return n <= 10 ? kDigits[n] : absl::StrCat(n);
  }

  int StaffTotal() const {
    int total = 0;
    for (const Unit& u : units_) total += u.staff;
    return total;
  }

  // Where a project of `budget_kind` goes: a project 项 of the sector
  // (preferably of the office's 款), else of the fallback 类, else anywhere.
  std::string ProjectItem(lv1::BudgetKind budget_kind) {
    if (budget_kind == kFundBudget) return FundItem();
    if (budget_kind == kCapitalBudget) {
      // 国有资本经营 money of a district goes to its enterprises (类 223).
      std::vector<std::string> items = book_.ProjectItems("223", kCapitalBudget);
      return items.empty() ? "" : rng_.Pick(items);
    }
    // Mostly the office's own 款; otherwise a 款 of the sector that is not
    // another office's (a 检察院 does not pay for 狱政设施).
    if (!office_->kuan.empty() && rng_.Percent(85)) {
      std::vector<std::string> own = book_.ProjectItems(office_->kuan, kGeneralBudget);
      if (!own.empty()) return rng_.Pick(own);
    }
    std::vector<std::string> sector = book_.Items(sector_, kGeneralBudget, [this](const ItemInfo& item) {
      if (!item.project) return false;
      for (const Office& other : profile_.offices) {
        if (&other != office_ && !other.kuan.empty() && StartsWith(item.code, other.kuan)) return false;
      }
      return true;
    });
    if (!sector.empty()) return rng_.Pick(sector);
    // A sector without project 项 of its own (a partial catalogue, or 229)
    // books its projects where offices book unclassified work,
    // 一般行政管理事务, rather than on the 项 of an unrelated 款.
    // 20103 政府办公厅（室）及相关机构事务 before the rest of 201 (whose
    // first 款 is 人大事务).
    for (const std::string& prefix : {profile_.home_fallback, std::string("20103"), std::string("201")}) {
      if (prefix.empty()) continue;
      std::vector<std::string> general = book_.Items(
          prefix, kGeneralBudget, [](const ItemInfo& item) { return item.project && item.name == "一般行政管理事务"; });
      if (!general.empty()) return general.front();
    }
    std::vector<std::string> items = book_.ProjectItems("", kGeneralBudget);
    return items.empty() ? "" : rng_.Pick(items);
  }

  // 政府性基金 a district department spends: the fund 款 of its sector that
  // districts have (土地出让, 城市基础设施配套费, 水库移民, 电影专项资金,
  // 彩票公益金 …), not the national funds (民航, 乏燃料, 港口建设 …).
  bool DistrictFund(const ItemInfo& item) const {
    static constexpr std::string_view kKuan[] = {"20707", "20822", "20823", "21208", "21210", "21211", "21213",
                                                 "21214", "21366", "21367", "21369", "22904", "22960", "23401",
                                                 "23402", "23403", "23404", "23405", "23406", "23407", "23408",
                                                 "23409", "23410", "23411", "23412", "23413", "23498", "23499"};
    if (!item.project) return false;
    for (std::string_view kuan : kKuan) {
      if (StartsWith(item.code, kuan)) return true;
    }
    return false;
  }

  std::string FundItem() {
    std::vector<std::string> items =
        book_.Items(sector_, kFundBudget, [this](const ItemInfo& item) { return DistrictFund(item); });
    if (items.empty()) {
      // A department of another sector with fund money: 彩票公益金.
      items = book_.Items("22960", kFundBudget, [](const ItemInfo& item) { return item.project; });
    }
    if (items.empty()) items = book_.ProjectItems("", kFundBudget);
    return items.empty() ? "" : rng_.Pick(items);
  }

  void AddProject(int i, const std::string& name, int64_t amount, bool carry) {
    // Fund and capital projects only where the catalogue has 项 of that
    // budget (none in a catalogue that tags every code general), and only
    // in departments that get such money (fund_money_, capital_money_).
    lv1::BudgetKind kind = kGeneralBudget;
    const int64_t draw = rng_.Range(0, 99);
    if (capital_money_ && draw < (sector_capital_ ? 60 : 30)) {
      kind = kCapitalBudget;
    } else if (fund_money_ && draw >= 60) {
      kind = kFundBudget;
    }
    std::string item = ProjectItem(kind);
    if (item.empty()) {
      kind = kGeneralBudget;
      item = ProjectItem(kind);
    }
    if (item.empty()) return;

    const Unit& unit = units_.size() > 1 && rng_.Percent(40) ? units_[1 + rng_.Index(units_.size() - 1)] : units_[0];
    const std::string id = absl::StrFormat("P%d-%03d", year_, i + 1);
    std::vector<Part> parts;
    int64_t other = 0, carried = 0;
    if (kind == kFundBudget) {
      parts.push_back({kFund, false, amount});
    } else if (kind == kCapitalBudget) {
      parts.push_back({kCapital, false, amount});
    } else {
      if (rng_.Percent(25)) {
        // 其他资金: the unit's own income spent alongside the grant.
        other = Money(Scale(amount, rng_.Range(10, 40), 100));
        const lv1::FundSource own =
            !unit.administrative() && unit.funding != lv1::FUNDING_FORM_FULL ? kInstitution : kOtherRevenue;
        if (rng_.Percent(20)) {
          const int64_t old = Money(Scale(other, rng_.Range(30, 70), 100));
          parts.push_back({own, true, old});
          parts.push_back({own, false, other - old});
        } else {
          parts.push_back({own, false, other});
        }
      }
      if (carry) carried = Money(Scale(amount - other, rng_.Range(20, 60), 100));
      if (carried > 0) parts.push_back({kGeneral, true, carried});
      parts.push_back({kGeneral, false, amount - other - carried});
    }

    std::vector<std::string> codes =
        book_.Economic(kind == kGeneralBudget ? ProjectEconomic() : CapitalProjectEconomic());
    if (sector_ == "208" && kind == kGeneralBudget) {
      for (const std::string& code : book_.Economic({"30305", "30306"})) codes.push_back(code);
    }
    if (codes.empty()) return;
    const std::vector<size_t> picked =
        rng_.Sample(codes.size(), static_cast<size_t>(rng_.Range(1, std::min<int64_t>(4, codes.size()))));
    int64_t year_fiscal = 0, year_other = 0;
    for (const Part& part : parts) {
      // Each money part spread over one or more of the project's 款.
      const size_t spread = std::min<size_t>(picked.size(), static_cast<size_t>(rng_.Range(1, 3)));
      int64_t left = part.fen;
      for (size_t n = 0; n < spread; ++n) {
        const int64_t share = n + 1 == spread ? left : Money(Scale(part.fen, rng_.Range(20, 60), 100));
        const int64_t fen = std::min(share, left);
        AddLine(unit, item, codes[picked[n]], lv1::EXPENDITURE_KIND_PROJECT, part.source, part.carryover, id, fen);
        left -= fen;
        (IsFiscal(part.source) ? year_fiscal : year_other) += fen;
      }
    }

    lv1::Project* p = budget().add_projects();
    p->set_project_id(id);
    p->set_name(name);
    p->set_supervising_code(agency_);
    p->set_implementing_unit(unit.name);
    static const std::vector<std::string> kCategories = {"综合类", "专项类", "基本建设类", "信息化建设类",
                                                         "政策补贴类"};
    p->set_category(rng_.Pick(kCategories));
    p->set_year_total_fen(year_fiscal + year_other);
    p->set_year_fiscal_fen(year_fiscal);
    p->set_year_other_fen(year_other);
    if (rng_.Percent(35)) {
      // A multi-year project: the whole-period figures exceed this year's.
      int start = year_ - static_cast<int>(rng_.Range(0, 2));
      int end = year_ + static_cast<int>(rng_.Range(0, 2));
      if (start == end) ++end;
      const int64_t total = p->year_total_fen() + Money(Scale(p->year_total_fen(), rng_.Range(50, 300), 100));
      const int64_t total_other = year_other == 0 ? 0 : Scale(total, year_other, p->year_total_fen());
      p->set_start_year(start);
      p->set_end_year(end);
      p->set_total_fen(total);
      p->set_total_other_fen(total_other);
      p->set_total_fiscal_fen(total - total_other);
    } else {
      p->set_start_year(year_);
      p->set_end_year(year_);
      p->set_total_fen(p->year_total_fen());
      p->set_total_fiscal_fen(year_fiscal);
      p->set_total_other_fen(year_other);
    }
    p->set_purpose(ProjectPurpose(name));
    ProjectPlan plan;
    plan.index = budget().projects_size() - 1;
    plan.activity = rng_.Index(profile_.activities.size());
    plans_.push_back(plan);
  }

  // What the narrative prints as "主要用于{purpose}方面".
  std::string ProjectPurpose(const std::string& name) {
    static const std::vector<std::string> kPurposes = {"的组织实施和日常运转", "相关设施建设和维护",
                                                       "宣传培训和业务活动", "信息化建设和数据管理",
                                                       "落实上级部署的专项任务"};
    return absl::StrCat(name, rng_.Pick(kPurposes));
  }

  // Every department of sector S spends something on S: when no line is
  // there yet, basic spending of the 本级 or a small project is placed on a
  // 项 of the sector.
  void EnsureSectorCovered() {
    for (const lv1::ExpenditureLine& line : budget().expenditure_lines()) {
      if (StartsWith(line.functional_code(), sector_)) return;
    }
    const int64_t amount = Yuan(50'000, 300'000);
    const int next = budget().projects_size();
    if (!book_.ProjectItems(sector_, kGeneralBudget).empty()) {
      AddProjectOn(book_.ProjectItems(sector_, kGeneralBudget), kGeneral, next, amount);
    } else if (std::vector<std::string> items = book_.AnyItems(sector_, kGeneralBudget); !items.empty()) {
      // Only a 行政运行-like or personnel 项: basic spending goes there.
      const std::vector<std::string> codes = book_.Economic({"30201", "30299"});
      if (!codes.empty()) {
        AddLine(units_[0], rng_.Pick(items), codes.front(), lv1::EXPENDITURE_KIND_BASIC_PUBLIC, kGeneral, false, "",
                amount);
      }
    } else if (!book_.ProjectItems(sector_, kFundBudget).empty()) {
      AddProjectOn(book_.ProjectItems(sector_, kFundBudget), kFund, next, amount);
    } else if (!book_.ProjectItems(sector_, kCapitalBudget).empty()) {
      AddProjectOn(book_.ProjectItems(sector_, kCapitalBudget), kCapital, next, amount);
    } else if (std::vector<std::string> fund = book_.AnyItems(sector_, kFundBudget); !fund.empty()) {
      AddProjectOn(fund, kFund, next, amount);
    } else if (std::vector<std::string> capital = book_.AnyItems(sector_, kCapitalBudget); !capital.empty()) {
      AddProjectOn(capital, kCapital, next, amount);
    }
  }

  void AddProjectOn(const std::vector<std::string>& items, lv1::FundSource source, int i, int64_t amount) {
    const std::string id = absl::StrFormat("P%d-%03d", year_, i + 1);
    const std::vector<std::string> codes =
        book_.Economic(source == kGeneral ? ProjectEconomic() : CapitalProjectEconomic());
    if (codes.empty()) return;
    const std::string item = rng_.Pick(items);
    AddLine(units_[0], item, rng_.Pick(codes), lv1::EXPENDITURE_KIND_PROJECT, source, false, id, amount);
    lv1::Project* p = budget().add_projects();
    p->set_project_id(id);
    const std::string item_name = book_.Name(item);
    p->set_name(absl::StrCat(item_name.empty() ? profile_.field : item_name, "专项"));
    p->set_supervising_code(agency_);
    p->set_implementing_unit(units_[0].name);
    p->set_category("专项类");
    p->set_start_year(year_);
    p->set_end_year(year_);
    p->set_total_fen(amount);
    p->set_total_fiscal_fen(amount);
    p->set_year_total_fen(amount);
    p->set_year_fiscal_fen(amount);
    p->set_purpose(ProjectPurpose(p->name()));
    ProjectPlan plan;
    plan.index = budget().projects_size() - 1;
    plan.activity = rng_.Index(profile_.activities.size());
    plans_.push_back(plan);
  }

  // ------------------------------------------------------------ income
  // One income line per unit, source and year of origin: exactly what that
  // unit spends from it, so every source balances (R-T1-4, R-T6-5).
  void Income() {
    std::map<std::tuple<size_t, int, bool>, int64_t> sums;
    std::map<std::string, size_t> unit_order;
    for (size_t n = 0; n < units_.size(); ++n) unit_order[units_[n].code] = n;
    for (const lv1::ExpenditureLine& line : budget().expenditure_lines()) {
      sums[{unit_order[line.unit_code()], line.fund_source(), line.from_carryover()}] += line.amount_fen();
    }
    for (const auto& [key, fen] : sums) {
      lv1::IncomeLine* income = budget().add_income_lines();
      income->set_source(static_cast<lv1::FundSource>(std::get<1>(key)));
      income->set_carryover(std::get<2>(key));
      income->set_amount_fen(fen);
      income->set_unit_code(units_[std::get<0>(key)].code);
    }
  }

  // ------------------------------------------------------------ procurement
  void Procurement() {
    int64_t spending = 0, projects = 0;
    for (const lv1::ExpenditureLine& line : budget().expenditure_lines()) {
      spending += line.amount_fen();
      if (line.kind() == lv1::EXPENDITURE_KIND_PROJECT) projects += line.amount_fen();
    }
    spending_ = spending;
    struct Item {
      lv1::ProcurementCategory category;
      const char* name;
    };
    static constexpr Item kItems[] = {
        {lv1::PROCUREMENT_CATEGORY_GOODS, "台式计算机"},      {lv1::PROCUREMENT_CATEGORY_GOODS, "复印机"},
        {lv1::PROCUREMENT_CATEGORY_GOODS, "办公家具"},        {lv1::PROCUREMENT_CATEGORY_GOODS, "专用仪器仪表"},
        {lv1::PROCUREMENT_CATEGORY_WORKS, "房屋修缮工程"},    {lv1::PROCUREMENT_CATEGORY_WORKS, "装修工程"},
        {lv1::PROCUREMENT_CATEGORY_SERVICES, "物业管理服务"}, {lv1::PROCUREMENT_CATEGORY_SERVICES, "印刷和出版服务"},
        {lv1::PROCUREMENT_CATEGORY_SERVICES, "信息技术服务"}, {lv1::PROCUREMENT_CATEGORY_SERVICES, "会议和展览服务"},
        {lv1::PROCUREMENT_CATEGORY_SERVICES, "法律服务"}};
    if (rng_.Percent(80)) {
      const std::vector<size_t> picked = rng_.Sample(std::size(kItems), static_cast<size_t>(rng_.Range(1, 4)));
      for (size_t n : picked) {
        lv1::ProcurementLine* line = budget().add_procurement_lines();
        line->set_category(kItems[n].category);
        line->set_item(kItems[n].name);
        // Together at most 32 % of the spending (rule X16 needs ≤ 100 %).
        line->set_amount_fen(std::max<int64_t>(Money(Scale(spending, rng_.Range(1, 8), 100)), 10'000 * kFenPerYuan));
      }
    }
    if (projects > 0 && rng_.Percent(50)) {
      static const std::vector<std::string> kServices = {"物业管理服务", "法律顾问服务", "课题研究", "社会工作服务",
                                                         "第三方绩效评价"};
      for (size_t n : rng_.Sample(kServices.size(), static_cast<size_t>(rng_.Range(1, 3)))) {
        lv1::ServicePurchaseLine* line = budget().add_service_purchase_lines();
        line->set_item(kServices[n]);
        line->set_amount_fen(std::max<int64_t>(Money(Scale(projects, rng_.Range(2, 10), 100)), 10'000 * kFenPerYuan));
      }
    }
  }

  // ------------------------------------------------------------ prior years
  void PriorYears() {
    int64_t fiscal = 0, other = 0, general = 0, fund = 0;
    for (const lv1::IncomeLine& line : budget().income_lines()) {
      (IsFiscal(line.source()) ? fiscal : other) += line.amount_fen();
      if (line.source() == kGeneral) general += line.amount_fen();
      if (line.source() == kFund) fund += line.amount_fen();
    }
    int64_t basic = 0, machinery = 0;
    for (const lv1::ExpenditureLine& line : budget().expenditure_lines()) {
      if (line.kind() == lv1::EXPENDITURE_KIND_BASIC_PERSONNEL || line.kind() == lv1::EXPENDITURE_KIND_BASIC_PUBLIC) {
        basic += line.amount_fen();
      }
      if (line.kind() == lv1::EXPENDITURE_KIND_BASIC_PUBLIC && line.fund_source() == kGeneral &&
          line.unit_code().empty()) {
        machinery += line.amount_fen();
      }
    }
    const int64_t total = fiscal + other;
    lv1::PriorYearFigures* prior = budget().mutable_prior_years();
    // A department set up last year (2019 机构改革 created several) has no
    // Y-2, a new one none at all.
    const int64_t draw = rng_.Range(0, 99);
    const int years = draw < 3 ? 0 : draw < 10 ? 1 : 2;
    int64_t last_total = total, last_basic = basic, last_fiscal = fiscal;
    for (int k = 1; k <= years; ++k) {
      lv1::YearFunds* f = prior->add_funds();
      f->set_year(year_ - k);
      const int64_t t = Money(Scale(last_total, rng_.Range(70, 130), 100));
      int64_t b = Money(Scale(last_basic, rng_.Range(85, 110), 100));
      if (b > t) b = Money(Scale(t, 60, 100));
      const int64_t fiscal_share = last_total == 0 ? 100 : Scale(100, last_fiscal, last_total);
      const int64_t g =
          std::min(t, Money(Scale(t, std::clamp<int64_t>(fiscal_share + rng_.Range(-5, 5), 0, 100), 100)));
      f->set_fiscal_grant_fen(g);
      f->set_other_fen(t - g);
      f->set_basic_fen(b);
      f->set_project_fen(t - b);
      if (k == 1) {
        prior->set_department_total_fen(t);
        if (fiscal > 0) prior->set_general_budget_fen(Scale(g, general, fiscal));
      }
      last_total = t;
      last_basic = b;
      last_fiscal = g;
    }
    if (years > 0 && units_[0].administrative() && machinery > 0) {
      prior->set_machinery_operating_fen(Money(Scale(machinery, rng_.Range(85, 115), 100)));
    }
    if (fund > 0) {
      prior->set_government_fund_fen(rng_.Percent(80) ? Money(Scale(fund, rng_.Range(60, 140), 100)) : 0);
    } else if (rng_.Percent(6)) {
      prior->set_government_fund_fen(Yuan(100'000, 2'000'000));  // discontinued this year
    }
    if (years == 0 && !prior->has_government_fund_fen()) budget().clear_prior_years();
  }

  void Narrative() {
    lv1::NarrativeInputs* n = budget().mutable_narrative();
    static const std::vector<std::string> kUp = {"新增重点项目支出", "人员增加及工资调整", "上级补助项目增加",
                                                 "基础设施建设投入加大"};
    static const std::vector<std::string> kDown = {"上年一次性项目结束", "厉行节约压减一般性支出", "人员减少",
                                                   "部分项目调整至其他部门实施"};
    const lv1::PriorYearFigures& prior = budget().prior_years();
    const bool up = !prior.has_department_total_fen() || spending_ >= prior.department_total_fen();
    n->set_general_budget_change_reason(rng_.Pick(up ? kUp : kDown));
    n->set_department_total_change_reason(rng_.Pick(up ? kUp : kDown));
    n->set_three_public_change_reason(rng_.Pick(
        std::vector<std::string>{"严格执行中央八项规定精神，从严控制“三公”经费", "公务用车更新", "按上年水平安排"}));
    if (rng_.Percent(80)) n->set_prior_year_goal_completion_pct(static_cast<int32_t>(rng_.Range(85, 100)));
    if (units_[0].administrative()) {
      n->set_machinery_operating_purpose("主要用于办公及印刷费、邮电费、差旅费、会议费、日常维修费等");
    }
  }

  // ------------------------------------------------------------ goals
  struct ProjectPlan {
    int index = 0;         // budget.projects[index]
    size_t activity = 0;   // profile_.activities[activity]
    int64_t quantity = 0;  // its annual 数量 target
  };

  // An indicator with the value history of an annual goal (Y-1, Y-2).
  ov1::Indicator* AddIndicator(google::protobuf::RepeatedPtrField<ov1::Indicator>* list, ov1::IndicatorLevel1 l1,
                               ov1::IndicatorLevel2 l2, const std::string& name, const std::string& target,
                               ov1::PerformanceStandard standard, const std::vector<std::string>& history = {}) {
    ov1::Indicator* ind = list->Add();
    ind->set_level1(l1);
    ind->set_level2(l2);
    ind->set_name(name);
    ind->set_target(target);
    ind->set_standard(standard);
    if (standard == ov1::PERFORMANCE_STANDARD_OTHER && rng_.Percent(50)) ind->set_standard_note("其他标准");
    for (size_t k = 0; k < history.size(); ++k) {
      ov1::HistoryValue* h = ind->add_history();
      h->set_year(year_ - 1 - static_cast<int>(k));
      h->set_value(history[k]);
    }
    return ind;
  }

  // "12次", "12" with the unit beside it, "≥12次" or "不少于12次": the forms
  // of a plain amount (rules V-P2 and X23 add them up).
  void SetQuantity(ov1::Indicator* ind, int64_t n, const std::string& unit) {
    const int64_t form = rng_.Range(0, 9);
    if (form < 4) {
      ind->set_target(absl::StrCat(n, unit));
    } else if (form < 7) {
      ind->set_target(absl::StrCat(n));
      ind->set_unit(unit);
    } else if (form < 9) {
      ind->set_target(absl::StrCat("≥", n, unit));
    } else {
      ind->set_target(absl::StrCat("不少于", n, unit));
    }
  }

  // Two prior values of a quantity whose target is `n`: at least one at or
  // below it, so that a target below both years (V-TREND) never happens;
  // sometimes 无 (the indicator is new).
  std::vector<std::string> QuantityHistory(int64_t n, const std::string& unit) {
    if (rng_.Percent(10)) return {"无", "无"};
    const int64_t last = std::max<int64_t>(1, Scale(n, rng_.Range(70, 130), 100));
    const int64_t before = std::max<int64_t>(1, std::min(n, Scale(n, rng_.Range(60, 110), 100)));
    return {absl::StrCat(last, unit), absl::StrCat(before)};
  }

  ov1::IndicatorLevel1 CostLevel1() const {
    return yusuan::goals::FrameworkForYear(year_) == yusuan::goals::IndicatorFramework::k2021
               ? ov1::INDICATOR_LEVEL1_COST
               : ov1::INDICATOR_LEVEL1_OUTPUT;
  }
  ov1::IndicatorLevel2 CostLevel2() const {
    return yusuan::goals::FrameworkForYear(year_) == yusuan::goals::IndicatorFramework::k2021
               ? ov1::INDICATOR_LEVEL2_ECONOMIC_COST
               : ov1::INDICATOR_LEVEL2_OUTPUT_COST;
  }

  void AddOutcome(google::protobuf::RepeatedPtrField<ov1::Indicator>* list, bool history) {
    struct Benefit {
      ov1::IndicatorLevel2 level2;
      std::string name;
    };
    std::vector<Benefit> benefits = {
        {ov1::INDICATOR_LEVEL2_SOCIAL_BENEFIT, absl::StrCat(profile_.field, "公共服务水平")},
        {ov1::INDICATOR_LEVEL2_ECONOMIC_BENEFIT, "对区域经济发展的促进作用"},
        {ov1::INDICATOR_LEVEL2_SUSTAINABLE_IMPACT, absl::StrCat(profile_.field, "长效管理机制")}};
    if (sector_ == "211" || sector_ == "212" || sector_ == "213" || sector_ == "220") {
      benefits.push_back({ov1::INDICATOR_LEVEL2_ECOLOGICAL_BENEFIT, "生态环境改善程度"});
    }
    const Benefit& benefit = rng_.Pick(benefits);
    const std::string word = rng_.Percent(60) ? rng_.Pick(GrowthWords()) : rng_.Pick(SteadyWords());
    AddIndicator(list, ov1::INDICATOR_LEVEL1_BENEFIT, benefit.level2, benefit.name, word,
                 ov1::PERFORMANCE_STANDARD_HISTORICAL,
                 history ? std::vector<std::string>{word, word} : std::vector<std::string>{});
    const std::string satisfied = rng_.Pick(SatisfactionTargets());
    const std::string who = rng_.Pick(std::vector<std::string>{"服务对象满意度", "群众满意度", "社会公众满意度"});
    const ov1::PerformanceStandard standard =
        rng_.Percent(70) ? ov1::PERFORMANCE_STANDARD_HISTORICAL : ov1::PERFORMANCE_STANDARD_INDUSTRY;
    std::vector<std::string> past;
    if (history) past = {satisfied, rng_.Percent(20) ? std::string("无") : satisfied};
    AddIndicator(list, ov1::INDICATOR_LEVEL1_SATISFACTION, ov1::INDICATOR_LEVEL2_SERVICE_SATISFACTION, who, satisfied,
                 standard, past);
  }

  void Goals() {
    ov1::GoalSet* g = filing_.mutable_goals();
    g->set_name(absl::StrCat(budget().name(), "/goals"));
    g->set_fiscal_year(year_);
    ProjectSheets(g);
    DepartmentSheet(g);
  }

  void ProjectSheets(ov1::GoalSet* g) {
    for (ProjectPlan& plan : plans_) {
      const lv1::Project& p = budget().projects(plan.index);
      const Activity& a = profile_.activities[plan.activity];
      plan.quantity = rng_.Range(a.low, std::max(a.low, a.high / 3));
      ov1::ProjectGoalSheet* s = g->add_projects();
      s->set_project_id(p.project_id());
      const int64_t month = rng_.Range(10, 12);
      s->set_compiled_date(absl::StrFormat("%d-%02d-%02d", year_ - 1, month, rng_.Range(1, 28)));
      s->set_medium_term_goal(absl::StrCat("通过", p.name(), "的持续实施，全区", profile_.field, "服务能力和水平",
                                           rng_.Pick(GrowthWords()), "。"));
      s->set_annual_goal(
          absl::StrCat(year_, "年", a.name, plan.quantity, a.unit, "，", p.name(), "各项任务按期完成。"));
      // The sheet states its 表10 amounts, equal to the ledger (X-GOALS-AMOUNT).
      s->set_total_fen(p.total_fen());
      s->set_total_fiscal_fen(p.total_fiscal_fen());
      s->set_total_other_fen(p.total_other_fen());
      s->set_year_total_fen(p.year_total_fen());
      s->set_year_fiscal_fen(p.year_fiscal_fen());
      s->set_year_other_fen(p.year_other_fen());

      AddIndicator(s->mutable_medium_term_indicators(), ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUANTITY,
                   absl::StrCat("年均", a.name), absl::StrCat("≥", plan.quantity, a.unit),
                   ov1::PERFORMANCE_STANDARD_PLAN);
      AddIndicator(s->mutable_medium_term_indicators(), ov1::INDICATOR_LEVEL1_BENEFIT,
                   ov1::INDICATOR_LEVEL2_SUSTAINABLE_IMPACT, absl::StrCat(profile_.field, "服务长效机制"),
                   rng_.Pick(SteadyWords()), ov1::PERFORMANCE_STANDARD_HISTORICAL);

      auto* annual = s->mutable_annual_indicators();
      ov1::Indicator* q = AddIndicator(annual, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUANTITY, a.name, "",
                                       ov1::PERFORMANCE_STANDARD_PLAN);
      SetQuantity(q, plan.quantity, a.unit);
      AddIndicator(annual, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUALITY, "验收合格率",
                   rng_.Pick(std::vector<std::string>{"100%", "≥98%", "=100%"}), ov1::PERFORMANCE_STANDARD_INDUSTRY);
      AddIndicator(annual, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_TIMELINESS, "项目完成时间",
                   rng_.Pick(std::vector<std::string>{absl::StrCat(year_, "年12月底前"), absl::StrCat(year_, "年全年"),
                                                      "11月底前", "按季度推进"}),
                   ov1::PERFORMANCE_STANDARD_PLAN);
      AddIndicator(annual, CostLevel1(), CostLevel2(), "项目成本控制",
                   absl::StrCat("≤", Wan2(p.year_total_fen()), "万元"), ov1::PERFORMANCE_STANDARD_PLAN);
      AddOutcome(annual, false);
    }
  }

  void DepartmentSheet(ov1::GoalSet* g) {
    ov1::DepartmentGoalSheet* d = g->mutable_department();
    d->set_filed_date(rng_.Percent(50) ? absl::StrFormat("%d-01-%02d", year_, rng_.Range(5, 28))
                                       : absl::StrFormat("%d-12-%02d", year_ - 1, rng_.Range(1, 28)));
    const std::string surname = rng_.Pick(Surnames());
    d->set_filer(absl::StrCat(surname, rng_.Pick(GivenNames())));
    d->set_contact_phone(phone_);
    const std::string& f = profile_.field;
    d->set_functions_summary(absl::StrCat("负责全区", f, "工作的统筹规划、组织实施和监督管理，指导所属单位开展业务。"));
    d->set_annual_tasks(absl::StrCat("围绕全区中心工作，推进", f, "重点项目实施，提升公共服务水平，加强内部管理。"));
    d->set_long_term_goal(absl::StrCat("建成与经济社会发展相适应的", f, "服务体系，群众满意度持续提高。"));

    // The project goal: the projects' 数量 indicators, each name once with
    // the sum over the sheets (rule X23, domain.md V-P7).
    std::map<size_t, int64_t> by_activity;
    std::vector<std::string> names;
    for (const ProjectPlan& plan : plans_) {
      by_activity[plan.activity] += plan.quantity;
      if (names.size() < 3) names.push_back(budget().projects(plan.index).name());
    }
    int seq = 0;
    if (!plans_.empty()) {
      ov1::AnnualGoal* goal = d->add_annual_goals();
      goal->set_seq(++seq);
      goal->set_text(absl::StrCat("组织实施", absl::StrJoin(names, "、"), names.size() > 1 ? "等" : "",
                                  "重点项目，按期完成年度任务"));
      goal->set_short_name("实施重点项目");
      for (const auto& [activity, sum] : by_activity) {
        const Activity& a = profile_.activities[activity];
        ov1::Indicator* q =
            AddIndicator(goal->mutable_indicators(), ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUANTITY,
                         a.name, "", ov1::PERFORMANCE_STANDARD_PLAN, QuantityHistory(sum, a.unit));
        SetQuantity(q, sum, a.unit);
      }
      AddIndicator(goal->mutable_indicators(), ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_TIMELINESS,
                   "项目按期完成", absl::StrCat(year_, "年12月底前"), ov1::PERFORMANCE_STANDARD_PLAN,
                   {absl::StrCat(year_ - 1, "年12月底前"), absl::StrCat(year_ - 2, "年12月底前")});
      AddOutcome(goal->mutable_indicators(), true);
    }

    // The department's own goals, on activities no project counts (a name a
    // project sheet also uses would be summed against it by X23).
    std::vector<size_t> free;
    for (size_t n = 0; n < profile_.activities.size(); ++n) {
      if (by_activity.count(n) == 0) free.push_back(n);
    }
    // 2–5 goals: one per free activity (a count when its unit is a measure
    // word, else a range), and usually one on quality, deadlines and cost.
    const int own_goals = static_cast<int>(rng_.Range(2, 5));
    const bool quality = rng_.Percent(70);
    std::vector<Activity> activities;
    for (size_t n : rng_.Sample(free.size(), free.size())) activities.push_back(profile_.activities[free[n]]);
    if (activities.empty()) {
      Activity a = rng_.Pick(profile_.activities);
      a.name = absl::StrCat("全年", a.name);  // not a project's indicator name
      activities.push_back(a);
    }
    const size_t counted = std::min(activities.size(), static_cast<size_t>(own_goals - (quality ? 1 : 0)));
    for (size_t k = 0; k < std::max<size_t>(counted, 1); ++k) {
      ov1::AnnualGoal* goal = d->add_annual_goals();
      goal->set_seq(++seq);
      if (IsMeasureWord(activities[k].unit) && rng_.Percent(60)) {
        CountGoal(goal, activities[k]);
      } else {
        RangeGoal(goal, activities[k]);
      }
    }
    if (quality) {
      ov1::AnnualGoal* goal = d->add_annual_goals();
      goal->set_seq(++seq);
      QualityGoal(goal);
    }

    for (const Activity& a : profile_.activities) {
      if (d->long_term_indicators_size() >= 2) break;
      AddIndicator(d->mutable_long_term_indicators(), ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUANTITY,
                   absl::StrCat("年均", a.name), absl::StrCat("≥", a.low, a.unit), ov1::PERFORMANCE_STANDARD_PLAN);
    }
    AddIndicator(d->mutable_long_term_indicators(), ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUALITY,
                 absl::StrCat(profile_.field, "服务覆盖率"), "≥95%", ov1::PERFORMANCE_STANDARD_INDUSTRY);
    AddOutcome(d->mutable_long_term_indicators(), false);

    if (rng_.Percent(85)) {
      // The 表9 funds block as the department writes it: the ledger's figures (X21).
      int64_t income = 0, fiscal = 0, basic = 0, project = 0, spending = 0;
      for (const lv1::IncomeLine& line : budget().income_lines()) {
        income += line.amount_fen();
        if (IsFiscal(line.source())) fiscal += line.amount_fen();
      }
      for (const lv1::ExpenditureLine& line : budget().expenditure_lines()) {
        spending += line.amount_fen();
        if (line.kind() == lv1::EXPENDITURE_KIND_PROJECT) project += line.amount_fen();
        if (line.kind() == lv1::EXPENDITURE_KIND_BASIC_PERSONNEL || line.kind() == lv1::EXPENDITURE_KIND_BASIC_PUBLIC) {
          basic += line.amount_fen();
        }
      }
      ov1::DepartmentFunds* funds = d->mutable_funds();
      funds->set_income_total_fen(income);
      funds->set_fiscal_grant_fen(fiscal);
      funds->set_other_fen(income - fiscal);
      funds->set_expenditure_total_fen(spending);
      funds->set_basic_fen(basic);
      funds->set_project_fen(project);
    }
  }

  // "开展文化惠民演出 40 场": the 数量 targets add up to the number (V-P2).
  void CountGoal(ov1::AnnualGoal* goal, const Activity& a) {
    const int64_t n = rng_.Range(std::max(2, a.low), std::max(2, a.high));
    const bool spaced = rng_.Percent(50);
    goal->set_text(absl::StrCat(a.name, spaced ? " " : "", n, spaced ? " " : "", a.unit));
    goal->set_short_name(a.name);
    auto* list = goal->mutable_indicators();
    if (n >= 4 && rng_.Percent(40)) {
      const int64_t first = rng_.Range(1, n - 1);
      for (const auto& [part, label] : {std::pair<int64_t, const char*>{first, "（线下）"}, {n - first, "（线上）"}}) {
        ov1::Indicator* q = AddIndicator(list, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUANTITY,
                                         absl::StrCat(a.name, label), "", ov1::PERFORMANCE_STANDARD_PLAN,
                                         QuantityHistory(part, a.unit));
        SetQuantity(q, part, a.unit);
      }
    } else {
      ov1::Indicator* q = AddIndicator(list, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUANTITY, a.name, "",
                                       ov1::PERFORMANCE_STANDARD_PLAN, QuantityHistory(n, a.unit));
      SetQuantity(q, n, a.unit);
    }
    AddIndicator(list, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUALITY, "活动覆盖率",
                 rng_.Pick(std::vector<std::string>{"≥90%", "100%", "不低于85%"}), ov1::PERFORMANCE_STANDARD_INDUSTRY,
                 {"90%", "88%"});
    AddOutcome(list, true);
  }

  // "建设监测站点 2-3 个": a range goal with a range (or bounded) target.
  void RangeGoal(ov1::AnnualGoal* goal, const Activity& a) {
    const int64_t low = rng_.Range(std::max(1, a.low), std::max(1, a.high / 2));
    const int64_t high = low + rng_.Range(1, std::max<int64_t>(1, low / 2));
    const bool range_text = IsMeasureWord(a.unit) && rng_.Percent(70);
    goal->set_text(range_text ? absl::StrCat(a.name, " ", low, "-", high, " ", a.unit)
                              : absl::StrCat("持续", a.name, "，完成年度目标任务"));
    goal->set_short_name(a.name);
    auto* list = goal->mutable_indicators();
    const std::string separators[] = {"-", "～", "至"};
    AddIndicator(list, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUANTITY, a.name,
                 absl::StrCat(low, rng_.Pick(std::vector<std::string>(std::begin(separators), std::end(separators))),
                              high, a.unit),
                 ov1::PERFORMANCE_STANDARD_PLAN, {absl::StrCat(low, a.unit), "无"});
    AddIndicator(list, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_TIMELINESS, "业务办结时限",
                 rng_.Pick(std::vector<std::string>{"不超过5个工作日", "≤3天", "＜7天"}),
                 ov1::PERFORMANCE_STANDARD_PLAN, {"不超过7个工作日", "≤5天"});
    AddOutcome(list, true);
  }

  // "按时完成…年度重点工作任务": quality, deadline and cost, no count.
  void QualityGoal(ov1::AnnualGoal* goal) {
    const std::string& f = profile_.field;
    goal->set_text(absl::StrCat("按时保质完成", f, "年度重点工作任务，加强内部控制和预算绩效管理"));
    goal->set_short_name(absl::StrCat(f, "重点工作"));
    auto* list = goal->mutable_indicators();
    AddIndicator(list, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_QUALITY, "工作差错率",
                 rng_.Pick(std::vector<std::string>{"＜3%", "≤2%", "<1%", "1%以下"}),
                 ov1::PERFORMANCE_STANDARD_HISTORICAL, {"2%", "3%"});
    AddIndicator(list, ov1::INDICATOR_LEVEL1_OUTPUT, ov1::INDICATOR_LEVEL2_TIMELINESS, "任务完成时限",
                 rng_.Pick(std::vector<std::string>{absl::StrCat(year_, "年12月底前"), absl::StrCat(year_, "年全年"),
                                                    "按月推进"}),
                 ov1::PERFORMANCE_STANDARD_PLAN,
                 {absl::StrCat(year_ - 1, "年全年"), absl::StrCat(year_ - 2, "年全年")});
    const int64_t cost = std::max<int64_t>(kFenPerWan, Scale(spending_, rng_.Range(5, 20), 100));
    AddIndicator(
        list, CostLevel1(), CostLevel2(), "一般性支出控制额", absl::StrCat("≤", Wan2(cost), "万元"),
        ov1::PERFORMANCE_STANDARD_OTHER,
        {absl::StrCat("≤", Wan2(Scale(cost, 105, 100)), "万元"), absl::StrCat(Wan2(Scale(cost, 110, 100)), "万元")});
    AddOutcome(list, true);
  }

  // ------------------------------------------------------------ checks
  // The invariants the rules rely on, checked where they are made: a
  // violation is a generator bug, reported instead of a filing that would
  // fail for reasons of ours.
  absl::Status SelfCheck() {
    for (int i = 0; i < budget().expenditure_lines_size(); ++i) {
      const lv1::ExpenditureLine& line = budget().expenditure_lines(i);
      const lv1::BudgetKind needed = yusuan::ledger::BudgetOfSource(line.fund_source());
      if (!catalogue().IsFunctionalItem(line.functional_code()) || !catalogue().IsEconomicItem(line.economic_code()) ||
          !book_.InBudget(line.functional_code(), needed) || line.amount_fen() <= 0) {
        return absl::InternalError(absl::StrCat("synth: department ", index_, " line ", i, " (", line.functional_code(),
                                                " × ", line.economic_code(), ") is not a valid line of edition ",
                                                year_));
      }
    }
    if (budget().projects_size() == 0) {
      return absl::InternalError(absl::StrCat("synth: department ", index_, " has no project (sector ", sector_, ")"));
    }
    return absl::OkStatus();
  }

  CodeBook book_;
  SynthOptions options_;
  int index_;
  int year_;
  std::string sector_;
  int round_;
  Rng rng_;
  Profile profile_;
  bool precise_ = false;
  bool sector_capital_ = false;
  bool fund_money_ = false;
  bool capital_money_ = false;
  const District* district_ = nullptr;
  const Office* office_ = nullptr;
  std::string full_name_;
  std::string lap_suffix_;
  std::string agency_;
  std::string phone_;
  std::vector<Unit> units_;
  std::vector<ProjectPlan> plans_;
  int64_t spending_ = 0;
  gateway::v1::Filing filing_;
};

}  // namespace

struct Synthesizer::State {
  SynthOptions options;
  std::map<int, EditionData> editions;  // the editions in use
  std::vector<std::string> sectors;     // the cycle
};

absl::StatusOr<Synthesizer> Synthesizer::Create(const CatalogueSet& catalogues, const SynthOptions& options) {
  auto state = std::make_shared<State>();
  state->options = options;
  std::vector<int> editions;
  if (options.year.has_value()) {
    if (catalogues.Find(*options.year) == nullptr) {
      std::vector<std::string> loaded;
      for (int e : catalogues.editions()) loaded.push_back(absl::StrCat(e));
      return absl::InvalidArgumentError(absl::StrCat("year ", *options.year, " is not a loaded catalogue edition (",
                                                     absl::StrJoin(loaded, ", "), ")"));
    }
    editions = {*options.year};
  } else {
    editions = catalogues.editions();
  }
  if (editions.empty()) return absl::InvalidArgumentError("no catalogue edition is loaded");
  std::set<std::string> sectors;
  for (int e : editions) {
    EditionData& data = state->editions[e] = MakeEditionData(*catalogues.Find(e));
    sectors.insert(data.classes.begin(), data.classes.end());
  }
  if (options.sector.has_value()) {
    if (sectors.count(*options.sector) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("sector ", *options.sector,
                                                     " is not a 类 with a spendable 项 in the editions in use (",
                                                     absl::StrJoin(sectors, " "), ")"));
    }
    state->sectors = {*options.sector};
  } else {
    state->sectors.assign(sectors.begin(), sectors.end());
  }
  if (state->sectors.empty()) return absl::InvalidArgumentError("the catalogues have no spendable 项");
  return Synthesizer(std::move(state));
}

const std::vector<std::string>& Synthesizer::sectors() const { return state_->sectors; }

absl::StatusOr<gateway::v1::Filing> Synthesizer::Synthesize(int index) const {
  if (index < 0) return absl::InvalidArgumentError(absl::StrCat("department index ", index, " is negative"));
  const std::vector<std::string>& cycle = state_->sectors;
  const size_t slot = static_cast<size_t>(index) % cycle.size();
  const int round = index / static_cast<int>(cycle.size());
  const std::string& sector = cycle[slot];
  // Editions rotate with both the slot and the round, so consecutive
  // departments and the successive departments of one sector both cycle.
  std::vector<const EditionData*> editions;
  for (const auto& [year, data] : state_->editions) {
    if (std::binary_search(data.classes.begin(), data.classes.end(), sector)) editions.push_back(&data);
  }
  const EditionData& edition = *editions[(slot + static_cast<size_t>(round)) % editions.size()];
  Generator generator(edition, state_->options, index, {edition.catalogue->edition(), sector, round});
  return generator.Run();
}

bool IsSpendableItem(const Catalogue& catalogue, std::string_view code) {
  if (!catalogue.IsFunctionalItem(code)) return false;
  if (IsGovernmentOnlyClass(code.substr(0, 3))) return false;
  const yusuan::ledger::BudgetSet budgets = catalogue.FunctionalBudgets(code);
  return budgets.Contains(kGeneralBudget) || budgets.Contains(kFundBudget) || budgets.Contains(kCapitalBudget);
}

std::vector<std::string> SpendableClasses(const Catalogue& catalogue) { return MakeEditionData(catalogue).classes; }

absl::StatusOr<std::vector<std::string>> SectorCycle(const CatalogueSet& catalogues, const SynthOptions& options) {
  absl::StatusOr<Synthesizer> synthesizer = Synthesizer::Create(catalogues, options);
  if (!synthesizer.ok()) return synthesizer.status();
  return synthesizer->sectors();
}

absl::StatusOr<gateway::v1::Filing> SynthesizeDepartment(const CatalogueSet& catalogues, const SynthOptions& options,
                                                         int index) {
  absl::StatusOr<Synthesizer> synthesizer = Synthesizer::Create(catalogues, options);
  if (!synthesizer.ok()) return synthesizer.status();
  return synthesizer->Synthesize(index);
}

absl::StatusOr<std::string> FilingToJsonLine(const gateway::v1::Filing& filing) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = false;
  const auto status = google::protobuf::util::MessageToJsonString(filing, &out, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("synth: filing to JSON: ", std::string(status.message())));
  }
  return out;
}

}  // namespace yusuan::synth
