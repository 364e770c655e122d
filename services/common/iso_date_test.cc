#include "services/common/iso_date.h"

#include "gtest/gtest.h"

namespace yusuan {
namespace {

TEST(IsoDate, RealDatesWrittenYyyyMmDd) {
  for (const char* date : {"2020-12-31", "2020-02-29", "2000-02-29", "2021-01-01"}) {
    EXPECT_TRUE(IsIsoDate(date)) << date;
  }
}

TEST(IsoDate, ImpossibleOrOtherwiseWrittenDatesAreNot) {
  for (const char* date : {"", "2021-02-29", "1900-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "2021-01-00",
                           "2021/12/31", "31.12.2021", "2021-1-1", "2021-12-31 ", "２０２１-12-31", "+021-12-31"}) {
    EXPECT_FALSE(IsIsoDate(date)) << date;
  }
}

}  // namespace
}  // namespace yusuan
