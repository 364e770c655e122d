// admin backup, admin restore: a shard's three stores copied while they
// serve, and put back into a data directory while they are stopped
// (services/common/README.md § Backups). The backup talks to the backends
// themselves with the internal secret, as the gateway does: it is the
// operator's tool on the shard's own network, not a call of the public API.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "services/client/client.h"
#include "services/common/random_id.h"
#include "services/common/sha256.h"
#include "services/common/tls.h"
#include "services/security/internal_secret.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "yusuan/storage/v1/backup.grpc.pb.h"

namespace yusuan::cli {
namespace {

namespace fs = std::filesystem;
namespace v1 = yusuan::storage::v1;

constexpr char kManifestFormat[] = "yusuan-backup-1";
constexpr char kManifestFile[] = "manifest.json";
const char* const kServices[] = {"ledger", "goals", "report"};
constexpr int64_t kDefaultLeaseMs = 10'000;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

int Fail(const std::string& message) {
  std::cerr << "yusuan: " << message << "\n";
  return kFailed;
}

int Fail(const absl::Status& status) { return Fail(std::string(status.message())); }

std::string Megabytes(int64_t bytes) { return absl::StrFormat("%.1f MB", static_cast<double>(bytes) / 1e6); }

// A backend: its address, from the flag, else 127.0.0.1 and the port
// variable up.sh reads, else the default port.
std::string BackendAddress(const std::string& flag, const char* port_variable, int default_port) {
  if (!flag.empty()) return flag;
  const std::string port = Env(port_variable);
  return absl::StrCat("127.0.0.1:", port.empty() ? std::to_string(default_port) : port);
}

struct Backend {
  std::string service;
  std::string address;
  std::unique_ptr<v1::StoreBackup::Stub> stub;
};

class BackupClient {
 public:
  BackupClient(std::vector<Backend> backends, std::string credential)
      : backends_(std::move(backends)), credential_(std::move(credential)) {}

  std::vector<Backend>& backends() { return backends_; }

  std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout) const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    context->AddMetadata(security::kInternalCredentialHeader, credential_);
    return context;
  }

 private:
  std::vector<Backend> backends_;
  std::string credential_;
};

std::string CallError(const Backend& backend, const std::string& call, const grpc::Status& status) {
  std::string hint;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    hint = absl::StrCat("; is the ", backend.service, " service up at ", backend.address, " (--", backend.service,
                        " HOST:PORT)?");
  } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    hint = "; give the shard's internal secret (--internal-secret-file, default $YUSUAN_DATA/secrets/internal.secret)";
  } else if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    hint = absl::StrCat("; the ", backend.service, " service at ", backend.address,
                        " is older than backups: upgrade it first");
  }
  return absl::StrCat(backend.service, " (", backend.address, ") ", call, ": ", status.error_message(), hint);
}

// fsync of a file or a directory, so that a backup said to be made is on disk.
absl::Status SyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    return absl::InternalError(absl::StrCat("无法同步 / cannot sync ", path.string(), " to disk"));
  }
  ::close(fd);
  return absl::OkStatus();
}

