// LedgerCore in process on a real RocksDB in a temporary directory, with a
// clock the test sets: departments, budget revisions, idempotent retries, the
// workflow and its refusals, submissions, catalogue imports.
#include "services/ledger/ledger_core.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/common/resource_names.h"
#include "services/common/testing/reference_filing.h"
#include "services/common/testing/temp_store.h"
#include "services/ledger/domain/rollup.h"

namespace yusuan::ledger {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kStart = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";

std::string Reason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return GetDetail(status, &info) ? info.reason() : "";
}

v1::Department Department(const std::string& region, const std::string& agency) {
  v1::Department department = yusuan::testing::ReferenceDepartment();
  department.clear_name();
  department.set_region_code(region);
  department.set_agency_code(agency);
  return department;
}

v1::Budget BudgetOf(const std::string& region, const std::string& agency) {
  v1::Budget budget = yusuan::testing::ReferenceBudget();
  budget.set_name(absl::StrCat("regions/", region, "/departments/", agency, "/budgets/2021"));
  return budget;
}

// A data directory from before `cf` existed: every record of it deleted.
absl::Status DeleteEverythingIn(Store& store, const std::string& cf) {
  return store.Apply([&cf](Store::Txn& txn) -> absl::Status {
    std::vector<std::string> keys;
    absl::Status scanned = txn.Scan(cf, "", [&keys](std::string_view key, std::string_view) {
      keys.emplace_back(key);
      return true;
    });
    for (const std::string& key : keys) txn.Delete(cf, key);
    return scanned;
  });
}

class LedgerCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Status opened = store_.Open("ledger-core", LedgerColumnFamilies(), kChangesCf);
    ASSERT_TRUE(opened.ok()) << opened;
    auto shipped = CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
    ASSERT_TRUE(shipped.ok()) << shipped.status();
    auto clock = [this] { return now_.load(); };
    registry_ = std::make_unique<CatalogueRegistry>(store_.get(), *std::move(shipped), "data/catalogue", kWorkflowCf,
                                                    kIdempotencyCf, clock);
    ASSERT_TRUE(registry_->LoadStored().ok());
    core_ = std::make_unique<LedgerCore>(store_.get(), registry_.get(), clock);
  }
  void TearDown() override {
    core_.reset();
    registry_.reset();
    store_.Close();
  }

  // A mutation's answer, waited for (the core answers on the writer thread).
  template <typename T, typename Request>
  absl::StatusOr<T> Wait(void (LedgerCore::*method)(const Request&, LedgerCore::Done<T>), const Request& request) {
    std::promise<absl::StatusOr<T>> promise;
    (core_.get()->*method)(request, [&](absl::StatusOr<T> result) { promise.set_value(std::move(result)); });
    return promise.get_future().get();
  }

  absl::StatusOr<v1::Department> Create(const v1::Department& department, const std::string& request_id = "") {
    v1::CreateDepartmentRequest request;
    *request.mutable_department() = department;
    request.set_request_id(request_id);
    return Wait(&LedgerCore::CreateDepartment, request);
  }
  absl::StatusOr<v1::Budget> Put(const v1::Budget& budget, const std::string& request_id = "") {
    v1::PutBudgetRequest request;
    *request.mutable_budget() = budget;
    request.set_request_id(request_id);
    return Wait(&LedgerCore::PutBudget, request);
  }
  absl::StatusOr<v1::BudgetVersion> Transition(v1::WorkflowAction action, const std::string& comment = "",
                                               const std::string& request_id = "", int64_t expected_revision = 0,
                                               const std::string& name = kBudget) {
    v1::TransitionBudgetRequest request;
    request.set_name(name);
    request.set_action(action);
    request.set_comment(comment);
    request.set_request_id(request_id);
    request.set_expected_revision(expected_revision);
    return Wait(&LedgerCore::TransitionBudget, request);
  }
  absl::StatusOr<v1::Budget> Get(int64_t revision = 0) {
    v1::GetBudgetRequest request;
    request.set_name(kBudget);
    request.set_revision(revision);
    return core_->GetBudget(request);
  }
  // The reference department with its 2021 budget, stored as revision 1.
  void PutReference() {
    ASSERT_TRUE(Create(yusuan::testing::ReferenceDepartment()).ok());
    auto put = Put(yusuan::testing::ReferenceBudget());
    ASSERT_TRUE(put.ok()) << put.status();
    ASSERT_EQ(put->revision(), 1);
  }
  absl::StatusOr<v1::CatalogueEdition> Import(int edition, const std::string& content,
                                              const std::string& request_id = "") {
    v1::ImportCatalogueRequest request;
    request.set_edition(edition);
    request.set_file_name(absl::StrCat(edition, ".csv"));
    request.set_content(content);
    request.set_request_id(request_id);
    return Wait(&LedgerCore::ImportCatalogue, request);
  }

  std::atomic<int64_t> now_{kStart};
  yusuan::testing::TempStore store_;
  std::unique_ptr<CatalogueRegistry> registry_;
  std::unique_ptr<LedgerCore> core_;
};

TEST_F(LedgerCoreTest, CreatesADepartmentOnceAndReadsItBack) {
  auto created = Create(Department("420107", "005001022"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "regions/420107/departments/005001022");  // derived from the codes
  EXPECT_EQ(created->update_time_unix_ms(), kStart);
  EXPECT_FALSE(created->etag().empty());

  v1::GetDepartmentRequest get;
  get.set_name(created->name());
  auto read = core_->GetDepartment(get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), created->SerializeAsString());

  auto again = Create(Department("420107", "005001022"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Reason(again.status()), "ALREADY_EXISTS");

  get.set_name("regions/420107/departments/999");
  EXPECT_EQ(Reason(core_->GetDepartment(get).status()), "NOT_FOUND");
}

TEST_F(LedgerCoreTest, RefusesANameThatDisagreesWithTheCodes) {
  v1::Department department = Department("420107", "005001022");
  department.set_name("regions/420107/departments/005001023");
  auto created = Create(department);
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(created.status(), &info));
  EXPECT_EQ(info.metadata().at("rule_id"), "V-NAME-MISMATCH");
}

TEST_F(LedgerCoreTest, ARetryWithTheSameRequestIdAnswersTheFirstCreate) {
  auto first = Create(Department("420107", "005001022"), "req-1");
  ASSERT_TRUE(first.ok()) << first.status();
  now_ += 60'000;
  auto retry = Create(Department("420107", "005001022"), "req-1");
  ASSERT_TRUE(retry.ok()) << retry.status();  // not ALREADY_EXISTS: the same call again
  EXPECT_EQ(retry->etag(), first->etag());
  EXPECT_EQ(retry->update_time_unix_ms(), kStart);

  v1::Department other = Department("420107", "005001022");
  other.set_full_name("另一个部门");
  auto reused = Create(other, "req-1");
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reused.status().message(), HasSubstr("req-1"));
}

