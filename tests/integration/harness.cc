#include "tests/integration/harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "services/common/power_loss_fs.h"

namespace yusuan::testing {
namespace {

bool ReadPort(const std::string& path, int* port) {
  std::ifstream in(path);
  int value = 0;
  if (in >> value && value > 0) {
    *port = value;
    return true;
  }
  return false;
}

}  // namespace

std::string TestToken(const Cluster& cluster, security::Role role, const std::string& subject,
                      const std::string& scope) {
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  security::TokenClaims claims;
  claims.subject = subject;
  claims.role = role;
  claims.scope = scope;
  claims.issued_at_unix_seconds = now;
  claims.expires_at_unix_seconds = now + 3600;
  return security::MintToken(claims, cluster.signing_key());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string SampleFilingPath() { return std::string(YUSUAN_SOURCE_DIR) + "/data/samples/qingshan-kexie-2021.json"; }

int RunShell(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int RunCliAt(const std::string& gateway, const std::string& token, const std::string& args, std::string* output) {
  return RunShell(std::string(YUSUAN_BIN_DIR) + "/yusuan --gateway " + gateway +
                      (token.empty() ? "" : " --token '" + token + "'") + " " + args,
                  output);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "yusuan-test-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  path_ = made != nullptr ? std::string(made) : std::string();
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

ServiceProcess::ServiceProcess(std::string name, std::string binary, std::vector<std::string> args, std::string log_dir)
    : name_(std::move(name)), binary_(std::move(binary)), args_(std::move(args)), log_dir_(std::move(log_dir)) {}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) Stop();
}

std::string ServiceProcess::address(size_t i) const { return "127.0.0.1:" + std::to_string(port(i)); }

std::string ServiceProcess::LogTail() const {
  std::string log = ReadFile(log_dir_ + "/" + name_ + ".log");
  return log.size() > 4000 ? log.substr(log.size() - 4000) : log;
}

bool ServiceProcess::Start(const std::vector<std::string>& port_file_flags, std::string* error) {
  std::vector<std::string> args = args_;
  std::vector<std::string> port_files;
  for (const auto& flag : port_file_flags) {
    std::string file = log_dir_ + "/" + name_ + "." + flag;
    std::filesystem::remove(file);
    port_files.push_back(file);
    args.push_back("--" + flag + "=" + file);
  }
  const std::string path = std::string(YUSUAN_BIN_DIR) + "/" + binary_;
  const std::string log = log_dir_ + "/" + name_ + ".log";
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(path.c_str()));
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(path.c_str(), argv.data());
    _exit(127);
  }
  ports_.assign(port_files.size(), 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    bool all = true;
    for (size_t i = 0; i < port_files.size(); ++i) {
      if (ports_[i] == 0 && !ReadPort(port_files[i], &ports_[i])) all = false;
    }
    if (all) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      wait_status_ = status;
      *error = name_ + " exited during start-up:\n" + LogTail();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  *error = name_ + " did not write its port file in 30 s:\n" + LogTail();
  Kill();
  return false;
}

int ServiceProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      wait_status_ = status;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return -1;
}

void ServiceProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  wait_status_ = status;
  pid_ = -1;
}

void ServiceProcess::SignalPowerLoss(bool during_next_sync) {
  if (pid_ > 0) kill(pid_, during_next_sync ? SIGUSR1 : SIGUSR2);
}

bool ServiceProcess::WaitForPowerLoss(std::string* error, uint64_t* dropped_bytes) {
  if (pid_ <= 0) {
    *error = name_ + " is not running";
    return false;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) != pid_) {
    if (std::chrono::steady_clock::now() > deadline) {
      Kill();
      *error = name_ + " did not lose power within 30 s of SIGUSR2:\n" + LogTail();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  wait_status_ = status;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != power_loss::kPowerLossExitCode) {
    *error =
        name_ + " ended otherwise than by a power loss (wait status " + std::to_string(status) + "):\n" + LogTail();
    return false;
  }
  // "power loss: dropped N unsynced bytes of …" (power_loss_fs.cc).
  const std::string log = LogTail();
  const std::string mark = "power loss: dropped ";
  const size_t at = log.rfind(mark);
  *dropped_bytes = at == std::string::npos ? 0 : std::strtoull(log.c_str() + at + mark.size(), nullptr, 10);
  return true;
}

