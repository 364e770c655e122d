#include "services/ledger/domain/department_view.h"

#include "services/common/wire.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

bool AppendBasicDepartment(std::string_view stored, std::string* basic) {
  using Department = yusuan::ledger::v1::Department;
  return KeepTopLevelFields(
      stored,
      {Department::kNameFieldNumber, Department::kRegionCodeFieldNumber, Department::kAgencyCodeFieldNumber,
       Department::kFullNameFieldNumber, Department::kShortNameFieldNumber, Department::kFiscalLevelFieldNumber,
       Department::kUnitTypeFieldNumber, Department::kFundingFormFieldNumber, Department::kEtagFieldNumber,
       Department::kUpdateTimeUnixMsFieldNumber},
      basic);
}

}  // namespace yusuan::ledger
