// Amount cells as exact decimals: a double's artefacts are accepted, a real
// third decimal of 元 is not, and nothing goes through a double.
#include "services/gateway/workbook/amount.h"

#include "gtest/gtest.h"

namespace yusuan::workbook {
namespace {

using Error = ParsedNumber::Error;

int64_t Fen(std::string_view text, AmountUnit unit = AmountUnit::kYuan) {
  const ParsedNumber n = ParseAmountFen(text, unit);
  EXPECT_EQ(n.error, Error::kNone) << text;
  return n.value;
}

Error ErrorOf(std::string_view text, AmountUnit unit = AmountUnit::kYuan) { return ParseAmountFen(text, unit).error; }

TEST(WorkbookAmount, PlainDecimalsInYuanAndWanYuan) {
  EXPECT_EQ(Fen("1234.56"), 123456);
  EXPECT_EQ(Fen("0"), 0);
  EXPECT_EQ(Fen("-0.01"), -1);
  EXPECT_EQ(Fen("208000"), 20800000);
  EXPECT_EQ(Fen(" 1,234.5 "), 123450);
  EXPECT_EQ(Fen("\u30001.5\u3000"), 150);
  EXPECT_EQ(Fen("415.51", AmountUnit::kWanYuan), 415510000);
  EXPECT_EQ(Fen("0.000001", AmountUnit::kWanYuan), 1);
  EXPECT_EQ(Fen("1.2345E+3"), 123450);
  EXPECT_EQ(Fen("2.5e-1"), 25);
}

TEST(WorkbookAmount, ADoublesArtefactsAreAcceptedAndRounded) {
  EXPECT_EQ(Fen("1234.5600000000001"), 123456);
  EXPECT_EQ(Fen("0.10000000000000001"), 10);
  EXPECT_EQ(Fen("1234.5599999999999"), 123456);
  EXPECT_EQ(Fen("415.51000000000005", AmountUnit::kWanYuan), 415510000);
  EXPECT_EQ(Fen("0.30000000000000004"), 30);
  // A large amount as a double prints with its last digits off.
  EXPECT_EQ(Fen("8888888888888.871"), 888888888888887);
}

TEST(WorkbookAmount, ARealDigitPastTheFenIsRefused) {
  EXPECT_EQ(ErrorOf("0.005"), Error::kTooManyDecimals);
  EXPECT_EQ(ErrorOf("1.234"), Error::kTooManyDecimals);
  EXPECT_EQ(ErrorOf("1.2300001"), Error::kTooManyDecimals);
  EXPECT_EQ(ErrorOf("0.0000015", AmountUnit::kWanYuan), Error::kTooManyDecimals);
  EXPECT_EQ(ErrorOf("1e-3"), Error::kTooManyDecimals);
}

TEST(WorkbookAmount, TextAndHugeNumbersAreRefused) {
  for (const char* text : {"", "abc", "12万", "1.2.3", "--1", "1e", "¥100", "１００"}) {
    EXPECT_EQ(ErrorOf(text), Error::kNotANumber) << text;
  }
  EXPECT_EQ(Fen("10000000000000"), 1'000'000'000'000'000);  // 10^15 分 exactly
  EXPECT_EQ(ErrorOf("10000000000000.01"), Error::kOutOfRange);
  EXPECT_EQ(ErrorOf("-1e14"), Error::kOutOfRange);
  EXPECT_EQ(ErrorOf("1e400"), Error::kOutOfRange);
  EXPECT_EQ(Fen("1000000000", AmountUnit::kWanYuan), 1'000'000'000'000'000);
  EXPECT_EQ(ErrorOf("1000000000.000001", AmountUnit::kWanYuan), Error::kOutOfRange);
}

TEST(WorkbookAmount, WholeNumbers) {
  EXPECT_EQ(ParseWholeNumber("2021").value, 2021);
  EXPECT_EQ(ParseWholeNumber("2021.0").value, 2021);
  EXPECT_EQ(ParseWholeNumber("2.021E3").value, 2021);
  EXPECT_EQ(ParseWholeNumber("2.5").error, Error::kTooManyDecimals);
  EXPECT_EQ(ParseWholeNumber("五").error, Error::kNotANumber);
  EXPECT_EQ(ParseWholeNumber("3000000000").error, Error::kOutOfRange);
}

TEST(WorkbookAmount, EveryFenSurvivesTheDoubleAWorkbookStores) {
  // What libxlsxwriter writes: the double printed with 16 significant digits.
  for (AmountUnit unit : {AmountUnit::kYuan, AmountUnit::kWanYuan}) {
    for (int64_t fen : {int64_t{1}, int64_t{7}, int64_t{99}, int64_t{123456789}, int64_t{415510000},
                        int64_t{999999999999999}, int64_t{-123456789012345}, int64_t{1'000'000'000'000'000}}) {
      char text[64];
      std::snprintf(text, sizeof text, "%.16G", AmountInUnit(fen, unit));
      EXPECT_EQ(Fen(text, unit), fen) << text;
      std::snprintf(text, sizeof text, "%.17G", AmountInUnit(fen, unit));
      EXPECT_EQ(Fen(text, unit), fen) << text;
    }
  }
}

}  // namespace
}  // namespace yusuan::workbook