Cluster::Cluster(const std::string& root) : root_(root) {}

Cluster::Cluster(const std::string& root, Options options) : root_(root), options_(std::move(options)) {}

namespace {
std::vector<std::string> Appended(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}
}  // namespace

Cluster::~Cluster() {
  // Gateway first, so it never sees its backends vanish mid-call.
  gateway_.reset();
  report_.reset();
  goals_.reset();
  ledger_.reset();
}

std::unique_ptr<ServiceProcess> Cluster::MakeLedger(int port) {
  return std::make_unique<ServiceProcess>(
      "ledger", BackendBinary("ledger"),
      BackendArgs({"--port=" + std::to_string(port), "--data_dir=" + ledger_data_dir(),
                   "--internal_secret_file=" + internal_secret_path()},
                  options_.ledger_args),
      root_);
}

std::unique_ptr<ServiceProcess> Cluster::MakeReport(int port) {
  return std::make_unique<ServiceProcess>(
      "report", BackendBinary("report"),
      BackendArgs({"--port=" + std::to_string(port), "--data_dir=" + root_ + "/report",
                   "--internal_secret_file=" + internal_secret_path()},
                  options_.report_args),
      root_);
}

std::unique_ptr<ServiceProcess> Cluster::MakeGoals(int port) {
  return std::make_unique<ServiceProcess>(
      "goals", BackendBinary("goals"),
      BackendArgs({"--port=" + std::to_string(port), "--data_dir=" + root_ + "/goals",
                   "--internal_secret_file=" + internal_secret_path()},
                  options_.goals_args),
      root_);
}

std::string Cluster::BackendBinary(const std::string& service) const {
  return options_.power_loss ? "yusuan-" + service + "-faults" : "yusuan-" + service;
}

std::vector<std::string> Cluster::BackendArgs(std::vector<std::string> args,
                                              const std::vector<std::string>& extra) const {
  if (options_.power_loss) args.push_back("--power_loss_fs");
  return Appended(std::move(args), extra);
}

void Cluster::StopLedger() {
  ledger_port_ = ledger_->port();
  ledger_->Stop();
}

bool Cluster::StartLedger(std::string* error) {
  ledger_ = MakeLedger(ledger_port_);
  return ledger_->Start({"port_file"}, error);
}

std::string Cluster::ledger_data_dir() const { return root_ + "/ledger"; }

void Cluster::StopReport() { report_->Stop(); }

bool Cluster::StartReport(std::string* error) {
  report_ = MakeReport(report_port_);
  return report_->Start({"port_file"}, error);
}

std::string Cluster::signing_key_path() const { return root_ + "/keys/token-signing.key"; }

const security::SigningKey& Cluster::signing_key() const { return *key_; }

std::string Cluster::internal_secret_path() const { return root_ + "/secrets/internal.secret"; }

const security::InternalSecret& Cluster::internal_secret() const { return *secret_; }

bool Cluster::Start(std::string* error) {
  absl::StatusOr<security::SigningKey> key = security::LoadOrCreateSigningKey(signing_key_path());
  if (!key.ok()) {
    *error = std::string(key.status().message());
    return false;
  }
  key_ = std::make_unique<security::SigningKey>(*std::move(key));
  absl::StatusOr<security::InternalSecret> secret = security::LoadOrCreateInternalSecret(internal_secret_path());
  if (!secret.ok()) {
    *error = std::string(secret.status().message());
    return false;
  }
  secret_ = std::make_unique<security::InternalSecret>(*std::move(secret));
  ledger_ = MakeLedger(0);
  goals_ = MakeGoals(0);
  report_ = MakeReport(0);
  if (!ledger_->Start({"port_file"}, error) || !goals_->Start({"port_file"}, error) ||
      !report_->Start({"port_file"}, error)) {
    return false;
  }
  report_port_ = report_->port();
  return RestartGateway({}, error);
}