TEST_F(LedgerCoreTest, UpdatesADepartmentOnlyWithTheCurrentEtag) {
  v1::UpdateDepartmentRequest update;
  *update.mutable_department() = Department("420107", "005001022");
  EXPECT_EQ(Reason(Wait(&LedgerCore::UpdateDepartment, update).status()), "NOT_FOUND");

  update.set_allow_missing(true);
  auto upserted = Wait(&LedgerCore::UpdateDepartment, update);
  ASSERT_TRUE(upserted.ok()) << upserted.status();

  now_ += 1000;
  *update.mutable_department() = *upserted;
  update.mutable_department()->set_short_name("科协");
  auto updated = Wait(&LedgerCore::UpdateDepartment, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->short_name(), "科协");
  EXPECT_EQ(updated->update_time_unix_ms(), kStart + 1000);
  EXPECT_NE(updated->etag(), upserted->etag());

  update.mutable_department()->set_etag(upserted->etag());  // stale now
  EXPECT_EQ(Wait(&LedgerCore::UpdateDepartment, update).status().code(), absl::StatusCode::kAborted);
}

TEST_F(LedgerCoreTest, ListsDepartmentsInPagesAndByRegion) {
  for (const auto& [region, agency] :
       {std::pair{"420107", "001"}, std::pair{"420107", "002"}, std::pair{"420106", "003"}}) {
    ASSERT_TRUE(Create(Department(region, agency)).ok());
  }
  v1::ListDepartmentsRequest request;
  request.set_page_size(2);
  auto first = core_->ListDepartments(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->departments_size(), 2);
  EXPECT_EQ(first->departments(0).name(), "regions/420106/departments/003");
  EXPECT_EQ(first->departments(1).name(), "regions/420107/departments/001");
  ASSERT_FALSE(first->next_page_token().empty());

  request.set_page_token(first->next_page_token());
  auto second = core_->ListDepartments(request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->departments_size(), 1);
  EXPECT_EQ(second->departments(0).name(), "regions/420107/departments/002");
  EXPECT_TRUE(second->next_page_token().empty());

  v1::ListDepartmentsRequest in_region;
  in_region.set_parent("regions/420106");
  auto listed = core_->ListDepartments(in_region);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->departments_size(), 1);
  EXPECT_EQ(listed->departments(0).agency_code(), "003");

  in_region.set_parent("districts/420106");
  EXPECT_EQ(core_->ListDepartments(in_region).status().code(), absl::StatusCode::kInvalidArgument);
}

// The basic view is each department's identity, its profile (functions,
// offices, secondary units, staffing, phone) left out; the full view, and
// no view, the department as stored.
TEST_F(LedgerCoreTest, ListsDepartmentsInTheBasicOrTheFullView) {
  v1::Department with_profile = Department("420107", "001");
  with_profile.set_unit_type(v1::UNIT_TYPE_ADMINISTRATIVE);
  with_profile.add_internal_offices("办公室");
  with_profile.add_secondary_units()->set_code("001001");
  with_profile.set_contact_phone("027-86888888");
  auto created = Create(with_profile);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_GT(created->main_functions_size(), 0);

  v1::Department identity;
  identity.set_name(created->name());
  identity.set_region_code(created->region_code());
  identity.set_agency_code(created->agency_code());
  identity.set_full_name(created->full_name());
  identity.set_short_name(created->short_name());
  identity.set_fiscal_level(created->fiscal_level());
  identity.set_unit_type(created->unit_type());
  identity.set_funding_form(created->funding_form());
  identity.set_etag(created->etag());
  identity.set_update_time_unix_ms(created->update_time_unix_ms());

  for (const auto& [view, expected] :
       {std::pair{v1::DEPARTMENT_VIEW_BASIC, identity}, std::pair{v1::DEPARTMENT_VIEW_FULL, *created},
        std::pair{v1::DEPARTMENT_VIEW_UNSPECIFIED, *created}}) {
    SCOPED_TRACE(v1::DepartmentView_Name(view));
    v1::ListDepartmentsRequest request;
    request.set_view(view);
    auto listed = core_->ListDepartments(request);
    ASSERT_TRUE(listed.ok()) << listed.status();
    ASSERT_EQ(listed->departments_size(), 1);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(listed->departments(0), expected))
        << listed->departments(0).DebugString();
  }

  v1::ListDepartmentsRequest unknown;
  unknown.set_view(static_cast<v1::DepartmentView>(9));
  absl::Status refused = core_->ListDepartments(unknown).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.message()), ::testing::HasSubstr("view"));
}

// A page token that no page gave, and a negative page size, are refused
// instead of quietly restarting the list (issue 13).
TEST_F(LedgerCoreTest, RefusesABadPageTokenAndANegativePageSize) {
  ASSERT_TRUE(Create(Department("420107", "001")).ok());
  for (const char* token : {"garbage", "420107", "420107/001/x", "42010/001", "420107/A1"}) {
    v1::ListDepartmentsRequest request;
    request.set_page_token(token);
    EXPECT_EQ(core_->ListDepartments(request).status().code(), absl::StatusCode::kInvalidArgument) << token;
  }
  v1::ListDepartmentsRequest other_region;
  other_region.set_parent("regions/420106");
  other_region.set_page_token("420107/001");
  EXPECT_EQ(core_->ListDepartments(other_region).status().code(), absl::StatusCode::kInvalidArgument);

  v1::ListDepartmentsRequest negative;
  negative.set_page_size(-5);
  const auto refused = core_->ListDepartments(negative);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("page_size"), absl::string_view::npos);
  v1::ListBudgetRevisionsRequest revisions;
  revisions.set_name("regions/420107/departments/001/budgets/2021");
  revisions.set_page_size(-1);
  EXPECT_EQ(core_->ListBudgetRevisions(revisions).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LedgerCoreTest, ABudgetNotStoredYetOrADraftIsEditable) {
  v1::CheckBudgetEditableRequest check;
  check.set_name(kBudget);
  auto unknown = core_->CheckBudgetEditable(check);
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_EQ(unknown->status(), v1::FILING_STATUS_UNSPECIFIED);
  PutReference();
  auto draft = core_->CheckBudgetEditable(check);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->status(), v1::FILING_STATUS_DRAFT);
  check.set_name("regions/420107/budgets/2021");
  EXPECT_EQ(core_->CheckBudgetEditable(check).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LedgerCoreTest, ABudgetNeedsItsDepartmentFirst) {
  auto put = Put(yusuan::testing::ReferenceBudget());
  EXPECT_EQ(put.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(put.status()), "DEPARTMENT_MISSING");
}

TEST_F(LedgerCoreTest, EachPutIsTheNextImmutableRevision) {
  PutReference();
  now_ += 5000;
  v1::Budget changed = yusuan::testing::ReferenceBudget();
  changed.mutable_narrative()->set_general_budget_change_reason("新增在职人员两人");
  auto second = Put(changed);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 2);
  EXPECT_EQ(second->status(), v1::FILING_STATUS_DRAFT);
  EXPECT_EQ(second->update_time_unix_ms(), kStart + 5000);
  EXPECT_THAT(second->etag(), ::testing::StartsWith("r2-"));

  auto current = Get();
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_EQ(current->revision(), 2);
  EXPECT_EQ(current->etag(), second->etag());
  auto first = Get(1);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->narrative().general_budget_change_reason(), "本年度基本支出中新增在职人员一人");
  EXPECT_EQ(first->update_time_unix_ms(), kStart);
  EXPECT_EQ(Reason(Get(3).status()), "NOT_FOUND");

  v1::DiffBudgetRevisionsRequest diff;
  diff.set_name(kBudget);
  diff.set_from_revision(1);
  auto diffed = core_->DiffBudgetRevisions(diff);
  ASSERT_TRUE(diffed.ok()) << diffed.status();
  EXPECT_EQ(diffed->to_revision(), 2);
  EXPECT_THAT(diffed->changed_fields(), ElementsAre("narrative"));
  EXPECT_EQ(diffed->cells_size(), 0);  // no amount moved
  diff.set_from_revision(0);
  EXPECT_EQ(core_->DiffBudgetRevisions(diff).status().code(), absl::StatusCode::kInvalidArgument);

  // A put carrying the etag of revision 1 is refused: revision 2 replaced it.
  changed.set_etag(first->etag());
  EXPECT_EQ(Put(changed).status().code(), absl::StatusCode::kAborted);
}

