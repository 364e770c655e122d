#include "services/common/backup_service.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/errors.h"
#include "services/common/server.h"
#include "services/common/tsan_handoff.h"
#include "services/common/unary_reactor.h"

ABSL_FLAG(std::string, checkpoint_dir, "",
          "Where backups' checkpoints are made, on the data directory's file system (default <data_dir>.checkpoints)");

namespace yusuan {
namespace {

namespace fs = std::filesystem;
namespace v1 = yusuan::storage::v1;

constexpr int64_t kMaxLeaseMs = 60'000;
constexpr size_t kChunkBytes = 1 << 20;
// A checkpoint no backup finished with (the tool died) is removed when
// another is made this long after it.
constexpr auto kAbandonedAfter = std::chrono::hours(1);

// `what` in Chinese and in English ("创建", "create").
absl::Status FileSystemError(const std::string& what_zh, const std::string& what_en, const fs::path& path,
                             const std::error_code& error) {
  return absl::InternalError(absl::StrCat("无法", what_zh, " ", path.string(), "（", error.message(), "） / cannot ",
                                          what_en, " ", path.string(), ": ", error.message()));
}

// The checkpoint's regular files, relative to `dir`, in order.
absl::StatusOr<std::vector<v1::CheckpointFile>> ListFiles(const fs::path& dir) {
  std::vector<v1::CheckpointFile> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    v1::CheckpointFile file;
    file.set_path(fs::relative(it->path(), dir, error).generic_string());
    file.set_size_bytes(static_cast<int64_t>(it->file_size(error)));
    if (error) break;
    files.push_back(std::move(file));
  }
  if (error) return FileSystemError("列出", "list", dir, error);
  std::sort(files.begin(), files.end(),
            [](const v1::CheckpointFile& a, const v1::CheckpointFile& b) { return a.path() < b.path(); });
  return files;
}

// Sends a checkpoint's files in chunks, reading each chunk on the pool.
class CheckpointReader final : public grpc::ServerWriteReactor<v1::CheckpointChunk> {
 public:
  CheckpointReader(WorkerPool* pool, fs::path dir, std::vector<v1::CheckpointFile> files)
      : pool_(pool), dir_(std::move(dir)), files_(std::move(files)) {}

  void Start() { Schedule(); }

  void OnWriteDone(bool ok) override {
    TsanAcquire(this);
    if (!ok) {
      // The client went away: nothing more to send.
      TsanRelease(this);
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the reader of the checkpoint went away"));
      return;
    }
    Schedule();
  }

  void OnDone() override {
    TsanAcquire(this);
    delete this;
    TsanCallDone();
  }

 private:
  void Schedule() {
    TsanRelease(this);
    if (!pool_->TrySubmit([this] {
          TsanAcquire(this);
          ReadNext();
        })) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the backend is shutting down; retry the backup"));
    }
  }

  void End(const absl::Status& status) {
    TsanRelease(this);
    Finish(ToGrpcStatus(status));
  }

  void ReadNext() {
    chunk_.Clear();
    if (index_ == files_.size()) {
      End(absl::OkStatus());
      return;
    }
    const v1::CheckpointFile& file = files_[index_];
    const fs::path path = dir_ / file.path();
    if (!in_.is_open()) {
      in_.open(path, std::ios::binary);
      if (!in_) {
        End(absl::InternalError(absl::StrCat("无法读取检查点文件 ", path.string(),
                                             " / cannot read the checkpoint file ", path.string(),
                                             "; start the backup again")));
        return;
      }
      chunk_.set_path(file.path());
      chunk_.set_size_bytes(file.size_bytes());
      left_ = static_cast<uint64_t>(file.size_bytes());
    }
    const size_t bytes = static_cast<size_t>(std::min<uint64_t>(left_, kChunkBytes));
    std::string* data = chunk_.mutable_data();
    data->resize(bytes);
    in_.read(data->data(), static_cast<std::streamsize>(bytes));
    if (static_cast<size_t>(in_.gcount()) != bytes) {
      End(absl::InternalError(absl::StrCat("检查点文件 ", path.string(), " 比列出时短 / the checkpoint file ",
                                           path.string(),
                                           " is shorter than when it was listed; start the backup again")));
      return;
    }
    left_ -= bytes;
    if (left_ == 0) {
      in_.close();
      ++index_;
    }
    TsanRelease(this);
    StartWrite(&chunk_);
  }

