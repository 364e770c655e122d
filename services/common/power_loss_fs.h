// A RocksDB file system that can lose power (fault builds only; README.md
// § Power loss).
//
// Every file written through it is tracked: how much was written and how
// much was made durable (by a Sync or Fsync that returned before the power
// went: Close, Flush and RangeSync make nothing durable), and which names were created or renamed in a directory
// since that directory was last fsynced. PowerOff() then does to the data
// directory what cutting the power does to a disk: it stops every file
// operation, truncates each file to what was synced, undoes the renames
// the directory never synced (restoring what a rename replaced) and removes
// the files it never synced the creation of, and ends the process at once
// (_exit, no destructor, nothing flushed). LoseUnsyncedData() is the same
// without the exit; afterwards every write through the file system fails.
//
// Not simulated: a deleted file coming back (a deletion the directory never
// synced), and torn writes inside what was synced.
#ifndef YUSUAN_SERVICES_COMMON_POWER_LOSS_FS_H_
#define YUSUAN_SERVICES_COMMON_POWER_LOSS_FS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "rocksdb/file_system.h"

namespace yusuan::power_loss {

// The exit code of a process that lost power this way.
inline constexpr int kPowerLossExitCode = 86;

class PowerLossFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit PowerLossFileSystem(std::shared_ptr<rocksdb::FileSystem> base);
  static const char* kClassName() { return "YusuanPowerLossFileSystem"; }
  const char* Name() const override { return kClassName(); }

  // After this many appends to any file (0: never), the thread of the last
  // one calls PowerOff().
  void PowerOffAfterAppends(uint64_t appends) { power_off_after_appends_ = appends; }
  // The next sync of a file or directory (from any thread) is cut short:
  // the power goes while it runs, it makes nothing durable, and its thread
  // calls PowerOff(). The moment a loss hurts most — a commit on its way to
  // the disk — which a signal at a random time rarely hits.
  void PowerOffAtNextSync() { off_at_next_sync_ = true; }

  // What a loss dropped.
  struct Dropped {
    uint64_t bytes = 0;       // written, never synced
    int files_truncated = 0;  // of them
    int renames_undone = 0;
    int files_removed = 0;  // created, the directory never synced
  };
  // Drops everything not durable, as described above, and fails every later
  // write. Waits for the file operations in progress to end first.
  Dropped LoseUnsyncedData();
  // LoseUnsyncedData(), a line on stderr saying what it dropped, then
  // _exit(kPowerLossExitCode).
  [[noreturn]] void PowerOff();
  bool powered_off() const { return off_.load(); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  // Recycled logs and read-write files would need tracking of overwrites:
  // refused, RocksDB does without them.
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomRWFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LinkFile(const std::string& from, const std::string& to, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result, rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus Truncate(const std::string& name, size_t size, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDir(const std::string& name, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDirIfMissing(const std::string& name, const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteDir(const std::string& name, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override;

  // What a file written through this file system holds (shared by the open
  // file and the table of files, so a rename moves it).
  struct FileState {
    uint64_t size = 0;     // bytes written
    uint64_t durable = 0;  // bytes synced
  };

 private:
  class TrackedFile;
  class TrackedDirectory;
  friend class TrackedFile;
  friend class TrackedDirectory;

  // A name change the directory has not synced yet, undone at the loss.
  struct PendingRename {
    std::string from, to;
    std::optional<std::string> replaced;  // what `to` held before, if anything
  };

  // Held (shared) around every operation that changes the disk; PowerOff
  // takes it exclusively, so no write runs while it drops data.
  class Operation {
   public:
    explicit Operation(PowerLossFileSystem* fs);
    ~Operation();
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;
    // IOError once the power is off (then nothing may be done).
    rocksdb::IOStatus status() const;

   private:
    PowerLossFileSystem* fs_;
    std::shared_lock<std::shared_mutex> lock_;
  };

  rocksdb::IOStatus Track(const std::string& name, bool existed, uint64_t size,
                          std::unique_ptr<rocksdb::FSWritableFile>* result);
  // Under an Operation: counts one append; true when it is the one to power off after.
  bool CountAppend();
  // Runs `sync` under an Operation, then `record` (when it succeeded);
  // powers off after it when PowerOffAtNextSync() asked.
  template <typename SyncCall, typename Record>
  rocksdb::IOStatus SyncAndRecord(SyncCall sync, Record record);
  // Record a sync that returned; false (nothing recorded) when the power
  // went off while it ran: it did not complete before the loss.
  bool Synced(const std::shared_ptr<FileState>& state, uint64_t size);
  bool DirectorySynced(const std::string& directory);

  std::shared_mutex power_mu_;
  std::atomic<bool> off_{false};
  std::atomic<bool> off_at_next_sync_{false};
  std::atomic<uint64_t> appends_{0};
  uint64_t power_off_after_appends_ = 0;

  std::mutex mu_;                                            // guards what follows
  std::map<std::string, std::shared_ptr<FileState>> files_;  // by current name
  std::set<std::string> created_;                            // names the directory has not synced
  std::vector<PendingRename> renames_;                       // in order
};

// Normalised path ("a//b/" → "a/b") and its directory ("a/b" → "a").
std::string NormalPath(const std::string& path);
std::string DirectoryOf(const std::string& path);

}  // namespace yusuan::power_loss

#endif  // YUSUAN_SERVICES_COMMON_POWER_LOSS_FS_H_