TEST_F(LedgerCoreTest, ListsRevisionsInPages) {
  PutReference();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Put(yusuan::testing::ReferenceBudget()).ok());
  v1::ListBudgetRevisionsRequest request;
  request.set_name(kBudget);
  request.set_page_size(2);
  auto first = core_->ListBudgetRevisions(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->revisions_size(), 2);
  EXPECT_EQ(first->revisions(0).revision(), 1);
  EXPECT_EQ(first->revisions(1).revision(), 2);
  EXPECT_EQ(first->next_page_token(), "2");
  request.set_page_token(first->next_page_token());
  auto second = core_->ListBudgetRevisions(request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->revisions_size(), 1);
  EXPECT_EQ(second->revisions(0).revision(), 3);
  EXPECT_TRUE(second->next_page_token().empty());
  request.set_page_token("not-a-number");
  EXPECT_EQ(core_->ListBudgetRevisions(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LedgerCoreTest, ARetriedPutStoresNoSecondRevision) {
  ASSERT_TRUE(Create(yusuan::testing::ReferenceDepartment()).ok());
  auto first = Put(yusuan::testing::ReferenceBudget(), "put-1");
  ASSERT_TRUE(first.ok()) << first.status();
  now_ += 1000;
  auto retry = Put(yusuan::testing::ReferenceBudget(), "put-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->revision(), 1);
  EXPECT_EQ(retry->etag(), first->etag());
  EXPECT_EQ(Get()->revision(), 1);

  v1::Budget other = yusuan::testing::ReferenceBudget();
  other.mutable_narrative()->set_three_public_change_reason("压减");
  EXPECT_EQ(Put(other, "put-1").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Get()->revision(), 1);
}

TEST_F(LedgerCoreTest, WalksTheWorkflowToPublishedAndAmends) {
  PutReference();
  now_ += 1;
  auto submitted = Transition(v1::WORKFLOW_ACTION_SUBMIT);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->version(), 1);
  EXPECT_EQ(submitted->name(), std::string(kBudget) + "/versions/1");
  EXPECT_EQ(submitted->from_status(), v1::FILING_STATUS_DRAFT);
  EXPECT_EQ(submitted->to_status(), v1::FILING_STATUS_SUBMITTED);
  EXPECT_EQ(submitted->ledger_revision(), 1);
  EXPECT_EQ(submitted->time_unix_ms(), kStart + 1);
  EXPECT_EQ(Get()->status(), v1::FILING_STATUS_SUBMITTED);

  // Under review: no edits, and CheckBudgetEditable says so before any write.
  auto edit = Put(yusuan::testing::ReferenceBudget());
  EXPECT_EQ(edit.status().code(), absl::StatusCode::kFailedPrecondition);
  v1::CheckBudgetEditableRequest check;
  check.set_name(kBudget);
  auto editable = core_->CheckBudgetEditable(check);
  EXPECT_EQ(editable.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(editable.status().message(), edit.status().message());

  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_APPROVE).ok());
  auto published = Transition(v1::WORKFLOW_ACTION_PUBLISH);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->version(), 3);
  EXPECT_EQ(Get()->status(), v1::FILING_STATUS_PUBLISHED);

  // Editing a published budget starts an amendment: a new draft revision.
  editable = core_->CheckBudgetEditable(check);
  ASSERT_TRUE(editable.ok()) << editable.status();
  EXPECT_EQ(editable->status(), v1::FILING_STATUS_PUBLISHED);
  auto amended = Put(yusuan::testing::ReferenceBudget());
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->revision(), 2);
  EXPECT_EQ(Get()->status(), v1::FILING_STATUS_DRAFT);

  v1::ListBudgetVersionsRequest list;
  list.set_name(kBudget);
  auto versions = core_->ListBudgetVersions(list);
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_EQ(versions->versions_size(), 3);
  EXPECT_EQ(versions->versions(0).action(), v1::WORKFLOW_ACTION_SUBMIT);
  EXPECT_EQ(versions->versions(1).action(), v1::WORKFLOW_ACTION_APPROVE);
  EXPECT_EQ(versions->versions(2).action(), v1::WORKFLOW_ACTION_PUBLISH);
  EXPECT_TRUE(versions->next_page_token().empty());
}

// Every visible write leaves one record in the change log, in the same
// write: a department, each budget revision, the pin of a goals revision,
// each workflow step and the publication; refusals and retries leave none.
TEST_F(LedgerCoreTest, RecordsEveryVisibleWriteInTheChangeLogOnceAndInOrder) {
  PutReference();
  // A refused put (under review below) and a retried step write nothing.
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "submit-1").ok());
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "submit-1").ok());
  EXPECT_FALSE(Put(yusuan::testing::ReferenceBudget()).ok());
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_APPROVE).ok());
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_PUBLISH).ok());
  v1::PinGoalsRequest pin;
  pin.set_budget_name(kBudget);
  pin.set_goals_revision(3);
  ASSERT_TRUE(Wait(&LedgerCore::PinGoals, pin).ok());
  pin.set_request_id("again");
  ASSERT_TRUE(Wait(&LedgerCore::PinGoals, pin).ok());  // the same revision: nothing new visible

  v1::ReadChangesRequest request;
  request.set_region_prefix("4201");
  auto read = core_->ReadChanges(request);
  ASSERT_TRUE(read.ok()) << read.status();
  using yusuan::common::v1::Change;
  std::vector<std::string> seen;
  for (const Change& change : read->changes()) {
    seen.push_back(absl::StrCat(change.sequence(), " ", yusuan::common::v1::ChangeKind_Name(change.kind()), " ",
                                change.resource_name(), " ", change.revision(), " ", change.status()));
    EXPECT_EQ(change.region_code(), "420107");
  }
  const std::string budget = kBudget;
  EXPECT_THAT(seen,
              ::testing::ElementsAre("1 CHANGE_KIND_DEPARTMENT_PUT regions/420107/departments/005001022 0 ",
                                     absl::StrCat("2 CHANGE_KIND_BUDGET_REVISION ", budget, " 1 "),
                                     absl::StrCat("3 CHANGE_KIND_WORKFLOW_STEP ", budget, "/versions/1 1 SUBMITTED"),
                                     absl::StrCat("4 CHANGE_KIND_WORKFLOW_STEP ", budget, "/versions/2 2 APPROVED"),
                                     absl::StrCat("5 CHANGE_KIND_PUBLISHED ", budget, "/versions/3 3 PUBLISHED"),
                                     absl::StrCat("6 CHANGE_KIND_GOALS_REVISION ", budget, "/goals 3 ")));
  EXPECT_EQ(read->scanned_through(), 6u);
  EXPECT_EQ(read->first_sequence(), 1u);
  EXPECT_EQ(read->last_sequence(), 6u);
  EXPECT_EQ(read->log_id(), store_.get()->log_id());
  EXPECT_EQ(read->changes(0).time_unix_ms(), kStart);

  // Another region sees none of it, but its position moves on.
  request.set_region_prefix("11");
  read = core_->ReadChanges(request);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->changes_size(), 0);
  EXPECT_EQ(read->scanned_through(), 6u);

  request.set_region_prefix("42x");
  EXPECT_EQ(core_->ReadChanges(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LedgerCoreTest, RefusesStepsTheStateDoesNotAllow) {
  PutReference();
  auto approve = Transition(v1::WORKFLOW_ACTION_APPROVE);
  EXPECT_EQ(approve.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(approve.status().message(), HasSubstr("draft"));
  EXPECT_EQ(Transition(v1::WORKFLOW_ACTION_UNSPECIFIED).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "", /*expected_revision=*/2).status().code(),
            absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT).ok());
  // A return says what to change.
  EXPECT_EQ(Transition(v1::WORKFLOW_ACTION_RETURN).status().code(), absl::StatusCode::kInvalidArgument);
  auto returned = Transition(v1::WORKFLOW_ACTION_RETURN, "补充项目说明");
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->to_status(), v1::FILING_STATUS_RETURNED);
  EXPECT_EQ(returned->comment(), "补充项目说明");
  EXPECT_EQ(Get()->status(), v1::FILING_STATUS_RETURNED);

  auto missing = Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "", 0, "regions/420107/departments/005001022/budgets/2022");
  EXPECT_EQ(Reason(missing.status()), "NOT_FOUND");
}