  WorkerPool* const pool_;
  const fs::path dir_;
  const std::vector<v1::CheckpointFile> files_;
  size_t index_ = 0;
  std::ifstream in_;
  uint64_t left_ = 0;
  v1::CheckpointChunk chunk_;
};

}  // namespace

std::string CheckpointRoot(const std::string& data_dir) {
  const std::string flag = absl::GetFlag(FLAGS_checkpoint_dir);
  if (!flag.empty()) return flag;
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir + ".checkpoints";
}

absl::Status CheckBackupId(const std::string& backup_id) {
  const bool well_formed =
      !backup_id.empty() && backup_id.size() <= 64 && std::all_of(backup_id.begin(), backup_id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-';
      });
  if (well_formed) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("备份编号无效 / invalid backup_id \"", backup_id.substr(0, 80),
                   "\": 1 to 64 of the characters 0-9, a-z and -, as `yusuan admin backup` makes them"));
}

absl::StatusOr<std::unique_ptr<StoreBackupService>> StoreBackupService::Create(const std::string& service,
                                                                               Store* store) {
  const fs::path root = CheckpointRoot(store->path());
  std::error_code error;
  fs::create_directories(root, error);
  if (error) return FileSystemError("创建检查点目录", "create the checkpoint directory", root, error);
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec, error);
  if (error) return FileSystemError("设置权限于", "set the mode of", root, error);
  // What a backup that ended with the process left: not a backup (the
  // tool keeps only what it copied), so gone.
  for (fs::directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
    fs::remove_all(it->path(), error);
    if (error) return FileSystemError("删除", "remove", it->path(), error);
  }
  if (error) return FileSystemError("列出", "list", root, error);
  return std::unique_ptr<StoreBackupService>(new StoreBackupService(service, store, root.string()));
}

StoreBackupService::StoreBackupService(std::string service, Store* store, std::string root)
    : service_(std::move(service)), store_(store), root_(std::move(root)), pool_(2, 64) {}

StoreBackupService::~StoreBackupService() { pool_.Shutdown(); }

absl::StatusOr<v1::HoldWritesResponse> StoreBackupService::Hold(const v1::HoldWritesRequest& request) {
  if (absl::Status id = CheckBackupId(request.backup_id()); !id.ok()) return id;
  if (request.lease_ms() < 1 || request.lease_ms() > kMaxLeaseMs) {
    return absl::InvalidArgumentError(absl::StrCat("lease_ms 无效 / invalid lease_ms ", request.lease_ms(),
                                                   ": from 1 to ", kMaxLeaseMs, " (a minute)"));
  }
  absl::StatusOr<int64_t> queued = store_->HoldWrites(request.backup_id(), absl::Milliseconds(request.lease_ms()));
  if (!queued.ok()) return queued.status();
  LogLine(service_, absl::StrCat("备份 ", request.backup_id(), " 暂停写入 / backup ", request.backup_id(),
                                 " holds the writes (lease ", request.lease_ms(), " ms, ", *queued, " waiting)"));
  v1::HoldWritesResponse response;
  response.set_queued_writes(*queued);
  return response;
}

absl::StatusOr<v1::Checkpoint> StoreBackupService::Checkpoint(const std::string& backup_id) {
  if (absl::Status id = CheckBackupId(backup_id); !id.ok()) return id;
  std::error_code error;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(root_, error), end; !error && it != end; it.increment(error)) {
    const auto written = it->last_write_time(error);
    if (!error && it->path().filename() != backup_id && now - written > kAbandonedAfter) {
      fs::remove_all(it->path(), error);
    }
  }
  // A retried call makes it again (still under the same hold).
  const fs::path dir = fs::path(root_) / backup_id;
  fs::remove_all(dir, error);
  if (error) return FileSystemError("删除", "remove", dir, error);
  absl::StatusOr<Store::CheckpointPoint> point = store_->CreateCheckpoint(backup_id, dir.string());
  if (!point.ok()) return point.status();
  absl::StatusOr<std::vector<v1::CheckpointFile>> files = ListFiles(dir);
  if (!files.ok()) return files.status();
  v1::Checkpoint checkpoint;
  checkpoint.set_backup_id(backup_id);
  checkpoint.set_service(service_);
  for (v1::CheckpointFile& file : *files) *checkpoint.add_files() = std::move(file);
  checkpoint.set_rocksdb_sequence(point->rocksdb_sequence);
  checkpoint.set_log_id(store_->log_id());
  checkpoint.set_log_sequence(point->log_sequence);
  return checkpoint;
}