// Receives one checkpoint into `dir`, each file checked against the listed
// size and recorded with its SHA-256 in `checkpoint`.
absl::Status ReceiveCheckpoint(BackupClient& client, Backend& backend, const fs::path& dir,
                               v1::Checkpoint& checkpoint) {
  int64_t total = 0;
  for (const v1::CheckpointFile& file : checkpoint.files()) total += file.size_bytes();
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return absl::InternalError(absl::StrCat("无法创建 / cannot create ", dir.string(), ": ", error.message()));
  v1::ReadCheckpointRequest request;
  request.set_backup_id(checkpoint.backup_id());
  // A day at most: a very large store over a slow network.
  auto context = client.Context(absl::Hours(24));
  std::unique_ptr<grpc::ClientReader<v1::CheckpointChunk>> reader =
      backend.stub->ReadCheckpoint(context.get(), request);
  v1::CheckpointChunk chunk;
  std::ofstream out;
  std::string current;
  int64_t received = 0;
  int64_t shown = -1;
  absl::Time last_shown = absl::Now();
  while (reader->Read(&chunk)) {
    if (!chunk.path().empty()) {
      if (out.is_open()) {
        out.close();
        if (!out) {
          context->TryCancel();
          return absl::InternalError(absl::StrCat("无法写入 / cannot write ", (dir / current).string()));
        }
      }
      const fs::path target = dir / chunk.path();
      // The path comes from the backend; it stays inside the directory.
      if (chunk.path().find("..") != std::string::npos || fs::path(chunk.path()).is_absolute()) {
        context->TryCancel();
        return absl::InternalError(
            absl::StrCat(backend.service, " sent a file outside its checkpoint: ", chunk.path()));
      }
      fs::create_directories(target.parent_path(), error);
      out.open(target, std::ios::binary | std::ios::trunc);
      if (!out) {
        context->TryCancel();
        return absl::InternalError(absl::StrCat("无法写入 / cannot write ", target.string()));
      }
      current = chunk.path();
    }
    out.write(chunk.data().data(), static_cast<std::streamsize>(chunk.data().size()));
    if (!out) {
      context->TryCancel();
      return absl::InternalError(
          absl::StrCat("无法写入 / cannot write ", (dir / current).string(), " (is the disk full?)"));
    }
    received += static_cast<int64_t>(chunk.data().size());
    if (received != shown && absl::Now() - last_shown > absl::Seconds(1)) {
      std::cerr << "  " << backend.service << ": " << Megabytes(received) << " / " << Megabytes(total) << "\n";
      shown = received;
      last_shown = absl::Now();
    }
  }
  if (out.is_open()) {
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("无法写入 / cannot write ", (dir / current).string()));
  }
  if (grpc::Status finished = reader->Finish(); !finished.ok()) {
    return absl::UnavailableError(CallError(backend, "ReadCheckpoint", finished));
  }
  for (v1::CheckpointFile& file : *checkpoint.mutable_files()) {
    const fs::path path = dir / file.path();
    absl::StatusOr<FileDigest> digest = Sha256OfFile(path.string());
    if (!digest.ok()) return digest.status();
    if (digest->bytes != file.size_bytes()) {
      return absl::DataLossError(absl::StrCat(backend.service, ": ", file.path(), " arrived with ", digest->bytes,
                                              " bytes, the checkpoint listed ", file.size_bytes(),
                                              "; start the backup again"));
    }
    file.set_sha256(digest->sha256_hex);
    if (absl::Status synced = SyncPath(path, false); !synced.ok()) return synced;
  }
  std::cerr << "  " << backend.service << ": " << checkpoint.files_size() << " files, " << Megabytes(received) << "\n";
  return SyncPath(dir, true);
}

// Holds the three stores' writes, checkpoints each, releases them whatever
// happened; the checkpoints then, or the first error. `reached`: how many
// backends (in order) were asked to hold, so to release and to delete.
absl::StatusOr<std::vector<v1::Checkpoint>> CheckpointAtOneMoment(BackupClient& client, const std::string& backup_id,
                                                                  int64_t lease_ms, int64_t* held_ms, size_t* reached) {
  std::vector<Backend>& backends = client.backends();
  std::vector<v1::Checkpoint> checkpoints(backends.size());
  absl::Status failed;
  *reached = 0;
  for (Backend& backend : backends) {
    v1::HoldWritesRequest hold;
    hold.set_backup_id(backup_id);
    hold.set_lease_ms(lease_ms);
    v1::HoldWritesResponse response;
    grpc::Status status = backend.stub->HoldWrites(client.Context(absl::Milliseconds(lease_ms)).get(), hold, &response);
    // A hold whose answer was lost may be in force all the same.
    if (status.ok() || status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) ++*reached;
    if (!status.ok()) {
      failed = absl::UnavailableError(CallError(backend, "HoldWrites", status));
      break;
    }
  }
  for (size_t i = 0; failed.ok() && i < backends.size(); ++i) {
    v1::CreateCheckpointRequest request;
    request.set_backup_id(backup_id);
    grpc::Status status =
        backends[i].stub->CreateCheckpoint(client.Context(absl::Minutes(5)).get(), request, &checkpoints[i]);
    if (!status.ok()) failed = absl::UnavailableError(CallError(backends[i], "CreateCheckpoint", status));
  }
  // Writes go on, also after a failure (the lease would end the hold too).
  for (size_t i = 0; i < *reached; ++i) {
    v1::ReleaseWritesRequest release;
    release.set_backup_id(backup_id);
    v1::ReleaseWritesResponse response;
    grpc::Status status = backends[i].stub->ReleaseWrites(client.Context(absl::Seconds(30)).get(), release, &response);
    if (!status.ok()) {
      std::cerr << "yusuan: " << CallError(backends[i], "ReleaseWrites", status) << " (its hold ends with its lease, "
                << lease_ms << " ms)\n";
    }
    *held_ms = std::max(*held_ms, response.held_ms());
  }
  if (!failed.ok()) return failed;
  return checkpoints;
}

