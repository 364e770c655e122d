#include "tools/yusuan/args.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace yusuan::cli {
namespace {

absl::StatusOr<Args> Parse(std::vector<std::string> words) {
  words.insert(words.begin(), "yusuan");
  std::vector<const char*> argv;
  for (const std::string& word : words) argv.push_back(word.c_str());
  return ParseArgs(static_cast<int>(argv.size()), argv.data());
}

TEST(ParseArgsTest, FirstWordIsTheCommandAndTheRestPositionalWhereverOptionsFall) {
  absl::StatusOr<Args> args = Parse({"--json", "diff", "regions/1", "--gateway", "h:1", "1", "2"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->command, "diff");
  EXPECT_EQ(args->positional, (std::vector<std::string>{"regions/1", "1", "2"}));
  EXPECT_EQ(args->gateway, "h:1");
  EXPECT_TRUE(args->json);
}

TEST(ParseArgsTest, EveryValueOptionTakesASeparateOrAnEqualsValue) {
  struct Case {
    std::string option;
    std::string Args::*field;
  };
  const std::vector<Case> cases = {
      {"--gateway", &Args::gateway},
      {"--token", &Args::token},
      {"-f", &Args::file},
      {"--file", &Args::file},
      {"--request-id", &Args::request_id},
      {"--comment", &Args::comment},
      {"--format", &Args::format},
      {"--template", &Args::template_set},
      {"-o", &Args::output},
      {"--output", &Args::output},
      {"--role", &Args::role},
      {"--scope", &Args::scope},
      {"--ttl", &Args::ttl},
      {"--subject", &Args::subject},
      {"--key", &Args::key},
      {"--tls_ca_file", &Args::tls_ca_file},
      {"--tls-ca-file", &Args::tls_ca_file},
      {"--edition", &Args::edition},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Args> separate = Parse({c.option, "a value", "get"});
    ASSERT_TRUE(separate.ok()) << c.option << ": " << separate.status();
    EXPECT_EQ((*separate).*c.field, "a value") << c.option;
    EXPECT_EQ(separate->command, "get") << c.option;

    absl::StatusOr<Args> joined = Parse({"get", c.option + "=x=y"});
    ASSERT_TRUE(joined.ok()) << c.option << ": " << joined.status();
    EXPECT_EQ((*joined).*c.field, "x=y") << c.option;
    EXPECT_TRUE(joined->positional.empty()) << c.option;
  }
}

TEST(ParseArgsTest, AnEmptyValueAfterEqualsIsGivenAsEmpty) {
  absl::StatusOr<Args> args = Parse({"get", "--gateway=", "NAME"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->gateway, "");
  EXPECT_EQ(args->positional, std::vector<std::string>{"NAME"});
}

TEST(ParseArgsTest, AnOptionWithoutItsValueIsRefusedNamingIt) {
  absl::StatusOr<Args> args = Parse({"return", "NAME", "--comment"});
  ASSERT_FALSE(args.ok());
  EXPECT_EQ(args.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(args.status().message(), "--comment 缺少取值 / needs a value");

  args = Parse({"render", "-o"});
  ASSERT_FALSE(args.ok());
  EXPECT_EQ(args.status().message(), "-o 缺少取值 / needs a value");
}

TEST(ParseArgsTest, AnUnknownOptionIsRefusedNamingIt) {
  for (const std::string option : {"--colour", "-x", "--gatewayx=1", "--json=1", "--format-html"}) {
    absl::StatusOr<Args> args = Parse({"rules", option});
    ASSERT_FALSE(args.ok()) << option;
    EXPECT_EQ(args.status().code(), absl::StatusCode::kInvalidArgument) << option;
    EXPECT_EQ(args.status().message(), "未知选项 / unknown option " + option);
  }
}

TEST(ParseArgsTest, ALoneDashIsAWordNotAnOption) {
  absl::StatusOr<Args> args = Parse({"verify", "-"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->positional, std::vector<std::string>{"-"});
}

TEST(ParseArgsTest, HelpAnywhereEndsParsingWhateverFollows) {
  for (const std::string help : {"--help", "-h", "help"}) {
    absl::StatusOr<Args> args = Parse({"get", help, "--colour", "--gateway"});
    ASSERT_TRUE(args.ok()) << help << ": " << args.status();
    EXPECT_EQ(args->command, "help") << help;
  }
  // Before it, a bad option is still found.
  EXPECT_FALSE(Parse({"--colour", "--help"}).ok());
}

TEST(ParseArgsTest, NothingGivenIsNoCommand) {
  absl::StatusOr<Args> args = Parse({});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->command, "");
  EXPECT_TRUE(args->positional.empty());
  EXPECT_FALSE(args->json);
}

}  // namespace
}  // namespace yusuan::cli
