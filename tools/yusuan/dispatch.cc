#include "tools/yusuan/dispatch.h"

#include <iostream>
#include <string>
#include <variant>

#include "absl/strings/str_cat.h"
#include "tools/yusuan/catalogue_command.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/synth_command.h"

namespace yusuan::cli {
namespace {

int Help(const Args&) {
  std::cout << HelpText();
  return kOk;
}

const Command kCommands[] = {
    {"apply",
     "  yusuan [--gateway HOST:PORT] apply -f FILING.json [--request-id ID]\n"
     "      校验并保存一份完整申报（部门、预算、绩效目标）/ validate and store a whole filing\n",
     Apply},
    {"import",
     "  yusuan [--gateway HOST:PORT] import -f FILINGS.ndjson|FILING.xlsx [--request-id ID]\n"
     "      批量导入申报（每行一份，如 yusuan synth 所写）：每份整份保存或不保存，与已保存相同的不写入；\n"
     "      有被拒绝的申报时退出码为 1 / import many filings (one per line, as yusuan synth writes them):\n"
     "      each stored whole or not at all, one equal to what is stored writes nothing; exit 1 when any\n"
     "      is refused. 终端上显示进度条 / a progress bar on a terminal, a line every 10 s otherwise.\n"
     "      .xlsx：一份申报的填报工作簿，无法读取的单元格逐一指明（工作表!单元格），规则的问题也指明单元格 /\n"
     "      a filing workbook: each cell that cannot be read, and each rule's finding, names sheet!cell\n",
     Import},
    {"template",
     "  yusuan template --xlsx [--year YEAR] [-o FILE.xlsx]\n"
     "      写出空白填报工作簿：说明、各工作表的表头、选项和科目代码的下拉列表（YEAR 年版科目，默认最新）/\n"
     "      write the empty filing workbook: instructions, every sheet's header, drop-down lists of the\n"
     "      choices and of the codes of the YEAR edition (default: the newest); fill it in and import it\n",
     Template},
    {"export",
     "  yusuan [--gateway HOST:PORT] export regions/REGION --year YEAR [--published] [-o FILINGS.ndjson] [--after CURSOR]\n"
     "  yusuan [--gateway HOST:PORT] export regions/REGION --year YEAR --format xlsx|csv -o DIR\n"
     "      导出地区（省、市或区县）该年度的全部申报，每行一份，yusuan import 可原样导入；中断后用 --after\n"
     "      从最后一份的游标继续 / export every filing of a region (province, city or district) and year, one\n"
     "      per line, as yusuan import takes them; after an interruption --after CURSOR resumes;\n"
     "      --format xlsx: one filing workbook per filing in DIR (DIR/REGION-AGENCY-YEAR.xlsx);\n"
     "      --format csv：地区的开放数据 / the region's open data: DIR/lines.csv (every budget's ledger lines),\n"
     "      DIR/budgets.csv (one row per budget, the SHA-256 of its own CSV) and DIR/datapackage.json;\n"
     "      --published：只导出已公开的预算，按最近公开的版本 / only published budgets, as last published\n",
     Export},
    {"changes",
     "  yusuan [--gateway HOST:PORT] changes regions/{region} [--after CURSOR] [--wait-ms N] [--json]\n"
     "      地区变更流：部门、预算、绩效目标的写入和审批步骤，按提交顺序；空闲 N 毫秒后结束（默认 10000，\n"
     "      0 为一直等待），最后输出续读用的游标 / the change feed of a region in commit order; ends\n"
     "      after N ms without a change (default 10000; 0: follow until interrupted) and prints the\n"
     "      cursor to resume from; --json: a WatchChangesResponse per line\n",
     Changes},
    {"rollup",
     "  yusuan [--gateway HOST:PORT] rollup regions/REGION --year YEAR [--status approved,published] [--json]\n"
     "  yusuan [--gateway HOST:PORT] rollup regions/REGION --year YEAR --format csv|xlsx|html|md [-o FILE]\n"
     "      地区（省、市或区县）该年度预算汇总：收支合计、功能分类、资金来源、“三公”经费、机关运行经费（万元）；\n"
     "      --status 只汇总这些状态的预算（默认全部）/ the totals of a region and year over the budgets in\n"
     "      the states named (default: every state), printed in 万元, as JSON, or written as a file\n",
     Rollup},
    {"validate",
     "  yusuan [--gateway HOST:PORT] validate -f FILING.json [--json]\n"
     "      只校验不保存；有严重问题时退出码为 1 / validate only; exit 1 when any finding is FATAL\n"
     "  yusuan [--gateway HOST:PORT] validate BUDGET_NAME [--json]\n"
     "      校验已保存的预算并记录（提交前须按当前规则集校验）/ validate the stored budget and record it\n"
     "      (submit needs a validation by the current rule set)\n",
     Validate},
    {"get",
     "  yusuan [--gateway HOST:PORT] get NAME\n"
     "      读取资源并输出 JSON / print a resource as JSON; NAME is one of\n"
     "        regions/{region}                                   (list departments)\n"
     "        regions/{region}/departments/{agency}\n"
     "        regions/{region}/departments/{agency}/budgets/{year}\n"
     "        regions/{region}/departments/{agency}/budgets/{year}/goals\n",
     Get},
    {"tables",
     "  yusuan [--gateway HOST:PORT] tables BUDGET_NAME [--unit CODE] [--json]\n"
     "      显示预算表1–表8（万元）：部门合并，或 --unit 指定的单位（部门编码为本级，所属单位编码）/\n"
     "      print 表1–表8 in 万元: the department's consolidation, or with --unit one budget unit's\n"
     "      share (the agency code for its 本级, a secondary unit's code for that unit)\n",
     Tables},
    {"render",
     "  yusuan [--gateway HOST:PORT] render [--format html|md|pdf|xlsx|json|csv|datapackage] [--template SET] [-o FILE] BUDGET_NAME\n"
     "      生成预算公开文件 / render the disclosure (default html; FILE defaults to its own name;\n"
     "      SET: wuhan-district-2021 (default) or national-2016-143)\n",
     Render},
    {"submit",
     "  yusuan [--gateway HOST:PORT] submit BUDGET_NAME [--request-id ID]\n"
     "      校验后报送审核（草稿/已退回 → 已提交）/ validate and submit for review\n",
     Submit},
    {"approve",
     "  yusuan [--gateway HOST:PORT] approve BUDGET_NAME [--request-id ID]\n"
     "      审核通过（已提交 → 已审核）/ approve a submitted budget\n",
     Approve},
    {"return",
     "  yusuan [--gateway HOST:PORT] return BUDGET_NAME --comment TEXT [--request-id ID]\n"
     "      退回修改，须说明原因（已提交 → 已退回）/ return for changes, saying why\n",
     Return},
    {"publish",
     "  yusuan [--gateway HOST:PORT] publish BUDGET_NAME [--request-id ID]\n"
     "      公开（已审核 → 已公开）/ publish an approved budget\n",
     Publish},
    {"history",
     "  yusuan [--gateway HOST:PORT] history BUDGET_NAME\n"
     "      列出审批记录 / list the budget's versions (submissions, approvals, returns, publications)\n",
     History},
    {"revisions",
     "  yusuan [--gateway HOST:PORT] revisions BUDGET_NAME|GOALS_NAME [--json]\n"
     "      列出预算或绩效目标的全部修订 / list the stored revisions of a budget or of its goals\n"
     "      (BUDGET_NAME/goals)\n",
     Revisions},
    {"diff",
     "  yusuan [--gateway HOST:PORT] diff BUDGET_NAME|GOALS_NAME FROM [TO] [--json]\n"
     "      比较两个修订：预算为变动的表格单元格（万元）和字段，绩效目标为变动的字段 / what changed\n"
     "      from revision FROM to TO (default: current): a budget's table cells in 万元 and fields,\n"
     "      a goal set's fields with their values before and after\n",
     Diff},
    {"verify",
     "  yusuan [--gateway HOST:PORT] verify FILE [--json]\n"
     "      检查下载的文件是否为正式公开的文件（部门、年度、版本）；不是时退出码为 1 / tell whether a\n"
     "      downloaded file is an official published one (department, year, version); exit 1 if not\n",
     Verify},
    {"rules",
     "  yusuan [--gateway HOST:PORT] rules [--json]\n"
     "      列出全部校验规则：编号、严重程度、类别、服务、说明 / list every validation rule:\n"
     "      id, severity, category, service, description\n",
     Rules},
    {"admin",
     "  yusuan admin key create [--key FILE]\n"
     "      创建令牌签名密钥，已存在则保留 / create the token signing key (an existing one is kept)\n"
     "  yusuan admin secret create [--file FILE]\n"
     "      创建网关与后端服务共用的内部密钥（默认 $YUSUAN_DATA/secrets/internal.secret），已存在则保留 /\n"
     "      create the secret the backends recognise the gateway by (an existing one is kept)\n"
     "  yusuan admin token create --role ROLE --scope SCOPE --ttl DURATION [--subject NAME]\n"
     "        [--key FILE]\n"
     "      签发访问令牌，输出到标准输出 / mint a bearer token, printed on stdout;\n"
     "      ROLE: preparer | reviewer | integrator | admin;\n"
     "      SCOPE: regions/ | regions/{region} | regions/{region}/departments/{agency};\n"
     "      DURATION: 30m, 12h, 7d (s, m, h or d; at most 366d); NAME defaults to cli\n"
     "  yusuan admin backup --to DIR [--ledger HOST:PORT] [--goals HOST:PORT] [--report HOST:PORT]\n"
     "        [--internal-secret-file FILE] [--lease-ms MS] [--backend-ca-file F --backend-cert-file F\n"
     "        --backend-key-file F]\n"
     "      在服务运行时备份一个分片的三个存储（同一时刻）到新目录 DIR / copy a shard's ledger, goals and\n"
     "      report stores, at one moment, while they serve, into the new directory DIR (writes wait\n"
     "      meanwhile, at most MS ms, default 10000; reads go on). Backends default to 127.0.0.1 and\n"
     "      $YUSUAN_LEDGER_PORT, $YUSUAN_GOALS_PORT, $YUSUAN_REPORT_PORT (else 50061-50063)\n"
     "  yusuan admin restore --from DIR [--data DATA] [--replace] [--only ledger|goals|report]\n"
     "      服务停止时把备份恢复到数据目录（默认 $YUSUAN_DATA） / put a backup into a data directory\n"
     "      (default $YUSUAN_DATA) while the services are stopped; every file is checked first; data\n"
     "      already there is refused, or with --replace moved aside to <service>.before-restore-<time>;\n"
     "      --only: that store alone (where each store has a volume of its own), all three from one backup\n",
     Admin},
    {"synth",
     "  yusuan synth --departments N [--seed S] [--sector 类] [--year Y] [-o FILE] [--catalogue_dir DIR]\n"
     "      生成合成申报（NDJSON），无需网关 / write synthetic filings as NDJSON, no gateway needed\n",
     RunSynthCommand},
    {"help", "  yusuan --help\n", Help},
    // Its lines (with `admin catalogue import`, which Admin hands on) come
    // after the notes, and only with --help: a catalogue usage error prints
    // them itself.
    {"catalogue", kCatalogueUsage, RunCatalogueCommand, /*help_only=*/true},
};

constexpr char kNotes[] =
    "网关地址 / gateway: --gateway, else $YUSUAN_GATEWAY, else 127.0.0.1:$YUSUAN_GRPC_PORT,\n"
    "else 127.0.0.1:50051.\n"
    "TLS: --tls_ca_file FILE, else $YUSUAN_TLS_CA: talk TLS to a gateway started with\n"
    "--tls_cert_file; its certificate must chain to the CA in FILE (PEM) and name the host.\n"
    "访问令牌 / token: --token, else $YUSUAN_TOKEN (from yusuan admin token create); without one\n"
    "only published disclosures, verify and the rules can be read.\n"
    "签名密钥 / signing key (admin): --key, else $YUSUAN_DATA/keys/token-signing.key; admin\n"
    "works on the key file directly and needs no gateway; admin backup talks to the backends\n"
    "with the internal secret (--internal-secret-file, else $YUSUAN_DATA/secrets/internal.secret).\n"
    "退出码 / exit codes: 0 成功 ok · 1 被拒绝或失败 refused or failed · 2 用法错误 usage\n";

}  // namespace

std::span<const Command> Commands() { return kCommands; }

const Command* FindCommand(std::string_view name) {
  for (const Command& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::string UsageText() {
  std::string text = "用法 / usage:\n";
  for (const Command& command : kCommands) {
    if (!command.help_only) text += command.usage;
  }
  absl::StrAppend(&text, "\n", kNotes);
  return text;
}

std::string HelpText() {
  std::string text = UsageText();
  absl::StrAppend(&text, "\n");
  for (const Command& command : kCommands) {
    if (command.help_only) text += command.usage;
  }
  return text;
}

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "yusuan: " << problem << "\n\n";
  std::cerr << UsageText();
  return kUsage;
}

int Run(int argc, char** argv) {
  if (argc >= 2) {
    const Command* raw = FindCommand(argv[1]);
    if (raw != nullptr && std::holds_alternative<RawCommand>(raw->run)) {
      return std::get<RawCommand>(raw->run)(argc - 1, argv + 1);
    }
  }
  absl::StatusOr<Args> args = ParseArgs(argc, argv);
  if (!args.ok()) return Usage(std::string(args.status().message()));
  if (args->command.empty()) return Usage("缺少命令 / missing command");
  const Command* command = FindCommand(args->command);
  if (command == nullptr || std::holds_alternative<RawCommand>(command->run)) {
    return Usage(absl::StrCat("未知命令 / unknown command \"", args->command, "\""));
  }
  if (const auto* local = std::get_if<LocalCommand>(&command->run)) return (*local)(*args);
  return RunWithGateway(*args, std::get<GatewayCommand>(command->run));
}

}  // namespace yusuan::cli