void DeleteCheckpoints(BackupClient& client, const std::string& backup_id, size_t reached) {
  for (size_t i = 0; i < reached; ++i) {
    Backend& backend = client.backends()[i];
    v1::DeleteCheckpointRequest request;
    request.set_backup_id(backup_id);
    v1::DeleteCheckpointResponse response;
    grpc::Status status = backend.stub->DeleteCheckpoint(client.Context(absl::Seconds(30)).get(), request, &response);
    if (!status.ok()) {
      std::cerr << "yusuan: " << CallError(backend, "DeleteCheckpoint", status)
                << " (the service removes it at its next start or an hour later)\n";
    }
  }
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> BackendCredentials(const Args& args) {
  ChannelTlsFlags flags;
  flags.ca = {"--backend-ca-file", args.backend_ca_file};
  flags.cert = {"--backend-cert-file", args.backend_cert_file};
  flags.key = {"--backend-key-file", args.backend_key_file};
  return ChannelCredentialsFromFlags(flags);
}

std::string DataRoot(const Args& args) {
  if (!args.data.empty()) return args.data;
  const std::string env = Env("YUSUAN_DATA");
  return env.empty() ? ".yusuan-data" : env;
}

// Whether a RocksDB process has the database at `dir` open: RocksDB holds a
// write lock (fcntl) on its LOCK file for as long as it runs.
bool DatabaseInUse(const fs::path& dir) {
  const int fd = ::open((dir / "LOCK").c_str(), O_RDWR);
  if (fd < 0) return false;
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  const bool in_use = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  ::close(fd);
  return in_use;
}

bool EmptyOrMissing(const fs::path& dir) {
  std::error_code error;
  if (!fs::exists(dir, error)) return true;
  return fs::is_directory(dir, error) && fs::is_empty(dir, error);
}

}  // namespace

