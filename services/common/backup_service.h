// yusuan.storage.v1.StoreBackup on a backend: the calls `yusuan admin backup`
// makes to copy the backend's store while it serves (proto/yusuan/storage/
// v1/backup.proto says what each does; README.md § Backups, how the three
// stores of a shard are copied at one moment).
//
// Checkpoints are made under the checkpoint directory (--checkpoint_dir,
// default <data_dir>.checkpoints), which must be on the data directory's
// file system: RocksDB hard-links the tables into it. A checkpoint exists
// only while a backup copies it: the service deletes what it finds there at
// start, and any checkpoint an hour old when another is made.
#ifndef YUSUAN_SERVICES_COMMON_BACKUP_SERVICE_H_
#define YUSUAN_SERVICES_COMMON_BACKUP_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/store.h"
#include "services/common/worker_pool.h"
#include "yusuan/storage/v1/backup.grpc.pb.h"

namespace yusuan {

// The checkpoint directory of a service whose store is at `data_dir`:
// --checkpoint_dir when given, else `<data_dir>.checkpoints`.
std::string CheckpointRoot(const std::string& data_dir);

// [0-9a-z-], 1 to 64 characters: a backup id names a directory.
absl::Status CheckBackupId(const std::string& backup_id);

class StoreBackupService final : public yusuan::storage::v1::StoreBackup::CallbackService {
 public:
  // `service` is "ledger", "goals" or "report". Creates the checkpoint
  // directory (0750) and empties it; the error names the directory.
  static absl::StatusOr<std::unique_ptr<StoreBackupService>> Create(const std::string& service, Store* store);
  ~StoreBackupService() override;

  grpc::ServerUnaryReactor* HoldWrites(grpc::CallbackServerContext* context,
                                       const yusuan::storage::v1::HoldWritesRequest* request,
                                       yusuan::storage::v1::HoldWritesResponse* response) override;
  grpc::ServerUnaryReactor* CreateCheckpoint(grpc::CallbackServerContext* context,
                                             const yusuan::storage::v1::CreateCheckpointRequest* request,
                                             yusuan::storage::v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* ReleaseWrites(grpc::CallbackServerContext* context,
                                          const yusuan::storage::v1::ReleaseWritesRequest* request,
                                          yusuan::storage::v1::ReleaseWritesResponse* response) override;
  grpc::ServerWriteReactor<yusuan::storage::v1::CheckpointChunk>* ReadCheckpoint(
      grpc::CallbackServerContext* context, const yusuan::storage::v1::ReadCheckpointRequest* request) override;
  grpc::ServerUnaryReactor* DeleteCheckpoint(grpc::CallbackServerContext* context,
                                             const yusuan::storage::v1::DeleteCheckpointRequest* request,
                                             yusuan::storage::v1::DeleteCheckpointResponse* response) override;

  // The calls' work, without gRPC (tested directly).
  absl::StatusOr<yusuan::storage::v1::HoldWritesResponse> Hold(const yusuan::storage::v1::HoldWritesRequest& request);
  absl::StatusOr<yusuan::storage::v1::Checkpoint> Checkpoint(const std::string& backup_id);
  absl::StatusOr<yusuan::storage::v1::ReleaseWritesResponse> Release(const std::string& backup_id);
  absl::Status Delete(const std::string& backup_id);
  const std::string& checkpoint_root() const { return root_; }

 private:
  StoreBackupService(std::string service, Store* store, std::string root);

  const std::string service_;
  Store* const store_;
  const std::string root_;
  // Holding the writes waits for a commit and a checkpoint copies the log:
  // neither runs on gRPC's threads, nor does reading the files sent.
  WorkerPool pool_;
};

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_BACKUP_SERVICE_H_
