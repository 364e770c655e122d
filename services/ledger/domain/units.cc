#include "services/ledger/domain/units.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"

namespace yusuan::ledger {

std::vector<std::string> UnitCodes(const v1::Department& department) {
  std::vector<std::string> out = {kHeadquartersUnit};
  for (const v1::SecondaryUnit& unit : department.secondary_units()) out.push_back(unit.code());
  return out;
}

v1::UnitType UnitTypeOf(const v1::Department& department, const std::string& unit_code) {
  if (unit_code.empty()) return department.unit_type();
  for (const v1::SecondaryUnit& unit : department.secondary_units()) {
    if (unit.code() == unit_code) return unit.unit_type();
  }
  return v1::UNIT_TYPE_UNSPECIFIED;
}

bool RunsAnOffice(v1::UnitType type) {
  return type == v1::UNIT_TYPE_ADMINISTRATIVE || type == v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION;
}

v1::Staffing ConsolidatedStaffing(const v1::Department& department) {
  v1::Staffing out = department.staffing();
  if (department.secondary_units_size() == 0) return out;
  // Quotas summed by kind, in the order kinds first appear.
  std::map<int, int> index_of_kind;
  for (int i = 0; i < out.quotas_size(); ++i) index_of_kind.emplace(out.quotas(i).kind(), i);
  bool every_total_stated = department.staffing().has_retirees_total();
  int32_t retirees_total = department.staffing().retirees_total();
  for (const v1::SecondaryUnit& unit : department.secondary_units()) {
    const v1::Staffing& s = unit.staffing();
    for (const v1::EstablishmentQuota& quota : s.quotas()) {
      auto [it, added] = index_of_kind.emplace(quota.kind(), out.quotas_size());
      if (added) {
        *out.add_quotas() = quota;
      } else {
        out.mutable_quotas(it->second)->set_count(out.quotas(it->second).count() + quota.count());
      }
    }
    out.set_in_service(out.in_service() + s.in_service());
    out.set_retired_before_1949(out.retired_before_1949() + s.retired_before_1949());
    out.set_retired(out.retired() + s.retired());
    every_total_stated = every_total_stated && s.has_retirees_total();
    retirees_total += s.retirees_total();
  }
  if (every_total_stated) {
    out.set_retirees_total(retirees_total);
  } else {
    out.clear_retirees_total();
  }
  return out;
}

absl::StatusOr<UnitFiling> FilingOfUnit(const v1::Department& department, const v1::Budget& budget,
                                        const std::string& unit_code) {
  UnitFiling out;
  v1::Department& d = out.department;
  d.set_region_code(department.region_code());
  d.set_fiscal_level(department.fiscal_level());
  d.set_contact_phone(department.contact_phone());
  if (unit_code.empty()) {
    d.set_name(department.name());
    d.set_agency_code(department.agency_code());
    d.set_full_name(department.full_name());
    d.set_short_name(department.short_name());
    d.set_unit_type(department.unit_type());
    d.set_funding_form(department.funding_form());
    *d.mutable_staffing() = department.staffing();
  } else {
    const v1::SecondaryUnit* unit = nullptr;
    for (const v1::SecondaryUnit& u : department.secondary_units()) {
      if (u.code() == unit_code) unit = &u;
    }
    if (unit == nullptr) {
      std::string listed;
      for (const v1::SecondaryUnit& u : department.secondary_units()) {
        absl::StrAppend(&listed, listed.empty() ? "" : "、", u.code(), " ", u.name());
      }
      if (listed.empty()) listed = "无 / none";
      return absl::NotFoundError(
          absl::StrCat("单位 ", unit_code, " 不是", department.full_name(), "的预算单位；本级用 \"\"（或部门编码 ",
                       department.agency_code(), "），所属单位有：", listed, " / unit ", unit_code,
                       " is not a budget unit of ", department.full_name(), "; its 本级 is \"\" (or the agency code ",
                       department.agency_code(), "), its secondary units (department.secondaryUnits) are: ", listed));
    }
    d.set_agency_code(unit->code());
    d.set_full_name(unit->name());
    d.set_short_name(unit->name());
    d.set_unit_type(unit->unit_type());
    d.set_funding_form(unit->funding_form());
    *d.mutable_staffing() = unit->staffing();
  }

  v1::Budget& b = out.budget;
  b.set_name(budget.name());
  b.set_fiscal_year(budget.fiscal_year());
  b.set_stage(budget.stage());
  b.set_catalogue_edition(budget.catalogue_edition());
  std::set<std::string> projects;
  for (const v1::IncomeLine& line : budget.income_lines()) {
    if (line.unit_code() != unit_code) continue;
    // In its own filing the unit is the 本级.
    b.add_income_lines()->CopyFrom(line);
    b.mutable_income_lines(b.income_lines_size() - 1)->clear_unit_code();
  }
  for (const v1::ExpenditureLine& line : budget.expenditure_lines()) {
    if (line.unit_code() != unit_code) continue;
    b.add_expenditure_lines()->CopyFrom(line);
    b.mutable_expenditure_lines(b.expenditure_lines_size() - 1)->clear_unit_code();
    if (!line.project_id().empty()) projects.insert(line.project_id());
  }
  for (const v1::Project& project : budget.projects()) {
    if (projects.count(project.project_id()) > 0) *b.add_projects() = project;
  }
  // 三公 stated by unit are the unit's own 表4; a unit not listed has none.
  const v1::ThreePublic& three_public = budget.three_public();
  if (!three_public.by_unit().empty()) {
    v1::ThreePublic* own = b.mutable_three_public();
    own->mutable_current();
    if (three_public.has_prior()) own->mutable_prior();
    for (const v1::UnitThreePublic& entry : three_public.by_unit()) {
      if (entry.unit_code() != unit_code) continue;
      *own->mutable_current() = entry.current();
      if (three_public.has_prior() && entry.has_prior()) *own->mutable_prior() = entry.prior();
    }
  }
  return out;
}

}  // namespace yusuan::ledger
