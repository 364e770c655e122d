#include "services/common/wire.h"

#include <string>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/ledger/v1/ledger_service.pb.h"

namespace yusuan {
namespace {

namespace v1 = yusuan::ledger::v1;
using google::protobuf::util::MessageDifferencer;

v1::Department Department(const std::string& agency) {
  v1::Department department;
  department.set_name("regions/420107/departments/" + agency);
  department.set_region_code("420107");
  department.set_agency_code(agency);
  department.set_full_name("青山区科学技术协会");
  department.add_main_functions("负责全区科普工作。");
  department.mutable_staffing()->set_in_service(12);
  department.set_etag("r1-abc");
  return department;
}

TEST(Wire, StoredRecordsConcatenatedReadAsTheRepeatedField) {
  v1::ListDepartmentsResponse expected;
  std::string wire;
  for (const char* agency : {"005001022", "005001023", "005001024"}) {
    *expected.add_departments() = Department(agency);
    AppendMessageField(v1::ListDepartmentsResponse::kDepartmentsFieldNumber, Department(agency).SerializeAsString(),
                       &wire);
  }
  expected.set_next_page_token("420107/005001024");
  AppendStringField(v1::ListDepartmentsResponse::kNextPageTokenFieldNumber, "420107/005001024", &wire);

  v1::ListDepartmentsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, expected)) << parsed.DebugString();
  // Byte for byte what protobuf writes, so the answer is the same whichever way it was made.
  EXPECT_EQ(wire, expected.SerializeAsString());
}

TEST(Wire, AFieldAppendedAfterARecordOverridesTheStoredValue) {
  v1::Budget stored;
  stored.set_name("regions/420107/departments/005001022/budgets/2021");
  stored.set_status(v1::FILING_STATUS_DRAFT);
  stored.set_fiscal_year(2021);
  std::string wire = stored.SerializeAsString();
  AppendInt32Field(v1::Budget::kStatusFieldNumber, v1::FILING_STATUS_PUBLISHED, &wire);

  v1::Budget parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_EQ(parsed.status(), v1::FILING_STATUS_PUBLISHED);
  EXPECT_EQ(parsed.name(), stored.name());
  EXPECT_EQ(parsed.fiscal_year(), 2021);
}

TEST(Wire, NegativeValuesAreWrittenAsProtobufWritesThem) {
  for (int32_t value : {-1, -2147483647 - 1, 0, 1, 300, 2147483647}) {
    v1::Budget expected;
    expected.set_fiscal_year(value);
    std::string wire;
    AppendInt32Field(v1::Budget::kFiscalYearFieldNumber, value, &wire);
    v1::Budget parsed;
    ASSERT_TRUE(parsed.ParseFromString(wire)) << value;
    EXPECT_EQ(parsed.fiscal_year(), value);
    if (value != 0) {
      EXPECT_EQ(wire, expected.SerializeAsString()) << value;
    }
  }
}

TEST(Wire, ParseWireNamesWhatDoesNotParseAndPassesErrorsOn) {
  v1::Budget budget;
  budget.set_fiscal_year(2021);
  absl::StatusOr<v1::Budget> parsed = ParseWire<v1::Budget>(budget.SerializeAsString(), "stored budget b");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->fiscal_year(), 2021);
  absl::StatusOr<v1::Budget> broken = ParseWire<v1::Budget>(std::string("\xff\xff\xff"), "stored budget b");
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(broken.status().message().find("stored budget b"), std::string::npos) << broken.status();
  absl::StatusOr<v1::Budget> missing = ParseWire<v1::Budget>(absl::NotFoundError("no budget"), "stored budget b");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(Wire, ReadTopLevelFieldsGivesWhatTheParserGivesWithoutTheRest) {
  v1::Budget budget;
  budget.set_name("regions/420107/departments/005001022/budgets/2021");
  budget.set_catalogue_edition(2021);
  for (int i = 0; i < 50; ++i) {
    v1::ExpenditureLine* line = budget.add_expenditure_lines();
    line->set_functional_code("2230101");
    line->set_amount_fen(1000 + i);
    line->set_project_id("P" + std::to_string(i));
  }
  budget.set_etag("r3-5f2a9c1e");
  std::string wire = budget.SerializeAsString();
  AppendInt32Field(v1::Budget::kStatusFieldNumber, v1::FILING_STATUS_SUBMITTED, &wire);
  v1::Budget parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));

  int64_t edition = 0;
  int64_t status = 0;
  std::string etag;
  int reports = 0;
  ASSERT_TRUE(ReadTopLevelFields(
      wire, {v1::Budget::kCatalogueEditionFieldNumber, v1::Budget::kStatusFieldNumber, v1::Budget::kEtagFieldNumber},
      [&](int field, uint64_t value) {
        ++reports;
        (field == v1::Budget::kStatusFieldNumber ? status : edition) = static_cast<int64_t>(value);
      },
      [&](int field, std::string_view bytes) {
        ++reports;
        EXPECT_EQ(field, v1::Budget::kEtagFieldNumber);
        etag = std::string(bytes);
      }));
  EXPECT_EQ(edition, parsed.catalogue_edition());
  EXPECT_EQ(status, parsed.status());
  EXPECT_EQ(etag, parsed.etag());
  EXPECT_EQ(reports, 3) << "only the fields asked for";

  // Bytes that are not a message, or are cut short, are refused.
  auto nothing = [](int, uint64_t) {};
  auto no_bytes = [](int, std::string_view) {};
  EXPECT_FALSE(ReadTopLevelFields("\xff\xff\xff", {6}, nothing, no_bytes));
  EXPECT_FALSE(ReadTopLevelFields(std::string_view(wire).substr(0, wire.size() - 3), {6}, nothing, no_bytes));
  EXPECT_FALSE(ReadTopLevelFields(std::string("\0\0", 2), {6}, nothing, no_bytes));
  EXPECT_TRUE(ReadTopLevelFields("", {6}, nothing, no_bytes));
}

TEST(Wire, KeepTopLevelFieldsIsTheMessageWithTheOthersCleared) {
  v1::Department department = Department("005001022");
  department.set_unit_type(v1::UNIT_TYPE_ADMINISTRATIVE);
  department.add_internal_offices("办公室");
  department.set_update_time_unix_ms(1'700'000'000'000);
  const std::string wire = department.SerializeAsString();

  std::string kept;
  ASSERT_TRUE(KeepTopLevelFields(wire,
                                 {v1::Department::kNameFieldNumber, v1::Department::kUnitTypeFieldNumber,
                                  v1::Department::kEtagFieldNumber, v1::Department::kUpdateTimeUnixMsFieldNumber},
                                 &kept));
  v1::Department parsed;
  ASSERT_TRUE(parsed.ParseFromString(kept));
  v1::Department expected;
  expected.set_name(department.name());
  expected.set_unit_type(department.unit_type());
  expected.set_etag(department.etag());
  expected.set_update_time_unix_ms(department.update_time_unix_ms());
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, expected)) << parsed.DebugString();

  std::string none;
  ASSERT_TRUE(KeepTopLevelFields(wire, {}, &none));
  EXPECT_EQ(none, "");
  std::string cut;
  EXPECT_FALSE(
      KeepTopLevelFields(std::string_view(wire).substr(0, wire.size() - 3), {v1::Department::kNameFieldNumber}, &cut));
  EXPECT_FALSE(KeepTopLevelFields(std::string("\0\0", 2), {1}, &cut));
}

}  // namespace
}  // namespace yusuan