bool Cluster::RestartGateway(const std::vector<std::string>& extra_args, std::string* error) {
  if (gateway_ != nullptr) gateway_->Stop();
  std::vector<std::string> args = {"--grpc_port=0",
                                   "--http_port=0",
                                   "--signing_key_file=" + signing_key_path(),
                                   "--internal_secret_file=" + internal_secret_path(),
                                   "--ledger_address=" + ledger_->address(),
                                   "--goals_address=" + goals_->address(),
                                   "--report_address=" + report_->address()};
  args.insert(args.end(), options_.gateway_args.begin(), options_.gateway_args.end());
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  // Fault points exist only in the test build of the gateway.
  const bool faults = std::any_of(extra_args.begin(), extra_args.end(),
                                  [](const std::string& arg) { return arg.rfind("--crash_after_", 0) == 0; });
  gateway_ = std::make_unique<ServiceProcess>("gateway", faults ? "yusuan-gateway-faults" : "yusuan-gateway",
                                              std::move(args), root_);
  return gateway_->Start({"port_file", "http_port_file"}, error);
}

bool Cluster::RestartLedger(bool kill_hard, std::string* error) {
  const int port = ledger_->port();
  if (kill_hard) {
    ledger_->Kill();
  } else {
    ledger_->Stop();
  }
  ledger_ = MakeLedger(port);
  return ledger_->Start({"port_file"}, error);
}

bool Cluster::KillAndRestart(const std::string& service, std::string* error) {
  if (service == "ledger") return RestartLedger(/*kill_hard=*/true, error);
  if (service == "goals") {
    const int port = goals_->port();
    goals_->Kill();
    goals_ = MakeGoals(port);
    return goals_->Start({"port_file"}, error);
  }
  if (service == "report") {
    report_->Kill();
    return StartReport(error);
  }
  if (service == "gateway") {
    const int grpc_port = gateway_->port(0);
    const int http_port = gateway_->port(1);
    gateway_->Kill();
    gateway_.reset();
    // Later flags win: the same ports as before.
    return RestartGateway({"--grpc_port=" + std::to_string(grpc_port), "--http_port=" + std::to_string(http_port)},
                          error);
  }
  *error = "no such service: " + service;
  return false;
}

bool Cluster::StartAgain(const std::string& service, std::string* error) {
  if (service == "ledger") {
    ledger_ = MakeLedger(ledger_->port());
    return ledger_->Start({"port_file"}, error);
  }
  if (service == "goals") {
    goals_ = MakeGoals(goals_->port());
    return goals_->Start({"port_file"}, error);
  }
  if (service == "report") return StartReport(error);
  if (service == "gateway") {
    const int grpc_port = gateway_->port(0);
    const int http_port = gateway_->port(1);
    gateway_.reset();
    // Later flags win: the same ports as before.
    return RestartGateway({"--grpc_port=" + std::to_string(grpc_port), "--http_port=" + std::to_string(http_port)},
                          error);
  }
  *error = "no such service: " + service;
  return false;
}

bool Cluster::LosePowerAndRestart(const std::string& service, bool during_next_sync, std::string* error) {
  if (!options_.power_loss) {
    *error = "the cluster runs without --power_loss_fs";
    return false;
  }
  std::vector<std::pair<std::string, ServiceProcess*>> victims;
  if (service == "ledger" || service == "machine") victims.emplace_back("ledger", ledger_.get());
  if (service == "goals" || service == "machine") victims.emplace_back("goals", goals_.get());
  if (service == "report" || service == "machine") victims.emplace_back("report", report_.get());
  if (victims.empty()) {
    *error = "no backend " + service + " to cut the power of";
    return false;
  }
  for (auto& [name, process] : victims) process->SignalPowerLoss(during_next_sync);
  if (service == "machine") gateway_->Kill();
  for (auto& [name, process] : victims) {
    uint64_t dropped = 0;
    if (!process->WaitForPowerLoss(error, &dropped)) return false;
    if (dropped > 0) ++losses_that_dropped_data_;
    bytes_dropped_ += dropped;
  }
  for (auto& [name, process] : victims) {
    if (!StartAgain(name, error)) return false;
  }
  return service == "machine" ? StartAgain("gateway", error) : true;
}

std::shared_ptr<grpc::Channel> Cluster::GatewayChannel() const {
  return grpc::CreateChannel(gateway_grpc(), grpc::InsecureChannelCredentials());
}

}  // namespace yusuan::testing