int AdminBackup(const Args& args) {
  if (args.to.empty()) return Usage("admin backup 需要 --to DIR / admin backup needs --to DIR (a directory to make)");
  int64_t lease_ms = kDefaultLeaseMs;
  if (!args.lease_ms.empty() && (!absl::SimpleAtoi(args.lease_ms, &lease_ms) || lease_ms < 100 || lease_ms > 60'000)) {
    return Usage(absl::StrCat("--lease-ms 无效 / invalid --lease-ms \"", args.lease_ms,
                              "\": from 100 to 60000 milliseconds (how long writes may be held at most)"));
  }
  const fs::path to(args.to);
  std::error_code error;
  if (fs::exists(to, error)) {
    return Fail(absl::StrCat("备份目录已存在 / the backup directory ", to.string(),
                             " exists already; name a new one (a backup is never written over another)"));
  }
  const fs::path parent = fs::absolute(to, error).parent_path();
  if (!fs::is_directory(parent, error)) {
    return Fail(absl::StrCat("目录不存在 / the directory ", parent.string(), " (where --to goes) does not exist"));
  }
  const absl::StatusOr<std::string> secret_path = security::InternalSecretPath(args.internal_secret_file);
  if (!secret_path.ok()) return Fail(secret_path.status());
  absl::StatusOr<security::InternalSecret> secret = security::LoadInternalSecret(*secret_path);
  if (!secret.ok()) return Fail(secret.status());
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials = BackendCredentials(args);
  if (!credentials.ok()) return Fail(credentials.status());

  std::vector<Backend> backends;
  const std::string addresses[] = {BackendAddress(args.ledger, "YUSUAN_LEDGER_PORT", 50061),
                                   BackendAddress(args.goals, "YUSUAN_GOALS_PORT", 50062),
                                   BackendAddress(args.report, "YUSUAN_REPORT_PORT", 50063)};
  for (size_t i = 0; i < 3; ++i) {
    Backend backend;
    backend.service = kServices[i];
    backend.address = addresses[i];
    backend.stub =
        v1::StoreBackup::NewStub(grpc::CreateCustomChannel(backend.address, *credentials, client::ChannelArguments()));
    backends.push_back(std::move(backend));
  }
  BackupClient client(std::move(backends), secret->credential());

  const absl::Time taken_at = absl::Now();
  const std::string backup_id = absl::AsciiStrToLower(
      absl::StrCat(absl::FormatTime("%Y%m%dt%H%M%Sz", taken_at, absl::UTCTimeZone()), "-", RandomHexId().substr(0, 8)));
  std::cerr << "备份 backup " << backup_id << ": holding the writes of ledger, goals and report at one moment\n";
  int64_t held_ms = 0;
  size_t reached = 0;
  absl::StatusOr<std::vector<v1::Checkpoint>> checkpoints =
      CheckpointAtOneMoment(client, backup_id, lease_ms, &held_ms, &reached);
  if (!checkpoints.ok()) {
    DeleteCheckpoints(client, backup_id, reached);
    return Fail(absl::StrCat("备份失败，未写入任何文件 / the backup failed, nothing was written: ",
                             checkpoints.status().message()));
  }
  std::cerr << "  writes held " << held_ms << " ms; copying the checkpoints\n";

  const fs::path partial = fs::path(to.string() + ".partial");
  fs::remove_all(partial, error);
  // Drafts under review are in it: the operator's alone, as the data is.
  fs::create_directories(partial, error);
  fs::permissions(partial, fs::perms::owner_all, error);
  v1::BackupManifest manifest;
  manifest.set_format(kManifestFormat);
  manifest.set_backup_id(backup_id);
  manifest.set_taken_at(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", taken_at, absl::UTCTimeZone()));
  manifest.set_held_ms(held_ms);
  absl::Status copied;
  for (size_t i = 0; i < 3 && copied.ok(); ++i) {
    copied = ReceiveCheckpoint(client, client.backends()[i], partial / kServices[i], (*checkpoints)[i]);
    *manifest.add_stores() = (*checkpoints)[i];
  }
  DeleteCheckpoints(client, backup_id, reached);
  if (copied.ok()) {
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(manifest, &json, options);
    std::ofstream out(partial / kManifestFile, std::ios::binary | std::ios::trunc);
    out << json;
    out.close();
    copied = out ? SyncPath(partial / kManifestFile, false) : absl::InternalError("cannot write the manifest");
  }
  if (copied.ok()) copied = SyncPath(partial, true);
  if (copied.ok()) {
    fs::rename(partial, to, error);
    if (error) copied = absl::InternalError(absl::StrCat("cannot rename ", partial.string(), ": ", error.message()));
  }
  if (copied.ok()) copied = SyncPath(parent, true);
  if (!copied.ok()) {
    fs::remove_all(partial, error);
    return Fail(absl::StrCat("备份失败，未留下文件 / the backup failed and left nothing: ", copied.message()));
  }
  int64_t bytes = 0;
  int files = 0;
  for (const v1::Checkpoint& store : manifest.stores()) {
    files += store.files_size();
    for (const v1::CheckpointFile& file : store.files()) bytes += file.size_bytes();
  }
  std::cout << "已备份 / backed up ledger, goals and report to " << to.string() << " (" << files << " files, "
            << Megabytes(bytes) << "; writes held " << held_ms << " ms; change log at "
            << manifest.stores(0).log_sequence() << ")\n";
  return kOk;
}

int AdminRestore(const Args& args) {
  if (args.from.empty()) return Usage("admin restore 需要 --from DIR / admin restore needs --from DIR (a backup)");
  // Where each store has a volume of its own (Kubernetes), each is restored
  // on its own, all three from the same backup.
  std::vector<std::string> restored;
  for (const char* service : kServices) {
    if (args.only.empty() || args.only == service) restored.push_back(service);
  }
  if (restored.empty()) {
    return Usage(absl::StrCat("--only 无效 / invalid --only \"", args.only, "\": ledger, goals or report"));
  }
  const fs::path from(args.from);
  std::ifstream in(from / kManifestFile, std::ios::binary);
  if (!in) {
    return Fail(absl::StrCat("不是备份目录 / ", from.string(), " is not a backup: it has no ", kManifestFile,
                             " (a backup that did not finish leaves only DIR.partial)"));
  }
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  v1::BackupManifest manifest;
  if (!google::protobuf::util::JsonStringToMessage(json, &manifest).ok() || manifest.format() != kManifestFormat) {
    return Fail(absl::StrCat("备份清单无法读取 / ", (from / kManifestFile).string(), " is not a manifest of format ",
                             kManifestFormat));
  }
  // Every store there and every file as the backup recorded it, before
  // anything is touched.
  int64_t checked_bytes = 0;
  for (const char* service : kServices) {
    const v1::Checkpoint* store = nullptr;
    for (const v1::Checkpoint& candidate : manifest.stores()) {
      if (candidate.service() == service) store = &candidate;
    }
    if (store == nullptr) return Fail(absl::StrCat("备份缺少 / the backup has no ", service, " store"));
    for (const v1::CheckpointFile& file : store->files()) {
      const fs::path path = from / service / file.path();
      absl::StatusOr<FileDigest> digest = Sha256OfFile(path.string());
      if (!digest.ok()) return Fail(digest.status());
      if (digest->bytes != file.size_bytes() || digest->sha256_hex != file.sha256()) {
        return Fail(absl::StrCat("备份文件已损坏 / the backup file ", path.string(),
                                 " is not what was backed up (size or SHA-256 differs from the manifest); "
                                 "restore from another backup"));
      }
      checked_bytes += digest->bytes;
    }
  }
  std::cerr << "备份 backup " << manifest.backup_id() << " of " << manifest.taken_at() << ": every file checked ("
            << Megabytes(checked_bytes) << ")\n";

  const fs::path data = DataRoot(args);
  std::error_code error;
  for (const std::string& service : restored) {
    const fs::path target = data / service;
    if (DatabaseInUse(target)) {
      return Fail(absl::StrCat("服务正在运行 / the ", service, " service is running on ", target.string(),
                               "; stop the services first (deploy/local/down.sh) and restore again"));
    }
    if (!args.replace && !EmptyOrMissing(target)) {
      return Fail(absl::StrCat("数据目录非空 / ", target.string(),
                               " holds data; restore into an empty data directory (--data DIR), or give --replace "
                               "to move what is there aside (kept as ",
                               service, ".before-restore-<time>)"));
    }
  }
  // Copied beside the targets first, then put in place: a restore that
  // fails half-way changes no store.
  fs::create_directories(data, error);
  for (const std::string& service : restored) {
    const fs::path staging = data / (service + ".restoring");
    fs::remove_all(staging, error);
    fs::copy(from / service, staging, fs::copy_options::recursive, error);
    if (error) {
      fs::remove_all(staging, error);
      return Fail(absl::StrCat("无法复制 / cannot copy ", (from / service).string(), " to ", staging.string(), ": ",
                               error.message()));
    }
    for (const auto& entry : fs::recursive_directory_iterator(staging, error)) {
      if (entry.is_regular_file()) {
        if (absl::Status synced = SyncPath(entry.path(), false); !synced.ok()) return Fail(synced);
      }
    }
    if (absl::Status synced = SyncPath(staging, true); !synced.ok()) return Fail(synced);
  }
  const std::string stamp = absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone());
  for (const std::string& service : restored) {
    const fs::path target = data / service;
    if (!EmptyOrMissing(target)) {
      const fs::path aside = data / absl::StrCat(service, ".before-restore-", stamp);
      fs::rename(target, aside, error);
      if (error) return Fail(absl::StrCat("cannot move ", target.string(), " aside: ", error.message()));
      std::cerr << "  " << target.string() << " moved aside to " << aside.string() << "\n";
    } else {
      fs::remove_all(target, error);
    }
    fs::rename(data / (service + ".restoring"), target, error);
    if (error) return Fail(absl::StrCat("cannot put ", target.string(), " in place: ", error.message()));
  }
  if (absl::Status synced = SyncPath(data, true); !synced.ok()) return Fail(synced);
  std::cout << "已恢复 / restored " << absl::StrJoin(restored, ", ") << " into " << data.string() << " from backup "
            << manifest.backup_id() << " (" << manifest.taken_at()
            << "). Start the services (deploy/local/up.sh): the gateway finishes or drops the filings and "
               "publications that were in flight at that moment.\n";
  return kOk;
}

}  // namespace yusuan::cli
