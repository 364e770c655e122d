#include "tools/yusuan/dispatch.h"

#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tools/yusuan/catalogue_command.h"
#include "tools/yusuan/gateway_client.h"

namespace yusuan::cli {
namespace {

constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";

// What one run of the CLI printed, and its exit code.
struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome RunCli(std::vector<std::string> words) {
  words.insert(words.begin(), "yusuan");
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::ostringstream out, err;
  std::streambuf* cout_buffer = std::cout.rdbuf(out.rdbuf());
  std::streambuf* cerr_buffer = std::cerr.rdbuf(err.rdbuf());
  Outcome outcome;
  outcome.code = Run(static_cast<int>(words.size()), argv.data());
  std::cout.rdbuf(cout_buffer);
  std::cerr.rdbuf(cerr_buffer);
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
}

class DispatchTest : public ::testing::Test {
 protected:
  // A gateway that never answers: a command that tried to reach it instead
  // of refusing its arguments would exit 1, not 2.
  void SetUp() override {
    setenv("YUSUAN_GATEWAY", "127.0.0.1:1", 1);
    unsetenv("YUSUAN_TLS_CA");
    unsetenv("YUSUAN_TOKEN");
    unsetenv("YUSUAN_GRPC_PORT");
  }
};

// The words of the usage lines that start a command ("  yusuan …").
std::set<std::string> CommandLineWords(std::string_view usage) {
  std::set<std::string> words;
  for (absl::string_view line : absl::StrSplit(absl::string_view(usage.data(), usage.size()), '\n')) {
    if (!absl::StartsWith(line, "  yusuan ")) continue;
    for (absl::string_view word : absl::StrSplit(line, ' ', absl::SkipEmpty())) words.emplace(word);
  }
  return words;
}

TEST_F(DispatchTest, EveryCommandHasUsageLinesNamingItAndAppearsInHelp) {
  const std::string usage = UsageText();
  const std::string help = HelpText();
  ASSERT_FALSE(Commands().empty());
  for (const Command& command : Commands()) {
    SCOPED_TRACE(std::string(command.name));
    ASSERT_FALSE(command.name.empty());
    ASSERT_TRUE(command.usage.starts_with("  yusuan ")) << command.usage;
    EXPECT_TRUE(command.usage.ends_with("\n"));
    const std::set<std::string> words = CommandLineWords(command.usage);
    EXPECT_TRUE(words.contains(std::string(command.name)) || words.contains("--" + std::string(command.name)))
        << command.usage;
    EXPECT_NE(help.find(command.usage), std::string::npos);
    EXPECT_EQ(usage.find(command.usage) != std::string::npos, !command.help_only);
  }
}

TEST_F(DispatchTest, NamesAreUniqueAndFoundByTheirWord) {
  std::set<std::string_view> names;
  for (const Command& command : Commands()) {
    EXPECT_TRUE(names.insert(command.name).second) << "twice: " << command.name;
    EXPECT_EQ(FindCommand(command.name), &command);
  }
  for (const char* word : {"apply", "validate", "get", "render", "submit", "approve", "return", "publish", "history",
                           "revisions", "diff", "verify", "rules", "admin", "catalogue", "synth", "help"}) {
    EXPECT_NE(FindCommand(word), nullptr) << word;
  }
  EXPECT_EQ(FindCommand("bogus"), nullptr);
  EXPECT_EQ(FindCommand(""), nullptr);
}

TEST_F(DispatchTest, HelpIsTheUsageTextThenTheCatalogueCommands) {
  EXPECT_TRUE(UsageText().starts_with("用法 / usage:\n  yusuan [--gateway HOST:PORT] apply "));
  EXPECT_NE(UsageText().find("退出码 / exit codes: 0 成功 ok"), std::string::npos);
  EXPECT_EQ(HelpText(), UsageText() + "\n" + kCatalogueUsage);
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{"--help"}, {"-h"}, {"help"}, {"get", "--help"}}) {
    const Outcome run = RunCli(words);
    EXPECT_EQ(run.code, 0) << words[0];
    EXPECT_EQ(run.out, HelpText()) << words[0];
    EXPECT_EQ(run.err, "") << words[0];
  }
}