TEST_F(LedgerCoreTest, ARetriedTransitionIsOneStep) {
  PutReference();
  auto first = Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "submit-1");
  ASSERT_TRUE(first.ok()) << first.status();
  now_ += 1000;
  // Without the request id a second submit would be refused (already submitted).
  auto retry = Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "submit-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->version(), 1);
  EXPECT_EQ(retry->time_unix_ms(), first->time_unix_ms());
  v1::ListBudgetVersionsRequest list;
  list.set_name(kBudget);
  EXPECT_EQ(core_->ListBudgetVersions(list)->versions_size(), 1);
  EXPECT_EQ(Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "").status().code(), absl::StatusCode::kFailedPrecondition);
}

// The gateway archives the files first and then marks the version: the
// ledger takes the version number the files name (refusing another) and
// their publish time, and a retry is recognised by what the caller sent,
// not by what the gateway derived.
TEST_F(LedgerCoreTest, PublishTakesTheArchivedVersionAndTimeAndRefusesAnother) {
  PutReference();
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT).ok());
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_APPROVE).ok());
  v1::TransitionBudgetRequest publish;
  publish.set_name(kBudget);
  publish.set_action(v1::WORKFLOW_ACTION_PUBLISH);
  publish.set_request_id("publish-1");
  publish.set_goals_revision(4);
  publish.set_publish_version(4);  // the next is 3
  publish.set_publish_time_unix_ms(kStart - 5000);
  auto refused = Wait(&LedgerCore::TransitionBudget, publish);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(refused.status()), "PUBLISH_VERSION_MISMATCH");
  EXPECT_EQ(Get()->status(), v1::FILING_STATUS_APPROVED);

  publish.set_publish_version(3);
  auto published = Wait(&LedgerCore::TransitionBudget, publish);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->version(), 3);
  EXPECT_EQ(published->time_unix_ms(), kStart - 5000);
  EXPECT_EQ(published->goals_revision(), 4);
  // The same request without what the gateway derived is the same request.
  publish.clear_publish_version();
  publish.clear_publish_time_unix_ms();
  publish.clear_goals_revision();
  auto retried = Wait(&LedgerCore::TransitionBudget, publish);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->version(), 3);
  EXPECT_EQ(retried->time_unix_ms(), kStart - 5000);
  // Another comment under that request id is another request.
  publish.set_comment("再次公开");
  EXPECT_EQ(Wait(&LedgerCore::TransitionBudget, publish).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerCoreTest, SubmitNeedsAValidationByTheCurrentRulesAndValidateRecordsIt) {
  PutReference();
  // As if the budget had been validated by an older rule set.
  const std::string key = ParseBudgetName(kBudget)->Key();
  ASSERT_TRUE(store_
                  ->Apply([&](Store::Txn& txn) {
                    auto stored = txn.Get(kWorkflowCf, key);
                    if (!stored.ok()) return stored.status();
                    v1::WorkflowState state;
                    state.ParseFromString(stored->value_or(""));
                    state.mutable_last_validation()->set_rule_set_version("ledger-rules-0");
                    txn.Put(kWorkflowCf, key, state.SerializeAsString());
                    return absl::OkStatus();
                  })
                  .ok());
  auto refused = Transition(v1::WORKFLOW_ACTION_SUBMIT);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(refused.status()), "VALIDATION_OUTDATED");

  v1::ValidateBudgetRequest validate;
  validate.set_name(kBudget);
  auto report = Wait(&LedgerCore::ValidateBudget, validate);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->fatal_count(), 0);
  EXPECT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT).ok());

  // The stored budget or a given one, not both.
  *validate.mutable_budget() = yusuan::testing::ReferenceBudget();
  EXPECT_EQ(Wait(&LedgerCore::ValidateBudget, validate).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LedgerCoreTest, ValidatesAGivenBudgetWithoutStoringIt) {
  v1::ValidateBudgetRequest validate;
  *validate.mutable_department() = yusuan::testing::ReferenceDepartment();
  *validate.mutable_budget() = yusuan::testing::ReferenceBudget();
  auto clean = Wait(&LedgerCore::ValidateBudget, validate);
  ASSERT_TRUE(clean.ok()) << clean.status();
  EXPECT_EQ(clean->fatal_count(), 0);

  validate.mutable_budget()->mutable_income_lines(0)->set_amount_fen(1);  // income no longer covers spending
  auto broken = Wait(&LedgerCore::ValidateBudget, validate);
  ASSERT_TRUE(broken.ok()) << broken.status();
  EXPECT_GT(broken->fatal_count(), 0);
  EXPECT_EQ(Reason(Get().status()), "NOT_FOUND");

  // The same budget is refused by a put, with the findings as details.
  ASSERT_TRUE(Create(yusuan::testing::ReferenceDepartment()).ok());
  auto put = Put(validate.budget());
  EXPECT_EQ(put.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(put.status()), "VALIDATION_FAILED");
  yusuan::common::v1::ValidationReport details;
  ASSERT_TRUE(GetDetail(put.status(), &details));
  EXPECT_EQ(details.fatal_count(), broken->fatal_count());
}

