// What makes a generated department look like one of its sector: office
// names, subordinate units, project themes and measurable activities per
// functional 类, and the districts departments are placed in. Data only.
#ifndef YUSUAN_TOOLS_SYNTH_PROFILES_H_
#define YUSUAN_TOOLS_SYNTH_PROFILES_H_

#include <string>
#include <string_view>
#include <vector>

namespace yusuan::synth {

struct District {
  const char* code;  // GB/T 2260
  const char* city;  // "武汉市"
  const char* name;  // "江岸区"
};

// A department of the sector: names and the 款 whose 行政运行 carries its
// basic spending ("" when the sector has no typical 款).
struct Office {
  std::string full;        // after the district: "文化和旅游局"
  std::string short_name;  // "区文旅局"
  std::string kuan;        // "20701"
  // Its subordinate 事业单位, after the district: "文化馆". Per office, so
  // that two departments of one district never own the same unit.
  std::vector<std::string> units;
};

// Something a department counts in its goals: "开展文化惠民演出 … 场".
struct Activity {
  std::string name;
  std::string unit;  // a measure word; those of indicator.cc's list are read in goal texts
  int low;
  int high;
};

struct Profile {
  std::string class_code;
  std::string field;  // "文化和旅游": the sector's work in sentences
  std::vector<Office> offices;
  std::vector<std::string> themes;  // project names
  std::vector<Activity> activities;
  // The 类 whose 行政运行 carries basic spending when this 类 has no
  // operations item (229 彩票公益金 is spent by 民政 departments): "" none.
  std::string home_fallback;
};

const std::vector<District>& Districts();

// The profile of 类 `class_code`; for a 类 without one, a profile made from
// the 类's catalogue name (`class_name`, "援助其他地区支出").
Profile ProfileFor(std::string_view class_code, std::string_view class_name);

// Surnames and given names for 填报人.
const std::vector<std::string>& Surnames();
const std::vector<std::string>& GivenNames();

}  // namespace yusuan::synth

#endif  // YUSUAN_TOOLS_SYNTH_PROFILES_H_