TEST_F(DispatchTest, AnUnknownCommandPrintsTheUsageAndExits2) {
  const Outcome run = RunCli({"bogus", "x"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "yusuan: 未知命令 / unknown command \"bogus\"\n\n" + UsageText());
}

TEST_F(DispatchTest, NoCommandOrAnUnknownOptionPrintsTheUsageAndExits2) {
  Outcome run = RunCli({});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "yusuan: 缺少命令 / missing command\n\n" + UsageText());

  run = RunCli({"rules", "--colour", "blue"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "yusuan: 未知选项 / unknown option --colour\n\n" + UsageText());

  run = RunCli({"get", "--gateway"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "yusuan: --gateway 缺少取值 / needs a value\n\n" + UsageText());
}

TEST_F(DispatchTest, SynthParsesItsOwnOptionsOnlyAsTheFirstWord) {
  Outcome run = RunCli({"synth", "--seed", "1"});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(run.err.starts_with("yusuan synth: 缺少 --departments / --departments is required\n")) << run.err;

  // After an option it is no command: synth's options are not the others'.
  run = RunCli({"--json", "synth"});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(run.err.starts_with("yusuan: 未知命令 / unknown command \"synth\"\n")) << run.err;
}

TEST_F(DispatchTest, AMissingOrBadArgumentIsAUsageErrorSayingWhatIsNeeded) {
  struct Case {
    std::vector<std::string> words;
    std::string problem;
  };
  const std::vector<Case> cases = {
      {{"apply"}, "apply 需要 -f FILING.json / apply needs -f FILING.json"},
      {{"validate"},
       "validate 需要 -f FILING.json 或一个已保存预算的名称 / validate needs -f FILING.json or the name of one "
       "stored budget"},
      {{"get"}, "get 需要一个资源名 / get needs one NAME"},
      {{"render", kBudget, "extra"}, "render 需要一个预算资源名 / render needs one budget NAME"},
      {{"submit"}, "submit 需要一个预算资源名 / submit needs one budget NAME"},
      {{"return", kBudget}, "return 需要 --comment 说明退回原因 / return needs --comment saying what to change"},
      {{"history", kBudget, kBudget}, "history 需要一个预算资源名 / history needs one budget NAME"},
      {{"diff", kBudget}, "diff 需要资源名和起始修订号 / diff needs BUDGET_NAME (or …/goals) FROM [TO]"},
      {{"diff", kBudget, "0"}, "FROM \"0\" 应为正整数修订号 / FROM must be a positive revision number"},
      {{"verify"}, "verify 需要一个文件 / verify needs FILE"},
      {{"rules", "x"}, "rules 不需要参数 / rules takes no arguments"},
      {{"admin"},
       "admin 的子命令为 key create、secret create、token create、backup 或 restore / admin takes key create, "
       "secret create, token create, backup or restore"},
      {{"admin", "backup"}, "admin backup 需要 --to DIR / admin backup needs --to DIR (a directory to make)"},
      {{"admin", "backup", "--to", "/nonexistent/backup", "--lease-ms", "5"},
       "--lease-ms 无效 / invalid --lease-ms \"5\": from 100 to 60000 milliseconds (how long writes may be held at "
       "most)"},
      {{"admin", "restore"}, "admin restore 需要 --from DIR / admin restore needs --from DIR (a backup)"},
      {{"admin", "token", "create", "--role", "admin", "--scope", "regions/"},
       "admin token create 需要 --role、--scope 和 --ttl / needs --role, --scope and --ttl"},
      {{"admin", "token", "create", "--role", "boss", "--scope", "regions/", "--ttl", "1h"},
       "未知角色 / unknown role \"boss\": preparer, reviewer, integrator or admin"},
      {{"admin", "token", "create", "--role", "admin", "--scope", "regions/", "--ttl", "367d"},
       "有效期无效 / invalid --ttl \"367d\": a positive number and a unit s, m, h or d (30m, 12h, 7d), at most 366d"},
  };
  for (const Case& c : cases) {
    const Outcome run = RunCli(c.words);
    EXPECT_EQ(run.code, 2) << c.words[0] << ": " << run.err;
    EXPECT_EQ(run.err, "yusuan: " + c.problem + "\n\n" + UsageText()) << c.words[0];
    EXPECT_EQ(run.out, "") << c.words[0];
  }
}

TEST_F(DispatchTest, ACatalogueUsageErrorShowsTheCatalogueCommands) {
  for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
           {"catalogue", "show"}, {"catalogue"}, {"admin", "catalogue", "import", "--edition", "21", "f.csv"}}) {
    const Outcome run = RunCli(words);
    EXPECT_EQ(run.code, 2) << run.err;
    EXPECT_TRUE(run.err.starts_with("yusuan: ")) << run.err;
    EXPECT_TRUE(run.err.ends_with(std::string("\n\n用法 / usage:\n") + kCatalogueUsage)) << run.err;
  }
}

TEST_F(DispatchTest, AnUnusableCaFileStopsGatewayCommandsButNotTheKeyFileOnes) {
  Outcome run = RunCli({"--tls_ca_file", "/nonexistent/ca.pem", "rules"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("/nonexistent/ca.pem"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--tls_ca_file"), std::string::npos) << run.err;

  setenv("YUSUAN_TLS_CA", "/nonexistent/env-ca.pem", 1);
  run = RunCli({"admin", "catalogue", "import", "--edition", "2021", "f.csv"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("$YUSUAN_TLS_CA"), std::string::npos) << run.err;

  // admin token create reads no CA: its own problem is what it reports.
  run = RunCli({"admin", "token", "create"});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(run.err.starts_with("yusuan: admin token create 需要")) << run.err;
}

TEST_F(DispatchTest, TheGatewayComesFromTheFlagThenTheEnvironment) {
  Args args;
  absl::StatusOr<GatewayOptions> gateway = ResolveGateway(args);
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  EXPECT_EQ(gateway->address, "127.0.0.1:1");
  EXPECT_EQ(gateway->token, "");

  unsetenv("YUSUAN_GATEWAY");
  setenv("YUSUAN_GRPC_PORT", "50999", 1);
  setenv("YUSUAN_TOKEN", "from-env", 1);
  gateway = ResolveGateway(args);
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  EXPECT_EQ(gateway->address, "127.0.0.1:50999");
  EXPECT_EQ(gateway->token, "from-env");

  unsetenv("YUSUAN_GRPC_PORT");
  gateway = ResolveGateway(args);
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  EXPECT_EQ(gateway->address, "127.0.0.1:50051");

  args.gateway = "gateway.example:443";
  args.token = "from-flag";
  setenv("YUSUAN_GATEWAY", "127.0.0.1:1", 1);
  gateway = ResolveGateway(args);
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  EXPECT_EQ(gateway->address, "gateway.example:443");
  EXPECT_EQ(gateway->token, "from-flag");
}

}  // namespace
}  // namespace yusuan::cli