TEST_F(LedgerCoreTest, ListsSubmissionsInPages) {
  for (const char* agency : {"005001022", "005001023"}) {
    ASSERT_TRUE(Create(Department("420107", agency)).ok());
    ASSERT_TRUE(Put(BudgetOf("420107", agency)).ok());
  }
  ASSERT_TRUE(Create(Department("420106", "005001024")).ok());
  ASSERT_TRUE(Put(BudgetOf("420106", "005001024")).ok());
  for (const char* name :
       {"regions/420107/departments/005001022/budgets/2021", "regions/420107/departments/005001023/budgets/2021"}) {
    ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "", 0, name).ok());
  }

  v1::ListSubmissionsRequest request;
  request.set_parent("regions/4201");
  request.set_page_size(1);
  auto first = core_->ListSubmissions(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->submissions_size(), 1);
  EXPECT_EQ(first->submissions(0).budget_name(), "regions/420107/departments/005001022/budgets/2021");
  EXPECT_EQ(first->submissions(0).department_full_name(), "武汉市青山区科学技术协会");
  EXPECT_EQ(first->submissions(0).last_version().action(), v1::WORKFLOW_ACTION_SUBMIT);
  EXPECT_EQ(first->next_page_token(), first->submissions(0).budget_name());

  request.set_page_token(first->next_page_token());
  auto second = core_->ListSubmissions(request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->submissions_size(), 1);
  EXPECT_EQ(second->submissions(0).budget_name(), "regions/420107/departments/005001023/budgets/2021");
  EXPECT_TRUE(second->next_page_token().empty());

  // A token of another city's queue, or no budget name, is no position in
  // this one (regions/4201): refused rather than restarting the list.
  for (const char* token : {"regions/420502/departments/005001024/budgets/2021", "420107/005001022", "garbage"}) {
    request.set_page_token(token);
    EXPECT_EQ(core_->ListSubmissions(request).status().code(), absl::StatusCode::kInvalidArgument) << token;
  }

  // The draft of 420106 shows among the drafts, not among the submissions.
  v1::ListSubmissionsRequest drafts;
  drafts.set_parent("regions/");
  drafts.set_status(v1::FILING_STATUS_DRAFT);
  auto listed = core_->ListSubmissions(drafts);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->submissions_size(), 1);
  EXPECT_EQ(listed->submissions(0).budget_name(), "regions/420106/departments/005001024/budgets/2021");

  // Each queue is kept with the workflow: a returned budget leaves the
  // submissions for the returned, and comes back when submitted again.
  auto names_in = [&](const std::string& parent, v1::FilingStatus status) {
    v1::ListSubmissionsRequest queue;
    queue.set_parent(parent);
    queue.set_status(status);
    std::vector<std::string> names;
    auto page = core_->ListSubmissions(queue);
    EXPECT_TRUE(page.ok()) << page.status();
    if (page.ok()) {
      for (const auto& submission : page->submissions()) {
        names.push_back(submission.budget_name());
        EXPECT_EQ(submission.status(), status);
      }
    }
    return names;
  };
  const std::string returned_name = "regions/420107/departments/005001023/budgets/2021";
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_RETURN, "请补充说明", "", 0, returned_name).ok());
  using ::testing::ElementsAre;
  EXPECT_THAT(names_in("regions/42", v1::FILING_STATUS_SUBMITTED),
              ElementsAre("regions/420107/departments/005001022/budgets/2021"));
  EXPECT_THAT(names_in("regions/42", v1::FILING_STATUS_RETURNED), ElementsAre(returned_name));

  // Built again from the workflow alone (a data directory from before the
  // queues), every queue is the same.
  ASSERT_TRUE(DeleteEverythingIn(*store_.get(), kQueueCf).ok());
  EXPECT_TRUE(names_in("regions/", v1::FILING_STATUS_SUBMITTED).empty());
  auto rebuilt = EnsureQueues(*store_.get());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(*rebuilt, 3);
  EXPECT_THAT(names_in("regions/", v1::FILING_STATUS_SUBMITTED),
              ElementsAre("regions/420107/departments/005001022/budgets/2021"));
  EXPECT_THAT(names_in("regions/4201", v1::FILING_STATUS_RETURNED), ElementsAre(returned_name));
  EXPECT_THAT(names_in("regions/", v1::FILING_STATUS_DRAFT),
              ElementsAre("regions/420106/departments/005001024/budgets/2021"));
  auto again = EnsureQueues(*store_.get());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "", 0, returned_name).ok());
  EXPECT_THAT(names_in("regions/420107", v1::FILING_STATUS_SUBMITTED),
              ElementsAre("regions/420107/departments/005001022/budgets/2021", returned_name));
  EXPECT_TRUE(names_in("regions/", v1::FILING_STATUS_RETURNED).empty());
}

