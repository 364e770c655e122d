// Starts the real service binaries on ephemeral loopback ports with temporary
// data directories, and always stops them (destructors send SIGTERM, then
// SIGKILL). Used by the integration tests.
#ifndef YUSUAN_TESTS_INTEGRATION_HARNESS_H_
#define YUSUAN_TESTS_INTEGRATION_HARNESS_H_

#include <sys/types.h>

#include <cstdint>

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "services/security/internal_secret.h"
#include "services/security/signing_key.h"
#include "services/security/token.h"

namespace yusuan::testing {

// A temporary directory removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ServiceProcess {
 public:
  // `binary` is a file name in YUSUAN_BIN_DIR; `port_files` are the flags whose
  // value is a port file to create and read back (e.g. {"port_file"}).
  ServiceProcess(std::string name, std::string binary, std::vector<std::string> args, std::string log_dir);
  ~ServiceProcess();

  // Forks and execs; waits (up to 30 s) until every port file holds a port.
  // Returns false (with the log tail in *error) when it does not come up.
  bool Start(const std::vector<std::string>& port_file_flags, std::string* error);
  // SIGTERM and wait; returns the exit status (or -1).
  int Stop();
  // SIGKILL and reap.
  void Kill();
  // Makes a fault build started with --power_loss_fs lose power
  // (services/common/power_loss.h): now (SIGUSR2) or during its next sync
  // (SIGUSR1). WaitForPowerLoss reaps it and fails unless it ended that way
  // within 30 s.
  void SignalPowerLoss(bool during_next_sync);
  // `dropped_bytes`: what the loss dropped, as its last log line says.
  bool WaitForPowerLoss(std::string* error, uint64_t* dropped_bytes);
  bool running() const { return pid_ > 0; }
  // How it ended, as waitpid reports it (-1 while it runs or never ran).
  int wait_status() const { return wait_status_; }
  // Bound port read from the i-th port file.
  int port(size_t i = 0) const { return ports_.at(i); }
  std::string address(size_t i = 0) const;
  std::string LogTail() const;

 private:
  std::string name_;
  std::string binary_;
  std::vector<std::string> args_;
  std::string log_dir_;
  pid_t pid_ = -1;
  int wait_status_ = -1;
  std::vector<int> ports_;
};

// The four services wired together, each with its own data directory.
class Cluster {
 public:
  // Extra flags per service, after the harness's own (e.g. TLS files).
  struct Options {
    std::vector<std::string> ledger_args;
    std::vector<std::string> goals_args;
    std::vector<std::string> report_args;
    std::vector<std::string> gateway_args;
    // The backends run as their fault builds (yusuan-ledger-faults, …)
    // with --power_loss_fs, so that LosePowerAndRestart can cut their power.
    bool power_loss = false;
  };
  explicit Cluster(const std::string& root);
  Cluster(const std::string& root, Options options);
  ~Cluster();
  bool Start(std::string* error);
  // Restarts the ledger on the same data directory and port.
  bool RestartLedger(bool kill_hard, std::string* error);
  // Stops the ledger (SIGTERM) and starts it again on the same data
  // directory and port: between the two a test may open its database, e.g.
  // to hold data stored before a rule existed.
  void StopLedger();
  bool StartLedger(std::string* error);
  std::string ledger_data_dir() const;
  // Stops the report service (SIGTERM) and starts it again on the same data
  // directory and port: a fault the tests inject from outside the binaries.
  void StopReport();
  bool StartReport(std::string* error);
  // (Re)starts the gateway, on new ports, with extra flags.
  bool RestartGateway(const std::vector<std::string>& extra_args, std::string* error);
  // SIGKILLs "ledger", "goals", "report" or "gateway" and starts it again
  // on the same data directory and ports (the gateway too, so clients'
  // channels reconnect to it): what a crash and a supervisor's restart do.
  bool KillAndRestart(const std::string& service, std::string* error);
  // Cuts the power of "ledger", "goals" or "report" (what they had not
  // synced is lost; Options::power_loss must be set), now or during its
  // next sync, and starts it again on the same data directory and port.
  // "machine": all three at once, and the gateway SIGKILLed, as when the
  // one machine running the shard loses power; then all four start again.
  bool LosePowerAndRestart(const std::string& service, bool during_next_sync, std::string* error);
  // Backends' power losses that dropped data (written, never synced), and
  // how many bytes in all.
  int losses_that_dropped_data() const { return losses_that_dropped_data_; }
  uint64_t bytes_dropped() const { return bytes_dropped_; }

  ServiceProcess& ledger() { return *ledger_; }
  ServiceProcess& goals() { return *goals_; }
  ServiceProcess& report() { return *report_; }
  ServiceProcess& gateway() { return *gateway_; }
  std::string gateway_grpc() const { return gateway_->address(0); }
  int gateway_http_port() const { return gateway_->port(1); }
  std::shared_ptr<grpc::Channel> GatewayChannel() const;
  // The key the services share (created by Start): tests mint tokens with it.
  std::string signing_key_path() const;
  const security::SigningKey& signing_key() const;
  // What the backends hold instead of the signing key (internal_secret.h).
  std::string internal_secret_path() const;
  const security::InternalSecret& internal_secret() const;

 private:
  std::unique_ptr<ServiceProcess> MakeLedger(int port);
  std::unique_ptr<ServiceProcess> MakeReport(int port);
  std::unique_ptr<ServiceProcess> MakeGoals(int port);
  // A backend's binary and first flags: its fault build when power_loss.
  std::string BackendBinary(const std::string& service) const;
  std::vector<std::string> BackendArgs(std::vector<std::string> args, const std::vector<std::string>& extra) const;
  // Starts a backend that ended (or the gateway) again on its ports.
  bool StartAgain(const std::string& service, std::string* error);
  int report_port_ = 0;
  int ledger_port_ = 0;
  std::string root_;
  Options options_;
  std::unique_ptr<ServiceProcess> ledger_, goals_, report_, gateway_;
  int losses_that_dropped_data_ = 0;
  uint64_t bytes_dropped_ = 0;
  std::unique_ptr<security::SigningKey> key_;
  std::unique_ptr<security::InternalSecret> secret_;
};

// A bearer token signed with the cluster's key for `role` over `scope`,
// valid for an hour from now; `subject` names the test in the access log.
std::string TestToken(const Cluster& cluster, security::Role role, const std::string& subject,
                      const std::string& scope = "regions/");

std::string ReadFile(const std::string& path);
std::string SampleFilingPath();

// Runs `command` through the shell, its stderr with its stdout; its exit
// status (-1 when it did not run or did not exit), what it printed appended
// to `output`.
int RunShell(const std::string& command, std::string* output);
// The CLI (YUSUAN_BIN_DIR/yusuan) against the gateway at `gateway` with a
// bearer `token` (none when empty), as RunShell.
int RunCliAt(const std::string& gateway, const std::string& token, const std::string& args, std::string* output);

}  // namespace yusuan::testing

#endif  // YUSUAN_TESTS_INTEGRATION_HARNESS_H_