absl::StatusOr<v1::ReleaseWritesResponse> StoreBackupService::Release(const std::string& backup_id) {
  if (absl::Status id = CheckBackupId(backup_id); !id.ok()) return id;
  v1::ReleaseWritesResponse response;
  if (std::optional<absl::Duration> held = store_->ReleaseWrites(backup_id); held.has_value()) {
    response.set_held_ms(absl::ToInt64Milliseconds(*held));
    LogLine(service_, absl::StrCat("备份 ", backup_id, " 恢复写入 / backup ", backup_id, " released the writes after ",
                                   response.held_ms(), " ms"));
  }
  return response;
}

absl::Status StoreBackupService::Delete(const std::string& backup_id) {
  if (absl::Status id = CheckBackupId(backup_id); !id.ok()) return id;
  std::error_code error;
  const fs::path dir = fs::path(root_) / backup_id;
  fs::remove_all(dir, error);
  if (error) return FileSystemError("删除", "remove", dir, error);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* StoreBackupService::HoldWrites(grpc::CallbackServerContext* context,
                                                         const v1::HoldWritesRequest* request,
                                                         v1::HoldWritesResponse* response) {
  return OffloadUnary(context, &pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, Hold(*request));
  });
}

grpc::ServerUnaryReactor* StoreBackupService::CreateCheckpoint(grpc::CallbackServerContext* context,
                                                               const v1::CreateCheckpointRequest* request,
                                                               v1::Checkpoint* response) {
  return OffloadUnary(context, &pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, Checkpoint(request->backup_id()));
  });
}

grpc::ServerUnaryReactor* StoreBackupService::ReleaseWrites(grpc::CallbackServerContext* context,
                                                            const v1::ReleaseWritesRequest* request,
                                                            v1::ReleaseWritesResponse* response) {
  return OffloadUnary(context, &pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, Release(request->backup_id()));
  });
}

grpc::ServerUnaryReactor* StoreBackupService::DeleteCheckpoint(grpc::CallbackServerContext* context,
                                                               const v1::DeleteCheckpointRequest* request,
                                                               v1::DeleteCheckpointResponse* response) {
  return OffloadUnary(context, &pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    FinishUnary(reactor, ToGrpcStatus(Delete(request->backup_id())));
    (void)response;
  });
}

grpc::ServerWriteReactor<v1::CheckpointChunk>* StoreBackupService::ReadCheckpoint(
    grpc::CallbackServerContext* context, const v1::ReadCheckpointRequest* request) {
  absl::Status refused = CheckCallGuard(*context);
  if (refused.ok()) refused = CheckBackupId(request->backup_id());
  const fs::path dir = fs::path(root_) / request->backup_id();
  std::vector<v1::CheckpointFile> files;
  if (refused.ok()) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
      refused = absl::NotFoundError(
          absl::StrCat("没有备份 ", request->backup_id(), " 的检查点 / no checkpoint of backup ", request->backup_id(),
                       " in ", root_, " (deleted, or the service restarted); start the backup again"));
    } else if (absl::StatusOr<std::vector<v1::CheckpointFile>> listed = ListFiles(dir); !listed.ok()) {
      refused = listed.status();
    } else {
      files = *std::move(listed);
    }
  }
  auto* reader = new CheckpointReader(&pool_, dir, std::move(files));
  if (!refused.ok()) {
    reader->Finish(ToGrpcStatus(refused));
  } else {
    reader->Start();
  }
  return reader;
}

}  // namespace yusuan