TEST_F(LedgerCoreTest, ComputesTheTablesOfTheStoredBudget) {
  PutReference();
  v1::ComputeTablesRequest request;
  request.set_name(kBudget);
  request.set_with_sources(true);
  auto tables = core_->ComputeTables(request);
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_EQ(tables->tables_size(), 8);
  EXPECT_GT(tables->cell_sources_size(), 0);

  v1::ComputeTablesRequest other_edition;
  *other_edition.mutable_budget() = yusuan::testing::ReferenceBudget();
  other_edition.mutable_budget()->set_catalogue_edition(1999);
  EXPECT_EQ(core_->ComputeTables(other_edition).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerCoreTest, ComputesOneUnitsShareOfTheTables) {
  v1::Department department = yusuan::testing::ReferenceDepartment();
  v1::SecondaryUnit* museum = department.add_secondary_units();
  museum->set_code("005001022001");
  museum->set_name("武汉市青山区科技馆");
  museum->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  ASSERT_TRUE(Create(department).ok());

  // The last expenditure line and the income that pays for it move to the museum.
  v1::Budget budget = yusuan::testing::ReferenceBudget();
  v1::ExpenditureLine* moved = budget.mutable_expenditure_lines(budget.expenditure_lines_size() - 1);
  moved->set_unit_code(museum->code());
  const int64_t museum_fen = moved->amount_fen();
  for (v1::IncomeLine& income : *budget.mutable_income_lines()) {
    if (income.source() != v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET || income.amount_fen() < museum_fen) continue;
    income.set_amount_fen(income.amount_fen() - museum_fen);
    v1::IncomeLine* paid = budget.add_income_lines();
    *paid = income;
    paid->set_amount_fen(museum_fen);
    paid->set_unit_code(museum->code());
    break;
  }

  auto spending = [&](const std::optional<std::string>& unit) -> int64_t {
    v1::ComputeTablesRequest request;
    *request.mutable_budget() = budget;
    if (unit) request.set_unit_code(*unit);
    auto tables = core_->ComputeTables(request);
    EXPECT_TRUE(tables.ok()) << tables.status();
    if (!tables.ok()) return -1;
    EXPECT_EQ(tables->tables_size(), 8);
    return tables->summary().department_basic_fen() + tables->summary().department_project_fen();
  };
  const int64_t whole = spending(std::nullopt);
  EXPECT_EQ(spending(museum->code()), museum_fen);
  // The 本级 goes by "" or by the department's agency code.
  EXPECT_EQ(spending(""), whole - museum_fen);
  EXPECT_EQ(spending(department.agency_code()), whole - museum_fen);

  v1::ComputeTablesRequest unknown;
  *unknown.mutable_budget() = budget;
  unknown.set_unit_code("005001022009");
  absl::Status refused = core_->ComputeTables(unknown).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(refused.message().find("005001022009"), std::string::npos) << refused;
  EXPECT_NE(refused.message().find("005001022001 武汉市青山区科技馆"), std::string::npos) << refused;
}

// The small file of catalogue_registry_test.cc: enough codes for an import.
std::string CatalogueCsv(const std::string& name_of_2010101) {
  return "科目编码,科目名称,级次,预算\n"
         "201,一般公共服务支出,类,\n"
         "20101,人大事务,款,\n"
         "2010101," +
         name_of_2010101 +
         ",项,\n"
         "207,文化旅游体育与传媒支出,类,\n"
         "20707,国家电影事业发展专项资金安排的支出,款,\n"
         "2070701,资助国产影片放映,项,\n"
         "301,工资福利支出,类,\n"
         "30101,基本工资,款,\n"
         "501,机关工资福利支出,类,\n"
         "50101,工资奖金津补贴,款,\n";
}

TEST_F(LedgerCoreTest, ImportsCatalogueVersionsAndServesTheLatest) {
  auto first = Import(2031, CatalogueCsv("行政运行"), "import-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version(), 1);
  EXPECT_EQ(first->import_time_unix_ms(), kStart);
  now_ += 1000;
  auto retry = Import(2031, CatalogueCsv("行政运行"), "import-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->version(), 1);
  auto second = Import(2031, CatalogueCsv("行政运行（一般行政管理事务）"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version(), 2);
  EXPECT_EQ(second->import_time_unix_ms(), kStart + 1000);

  v1::GetCatalogueCodeRequest code;
  code.set_edition(2031);
  code.set_code("2010101");
  auto served = core_->GetCatalogueCode(code);
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(served->entry().name(), "行政运行（一般行政管理事务）");
  code.set_code("2010199");
  EXPECT_EQ(Reason(core_->GetCatalogueCode(code).status()), "CODE_NOT_FOUND");

  v1::GetCatalogueRequest old;
  old.set_edition(2031);
  old.set_version(1);
  auto loaded = core_->GetCatalogue(old);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->about().version(), 1);
  EXPECT_EQ(loaded->about().stored_versions(), 2);
  old.set_version(-1);
  EXPECT_EQ(core_->GetCatalogue(old).status().code(), absl::StatusCode::kInvalidArgument);

  bool listed = false;
  const v1::ListCataloguesResponse catalogues = core_->ListCatalogues();
  for (const auto& about : catalogues.editions()) {
    if (about.edition() == 2031) listed = about.version() == 2;
  }
  EXPECT_TRUE(listed);
}

TEST_F(LedgerCoreTest, RefusesToReplaceAnEditionASubmittedBudgetUses) {
  PutReference();
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT).ok());
  auto import = Import(2021, CatalogueCsv("行政运行"));
  EXPECT_EQ(import.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(import.status()), "CATALOGUE_IN_USE");
  EXPECT_THAT(import.status().message(), HasSubstr(kBudget));
}

// What a render of the budget is made from: every write that changes the
// report changes the revision, and the tables say the same of themselves.
TEST_F(LedgerCoreTest, TheReportRevisionChangesWithEveryInputOfTheReport) {
  v1::GetReportRevisionRequest request;
  request.set_budget_name(kBudget);
  EXPECT_EQ(core_->GetReportRevision(request).status().code(), absl::StatusCode::kNotFound);
  PutReference();
  auto first = core_->GetReportRevision(request);
  ASSERT_TRUE(first.ok()) << first.status();
  auto budget = Get();
  ASSERT_TRUE(budget.ok());
  v1::GetDepartmentRequest department_request;
  department_request.set_name(yusuan::testing::ReferenceDepartment().name());
  auto department = core_->GetDepartment(department_request);
  ASSERT_TRUE(department.ok());
  EXPECT_EQ(first->budget_etag(), budget->etag());
  EXPECT_EQ(first->department_etag(), department->etag());
  EXPECT_EQ(first->budget_status(), v1::FILING_STATUS_DRAFT);
  EXPECT_EQ(first->catalogue_edition(), 2021);
  EXPECT_EQ(first->catalogue_version(), 0);
  EXPECT_FALSE(first->projection_version().empty());
  EXPECT_EQ(first->pin().goals_revision(), 0);

  v1::ComputeTablesRequest tables_request;
  tables_request.set_name(kBudget);
  auto tables = core_->ComputeTables(tables_request);
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_EQ(tables->catalogue_version(), first->catalogue_version());
  EXPECT_EQ(tables->projection_version(), first->projection_version());

  // The department changes.
  v1::Department renamed = yusuan::testing::ReferenceDepartment();
  renamed.set_short_name("区科协（改）");
  v1::UpdateDepartmentRequest update;
  *update.mutable_department() = renamed;
  ASSERT_TRUE(Wait(&LedgerCore::UpdateDepartment, update).ok());
  auto second = core_->GetReportRevision(request);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->department_etag(), first->department_etag());
  EXPECT_EQ(second->budget_etag(), first->budget_etag());

  // A new revision of the budget, then its status.
  ASSERT_TRUE(Put(yusuan::testing::ReferenceBudget()).ok());
  auto third = core_->GetReportRevision(request);
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->budget_etag(), second->budget_etag());
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT).ok());
  auto fourth = core_->GetReportRevision(request);
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->budget_etag(), third->budget_etag());
  EXPECT_EQ(fourth->budget_status(), v1::FILING_STATUS_SUBMITTED);
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_RETURN, "请补充说明").ok());

  // The catalogue of the budget's edition gets a stored version (one that
  // no longer has the budget's codes: the revision does not project).
  ASSERT_TRUE(Import(2021, CatalogueCsv("行政运行（新）")).ok());
  auto fifth = core_->GetReportRevision(request);
  ASSERT_TRUE(fifth.ok());
  EXPECT_EQ(fifth->catalogue_version(), 1);
  EXPECT_EQ(fifth->budget_status(), v1::FILING_STATUS_RETURNED);
  EXPECT_EQ(fifth->budget_etag(), third->budget_etag());
}

TEST_F(LedgerCoreTest, ListsTheRulesOfTheCurrentRuleSet) {
  const auto rules = core_->ListRules();
  EXPECT_FALSE(rules.version().empty());
  EXPECT_GT(rules.rules_size(), 0);
}

// The commit point of a filing (README § Atomic filings).
class CommitFilingTest : public LedgerCoreTest {
 protected:
  absl::StatusOr<v1::CommitFilingResponse> Commit(const v1::Department& department, const v1::Budget& budget,
                                                  int64_t goals_revision, const std::string& request_id = "") {
    v1::CommitFilingRequest request;
    *request.mutable_department() = department;
    *request.mutable_budget() = budget;
    request.set_goals_revision(goals_revision);
    request.set_request_id(request_id);
    return Wait(&LedgerCore::CommitFiling, request);
  }
  absl::StatusOr<v1::GoalsPin> Pin(int64_t goals_revision, const std::string& request_id = "") {
    v1::PinGoalsRequest request;
    request.set_budget_name(kBudget);
    request.set_goals_revision(goals_revision);
    request.set_request_id(request_id);
    return Wait(&LedgerCore::PinGoals, request);
  }
  v1::GoalsPin PinOf(int64_t revision = 0) {
    v1::GetGoalsPinRequest request;
    request.set_budget_name(kBudget);
    request.set_revision(revision);
    auto pin = core_->GetGoalsPin(request);
    EXPECT_TRUE(pin.ok()) << pin.status();
    return pin.ok() ? *pin : v1::GoalsPin();
  }
  bool DepartmentStored() {
    v1::GetDepartmentRequest request;
    request.set_name(yusuan::testing::ReferenceDepartment().name());
    return core_->GetDepartment(request).ok();
  }
};

// The gateway takes a filing's ledger findings from the commit instead of
// asking ValidateBudget as well: they must be the same, a retry's included.
TEST_F(CommitFilingTest, ACommitAnswersTheFindingsValidateBudgetGives) {
  v1::ValidateBudgetRequest validate;
  *validate.mutable_department() = yusuan::testing::ReferenceDepartment();
  *validate.mutable_budget() = yusuan::testing::ReferenceBudget();
  auto expected = Wait(&LedgerCore::ValidateBudget, validate);
  ASSERT_TRUE(expected.ok()) << expected.status();
  ASSERT_GT(expected->findings_size(), 0) << "the reference budget has findings to carry";
  std::optional<v1::CommitFilingResponse> first;
  for (const char* attempt : {"first", "retry"}) {
    auto committed = Commit(yusuan::testing::ReferenceDepartment(), yusuan::testing::ReferenceBudget(), 2, "v1");
    ASSERT_TRUE(committed.ok()) << attempt << ": " << committed.status();
    EXPECT_EQ(committed->budget().revision(), 1) << attempt;
    EXPECT_EQ(committed->validation().SerializeAsString(), expected->SerializeAsString()) << attempt;
    if (!first) first = *committed;
  }
  // The retry's department and budget are the first answer's, though the
  // answer remembered for it does not hold the budget's lines again.
  auto retry = Commit(yusuan::testing::ReferenceDepartment(), yusuan::testing::ReferenceBudget(), 2, "v1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->budget().SerializeAsString(), first->budget().SerializeAsString());
  EXPECT_EQ(retry->department().SerializeAsString(), first->department().SerializeAsString());
  const size_t largest_answer = yusuan::testing::LargestValueSize(*store_.get(), kIdempotencyCf);
  EXPECT_GT(largest_answer, 0u);
  EXPECT_LT(largest_answer, first->department().ByteSizeLong() + first->budget().ByteSizeLong() / 2)
      << "the department, and the budget only by its name and revision";
}

TEST_F(CommitFilingTest, StoresDepartmentBudgetAndGoalsPinInOneWrite) {
  const uint64_t groups_before = store_->mutations_committed();
  auto committed = Commit(yusuan::testing::ReferenceDepartment(), yusuan::testing::ReferenceBudget(), 3, "f1");
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(store_->mutations_committed(), groups_before + 1) << "one mutation, so one atomic write";
  EXPECT_EQ(committed->budget().revision(), 1);
  EXPECT_FALSE(committed->department().etag().empty());
  EXPECT_EQ(committed->goals_pin().goals_revision(), 3);
  EXPECT_TRUE(DepartmentStored());
  EXPECT_EQ(Get()->revision(), 1);
  EXPECT_EQ(PinOf().goals_revision(), 3);
  EXPECT_TRUE(PinOf(3).revision_pinned());
  EXPECT_FALSE(PinOf(2).revision_pinned());

  auto replay = Commit(yusuan::testing::ReferenceDepartment(), yusuan::testing::ReferenceBudget(), 3, "f1");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->budget().revision(), 1) << "a retry answers the first commit";
  EXPECT_EQ(Get()->revision(), 1);
}

TEST_F(CommitFilingTest, ARefusedPartStoresNoPart) {
  // A budget the rules refuse: not even the (valid) department is stored.
  v1::Budget broken = yusuan::testing::ReferenceBudget();
  broken.set_fiscal_year(2020);
  auto refused = Commit(yusuan::testing::ReferenceDepartment(), broken, 1);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(DepartmentStored());
  EXPECT_EQ(PinOf().goals_revision(), 0);

  // A budget under review: refused in the write, nothing of the filing stored.
  PutReference();
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT).ok());
  v1::Department renamed = yusuan::testing::ReferenceDepartment();
  renamed.set_short_name("改名后的部门");
  auto under_review = Commit(renamed, yusuan::testing::ReferenceBudget(), 2);
  EXPECT_EQ(under_review.status().code(), absl::StatusCode::kFailedPrecondition) << under_review.status();
  v1::GetDepartmentRequest request;
  request.set_name(renamed.name());
  EXPECT_NE(core_->GetDepartment(request)->short_name(), "改名后的部门");
  EXPECT_EQ(Get()->revision(), 1);
  EXPECT_EQ(PinOf().goals_revision(), 0);
}

TEST_F(CommitFilingTest, AFilingOfAnotherDepartmentsBudgetIsRefused) {
  auto refused = Commit(Department("420107", "005001023"), yusuan::testing::ReferenceBudget(), 1);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("budget.name"));
}

TEST_F(CommitFilingTest, AnOlderGoalsRevisionIsSupersededAndStoresNothing) {
  ASSERT_TRUE(Commit(yusuan::testing::ReferenceDepartment(), yusuan::testing::ReferenceBudget(), 5, "new").ok());
  v1::Budget other = yusuan::testing::ReferenceBudget();
  other.mutable_narrative()->set_three_public_change_reason("较早暂存的申报");
  auto superseded = Commit(yusuan::testing::ReferenceDepartment(), other, 4, "old");
  EXPECT_EQ(superseded.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Reason(superseded.status()), "FILING_SUPERSEDED");
  EXPECT_EQ(Get()->revision(), 1) << "the budget of the superseded filing is not stored";
  EXPECT_EQ(PinOf().goals_revision(), 5);

  auto pinned = Pin(6, "p6");
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  EXPECT_EQ(PinOf().goals_revision(), 6);
  EXPECT_TRUE(PinOf(5).revision_pinned()) << "revisions pinned before stay known as pinned";
  EXPECT_EQ(Reason(Pin(4).status()), "FILING_SUPERSEDED");
  EXPECT_TRUE(Pin(6, "p6").ok()) << "a retry of the same pin";
  EXPECT_EQ(Pin(0).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------- roll-ups

v1::RollupTotals SumOf(const std::vector<std::pair<v1::Department, v1::Budget>>& filed) {
  v1::RollupTotals sum;
  for (const auto& [department, budget] : filed)
    EXPECT_TRUE(AddTotals(ContributionOf(department, budget), +1, sum).ok());
  return sum;
}

class RollupTest : public LedgerCoreTest {
 protected:
  absl::StatusOr<v1::Rollup> Rollup(const std::string& prefix, std::vector<v1::FilingStatus> statuses = {}) {
    v1::GetRollupRequest request;
    request.set_name(absl::StrCat("regions/", prefix, "/rollups/2021"));
    for (v1::FilingStatus status : statuses) request.add_statuses(status);
    return core_->GetRollup(request);
  }
  // The roll-up as its totals would present, without the request's fields.
  v1::Rollup Expected(const v1::RollupTotals& totals) {
    return PresentRollup(totals, registry_->Snapshot()->set.Find(2021));
  }
  void ExpectRollup(const std::string& prefix, std::vector<v1::FilingStatus> statuses,
                    const std::vector<std::pair<v1::Department, v1::Budget>>& filed) {
    absl::StatusOr<v1::Rollup> rollup = Rollup(prefix, statuses);
    ASSERT_TRUE(rollup.ok()) << rollup.status();
    v1::Rollup got = *rollup;
    EXPECT_EQ(got.name(), absl::StrCat("regions/", prefix, "/rollups/2021"));
    EXPECT_EQ(got.region_prefix(), prefix);
    got.clear_name();
    got.clear_region_prefix();
    got.clear_fiscal_year();
    got.clear_statuses();
    got.clear_read_time_unix_ms();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(got, Expected(SumOf(filed))))
        << prefix << "\n"
        << got.ShortDebugString() << "\nexpected\n"
        << Expected(SumOf(filed)).ShortDebugString();
  }
  std::pair<v1::Department, v1::Budget> File(const std::string& region, const std::string& agency) {
    v1::Department department = Department(region, agency);
    auto created = Create(department);
    EXPECT_TRUE(created.ok()) << created.status();
    auto put = Put(BudgetOf(region, agency));
    EXPECT_TRUE(put.ok()) << put.status();
    return {created.ok() ? *created : department, BudgetOf(region, agency)};
  }
  absl::Status DropRollups() { return DeleteEverythingIn(*store_.get(), kRollupsCf); }
};

TEST_F(RollupTest, SumsFollowEveryWriteStepAndDepartmentChange) {
  auto a = File("420107", "001");
  auto b = File("420107", "002");
  auto c = File("420111", "003");
  auto d = File("420201", "004");
  const v1::FilingStatus kDraft = v1::FILING_STATUS_DRAFT, kSubmitted = v1::FILING_STATUS_SUBMITTED;
  ExpectRollup("42", {}, {a, b, c, d});
  ExpectRollup("4201", {}, {a, b, c});
  ExpectRollup("420107", {}, {a, b});
  ExpectRollup("4202", {}, {d});
  ExpectRollup("43", {}, {});
  auto province = Rollup("42");
  ASSERT_TRUE(province.ok());
  EXPECT_EQ(province->budget_count(), 4);
  EXPECT_EQ(province->statuses_size(), 5);
  EXPECT_GT(province->expenditure_fen(), 0);

  // A step moves the budget to the sums of its new state.
  const std::string a_name = "regions/420107/departments/001/budgets/2021";
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_SUBMIT, "", "", 0, a_name).ok());
  ExpectRollup("4201", {kSubmitted}, {a});
  ExpectRollup("4201", {kDraft}, {b, c});
  ExpectRollup("4201", {kDraft, kSubmitted}, {a, b, c});

  // A new revision replaces the old one's amounts: 100 分 moves between two
  // 人员经费 lines of one source, so the budget still balances.
  ASSERT_TRUE(Transition(v1::WORKFLOW_ACTION_RETURN, "改", "", 0, a_name).ok());
  v1::Budget edited = a.second;
  int from = -1, to = -1;
  for (int i = 0; i < edited.expenditure_lines_size(); ++i) {
    const v1::ExpenditureLine& line = edited.expenditure_lines(i);
    if (line.kind() != v1::EXPENDITURE_KIND_BASIC_PERSONNEL || line.amount_fen() < 100) continue;
    if (from < 0) {
      from = i;
    } else if (line.fund_source() == edited.expenditure_lines(from).fund_source() &&
               line.functional_code() != edited.expenditure_lines(from).functional_code()) {
      to = i;
      break;
    }
  }
  ASSERT_GE(to, 0) << "the reference budget has two 人员经费 lines of one source under different 项";
  edited.mutable_expenditure_lines(from)->set_amount_fen(edited.expenditure_lines(from).amount_fen() - 100);
  edited.mutable_expenditure_lines(to)->set_amount_fen(edited.expenditure_lines(to).amount_fen() + 100);
  auto put = Put(edited);
  ASSERT_TRUE(put.ok()) << put.status();
  a.second = edited;
  ExpectRollup("420107", {}, {a, b});
  ExpectRollup("420107", {kSubmitted}, {});
  ExpectRollup("420107", {v1::FILING_STATUS_RETURNED}, {});
  ExpectRollup("420107", {kDraft}, {a, b});

  // A department whose 本级 no longer runs an office: its lines leave 机关运行经费.
  v1::UpdateDepartmentRequest update;
  *update.mutable_department() = b.first;
  update.mutable_department()->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  update.mutable_department()->clear_etag();
  auto updated = Wait(&LedgerCore::UpdateDepartment, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  const int64_t before = SumOf({a, b}).machinery_operating_fen();
  b.first = *updated;
  ExpectRollup("420107", {}, {a, b});
  EXPECT_LT(SumOf({a, b}).machinery_operating_fen(), before);

  // Built again from the budgets alone (a data directory from before
  // roll-ups), the sums are the same.
  ASSERT_TRUE(DropRollups().ok());
  auto rebuilt = EnsureRollups(*store_.get());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(*rebuilt, 4);
  ExpectRollup("42", {}, {a, b, c, d});
  ExpectRollup("420107", {kDraft}, {a, b});
  ExpectRollup("4201", {kDraft}, {a, b, c});
  auto again = EnsureRollups(*store_.get());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  ExpectRollup("42", {}, {a, b, c, d});
}

TEST_F(RollupTest, RefusesABadNameOrState) {
  v1::GetRollupRequest request;
  request.set_name("regions/420107/rollups/21");
  EXPECT_EQ(core_->GetRollup(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_name("regions/420107/rollups/2021");
  request.add_statuses(v1::FILING_STATUS_UNSPECIFIED);
  absl::Status refused = core_->GetRollup(request).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("statuses[0]"));
  request.set_statuses(0, static_cast<v1::FilingStatus>(42));
  EXPECT_EQ(core_->GetRollup(request).status().code(), absl::StatusCode::kInvalidArgument);
}

// What a report revision holds beyond the stored records (the catalogue
// version served, the projection of this process) changes with no change
// in the log: the serving epoch says so to those who keep such answers.
TEST_F(LedgerCoreTest, TheServingEpochChangesWithTheProcessAndTheCatalogueVersionsServed) {
  auto epoch = [this] {
    auto read = core_->ReadChanges(v1::ReadChangesRequest());
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? read->serving_epoch() : std::string();
  };
  const std::string first = epoch();
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(epoch(), first);
  PutReference();  // changes in the log leave it as it was
  EXPECT_EQ(epoch(), first);

  ASSERT_TRUE(Import(2031, CatalogueCsv("行政运行")).ok());
  const std::string imported = epoch();
  EXPECT_NE(imported, first);
  EXPECT_EQ(epoch(), imported);

  // The same data served by another process: another epoch.
  core_ = std::make_unique<LedgerCore>(store_.get(), registry_.get(), [this] { return now_.load(); });
  EXPECT_NE(epoch(), imported);
}

}  // namespace
}  // namespace yusuan::ledger
