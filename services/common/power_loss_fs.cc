#include "services/common/power_loss_fs.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <utility>

namespace yusuan::power_loss {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

std::string NormalPath(const std::string& path) {
  std::string normal = std::filesystem::path(path).lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

std::string DirectoryOf(const std::string& path) {
  return std::filesystem::path(NormalPath(path)).parent_path().string();
}

namespace {

IOStatus PowerIsOff() { return IOStatus::IOError("断电 / the power is off (simulated power loss)"); }

}  // namespace

PowerLossFileSystem::Operation::Operation(PowerLossFileSystem* fs) : fs_(fs) {
  // Once the power is off nothing waits for the lock: it is not given back.
  if (!fs_->off_.load()) lock_ = std::shared_lock<std::shared_mutex>(fs_->power_mu_);
}

PowerLossFileSystem::Operation::~Operation() = default;

IOStatus PowerLossFileSystem::Operation::status() const {
  return lock_.owns_lock() && !fs_->off_.load() ? IOStatus::OK() : PowerIsOff();
}

// A writable file whose appends and syncs are counted.
class PowerLossFileSystem::TrackedFile : public rocksdb::FSWritableFileWrapper {
 public:
  TrackedFile(PowerLossFileSystem* fs, std::unique_ptr<rocksdb::FSWritableFile> file, std::shared_ptr<FileState> state)
      : FSWritableFileWrapper(file.get()), file_(std::move(file)), fs_(fs), state_(std::move(state)) {}
  // Once the power is off the file is left open: destroying it would close
  // it, and RocksDB's POSIX file trims its preallocated tail on close by
  // setting the size it wrote — after the loss, growing the file again.
  ~TrackedFile() override {
    Operation op(fs_);
    if (!op.status().ok()) {
      (void)file_.release();
      return;
    }
    file_.reset();
  }

  IOStatus Append(const Slice& data, const IOOptions& options, IODebugContext* dbg) override {
    return Appended(data.size(), [&] { return target()->Append(data, options, dbg); });
  }
  IOStatus Append(const Slice& data, const IOOptions& options, const rocksdb::DataVerificationInfo& info,
                  IODebugContext* dbg) override {
    return Appended(data.size(), [&] { return target()->Append(data, options, info, dbg); });
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            IODebugContext* dbg) override {
    return Appended(
        data.size(), [&] { return target()->PositionedAppend(data, offset, options, dbg); }, offset);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            const rocksdb::DataVerificationInfo& info, IODebugContext* dbg) override {
    return Appended(
        data.size(), [&] { return target()->PositionedAppend(data, offset, options, info, dbg); }, offset);
  }
  IOStatus Truncate(uint64_t size, const IOOptions& options, IODebugContext* dbg) override {
    Operation op(fs_);
    if (!op.status().ok()) return op.status();
    IOStatus s = target()->Truncate(size, options, dbg);
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(fs_->mu_);
      state_->size = size;
      state_->durable = std::min(state_->durable, size);
    }
    return s;
  }
  // Closing makes nothing durable.
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    Operation op(fs_);
    if (!op.status().ok()) return op.status();
    return target()->Close(options, dbg);
  }
  IOStatus Flush(const IOOptions& options, IODebugContext* dbg) override {
    Operation op(fs_);
    if (!op.status().ok()) return op.status();
    return target()->Flush(options, dbg);
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    return Synced([&] { return target()->Sync(options, dbg); });
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return Synced([&] { return target()->Fsync(options, dbg); });
  }
  // sync_file_range(2) writes pages out but promises nothing about the
  // file's size or metadata: nothing counts as durable.
  IOStatus RangeSync(uint64_t offset, uint64_t bytes, const IOOptions& options, IODebugContext* dbg) override {
    Operation op(fs_);
    if (!op.status().ok()) return op.status();
    return target()->RangeSync(offset, bytes, options, dbg);
  }
  IOStatus Allocate(uint64_t offset, uint64_t length, const IOOptions& options, IODebugContext* dbg) override {
    Operation op(fs_);
    if (!op.status().ok()) return op.status();
    return target()->Allocate(offset, length, options, dbg);
  }

 private:
  template <typename Write>
  IOStatus Appended(size_t length, Write write, std::optional<uint64_t> offset = std::nullopt) {
    bool power_off = false;
    IOStatus s;
    {
      Operation op(fs_);
      if (!op.status().ok()) return op.status();
      s = write();
      if (s.ok()) {
        std::lock_guard<std::mutex> lock(fs_->mu_);
        state_->size = offset.has_value() ? std::max(state_->size, *offset + length) : state_->size + length;
      }
      power_off = fs_->CountAppend();
    }
    if (power_off) fs_->PowerOff();
    return s;
  }
  template <typename SyncCall>
  IOStatus Synced(SyncCall sync) {
    uint64_t size = 0;
    return fs_->SyncAndRecord(
        [&] {
          {
            // What was written before the sync started is what it makes durable.
            std::lock_guard<std::mutex> lock(fs_->mu_);
            size = state_->size;
          }
          return sync();
        },
        [&] { return fs_->Synced(state_, size); });
  }

  std::unique_ptr<rocksdb::FSWritableFile> file_;
  PowerLossFileSystem* fs_;
  std::shared_ptr<FileState> state_;
};

// A directory whose fsync makes the names created and renamed in it durable.
class PowerLossFileSystem::TrackedDirectory : public rocksdb::FSDirectoryWrapper {
 public:
  TrackedDirectory(PowerLossFileSystem* fs, std::unique_ptr<rocksdb::FSDirectory> directory, std::string name)
      : FSDirectoryWrapper(std::move(directory)), fs_(fs), name_(std::move(name)) {}

  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return fs_->SyncAndRecord([&] { return FSDirectoryWrapper::Fsync(options, dbg); },
                              [&] { return fs_->DirectorySynced(name_); });
  }
  IOStatus FsyncWithDirOptions(const IOOptions& options, IODebugContext* dbg,
                               const rocksdb::DirFsyncOptions& dir_options) override {
    return fs_->SyncAndRecord([&] { return FSDirectoryWrapper::FsyncWithDirOptions(options, dbg, dir_options); },
                              [&] { return fs_->DirectorySynced(name_); });
  }

 private:
  PowerLossFileSystem* fs_;
  std::string name_;
};

PowerLossFileSystem::PowerLossFileSystem(std::shared_ptr<rocksdb::FileSystem> base)
    : FileSystemWrapper(std::move(base)) {}

IOStatus PowerLossFileSystem::Track(const std::string& name, bool existed, uint64_t size,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result) {
  auto state = std::make_shared<FileState>();
  state->size = size;
  // What was there before this process wrote to it is on the disk already.
  state->durable = size;
  const std::string path = NormalPath(name);
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_[path] = state;
    if (!existed) created_.insert(path);
  }
  *result = std::make_unique<TrackedFile>(this, std::move(*result), std::move(state));
  return IOStatus::OK();
}

IOStatus PowerLossFileSystem::NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                              std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  const bool existed = target()->FileExists(name, options.io_options, dbg).ok();
  IOStatus s = target()->NewWritableFile(name, options, result, dbg);
  if (!s.ok()) return s;
  return Track(name, existed, 0, result);
}

IOStatus PowerLossFileSystem::ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                                 std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                 IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  const bool existed = target()->FileExists(name, options.io_options, dbg).ok();
  uint64_t size = 0;
  if (existed && !target()->GetFileSize(name, options.io_options, &size, dbg).ok()) size = 0;
  IOStatus s = target()->ReopenWritableFile(name, options, result, dbg);
  if (!s.ok()) return s;
  {
    // Already tracked: its state goes on (what it had synced stays so).
    std::lock_guard<std::mutex> lock(mu_);
    auto it = files_.find(NormalPath(name));
    if (it != files_.end()) {
      *result = std::make_unique<TrackedFile>(this, std::move(*result), it->second);
      return IOStatus::OK();
    }
  }
  return Track(name, existed, size, result);
}

IOStatus PowerLossFileSystem::ReuseWritableFile(const std::string&, const std::string&, const rocksdb::FileOptions&,
                                                std::unique_ptr<rocksdb::FSWritableFile>*, IODebugContext*) {
  return IOStatus::NotSupported("ReuseWritableFile (power-loss file system)");
}

IOStatus PowerLossFileSystem::NewRandomRWFile(const std::string&, const rocksdb::FileOptions&,
                                              std::unique_ptr<rocksdb::FSRandomRWFile>*, IODebugContext*) {
  return IOStatus::NotSupported("NewRandomRWFile (power-loss file system)");
}

IOStatus PowerLossFileSystem::LinkFile(const std::string&, const std::string&, const IOOptions&, IODebugContext*) {
  return IOStatus::NotSupported("LinkFile (power-loss file system)");
}

IOStatus PowerLossFileSystem::NewDirectory(const std::string& name, const IOOptions& options,
                                           std::unique_ptr<rocksdb::FSDirectory>* result, IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  IOStatus s = target()->NewDirectory(name, options, result, dbg);
  if (!s.ok()) return s;
  *result = std::make_unique<TrackedDirectory>(this, std::move(*result), NormalPath(name));
  return s;
}

IOStatus PowerLossFileSystem::DeleteFile(const std::string& name, const IOOptions& options, IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  IOStatus s = target()->DeleteFile(name, options, dbg);
  if (s.ok()) {
    const std::string path = NormalPath(name);
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(path);
    created_.erase(path);
  }
  return s;
}

IOStatus PowerLossFileSystem::RenameFile(const std::string& from, const std::string& to, const IOOptions& options,
                                         IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  const std::string source = NormalPath(from);
  const std::string destination = NormalPath(to);
  PendingRename rename{source, destination, std::nullopt};
  if (target()->FileExists(to, options, dbg).ok()) {
    // What a rename replaces comes back if the directory never syncs it
    // (only small files are renamed over: CURRENT, IDENTITY).
    std::string replaced;
    IOStatus read = rocksdb::ReadFileToString(target(), to, &replaced);
    if (!read.ok()) return read;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = files_.find(destination);
    if (it != files_.end() && it->second->durable < replaced.size()) replaced.resize(it->second->durable);
    rename.replaced = std::move(replaced);
  }
  IOStatus s = target()->RenameFile(from, to, options, dbg);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  files_.erase(destination);
  if (auto it = files_.find(source); it != files_.end()) {
    files_[destination] = it->second;
    files_.erase(it);
  }
  renames_.push_back(std::move(rename));
  return s;
}

IOStatus PowerLossFileSystem::Truncate(const std::string& name, size_t size, const IOOptions& options,
                                       IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  IOStatus s = target()->Truncate(name, size, options, dbg);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = files_.find(NormalPath(name)); it != files_.end()) {
      it->second->size = size;
      it->second->durable = std::min<uint64_t>(it->second->durable, size);
    }
  }
  return s;
}

IOStatus PowerLossFileSystem::CreateDir(const std::string& name, const IOOptions& options, IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  return target()->CreateDir(name, options, dbg);
}

IOStatus PowerLossFileSystem::CreateDirIfMissing(const std::string& name, const IOOptions& options,
                                                 IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  return target()->CreateDirIfMissing(name, options, dbg);
}

IOStatus PowerLossFileSystem::DeleteDir(const std::string& name, const IOOptions& options, IODebugContext* dbg) {
  Operation op(this);
  if (!op.status().ok()) return op.status();
  return target()->DeleteDir(name, options, dbg);
}

bool PowerLossFileSystem::CountAppend() {
  const uint64_t n = ++appends_;
  return power_off_after_appends_ > 0 && n == power_off_after_appends_;
}

template <typename SyncCall, typename Record>
IOStatus PowerLossFileSystem::SyncAndRecord(SyncCall sync, Record record) {
  bool cut_now = false;
  IOStatus s;
  {
    Operation op(this);
    if (!op.status().ok()) return op.status();
    s = sync();
    // The sync PowerOffAtNextSync() waited for: the power goes while it
    // runs, so it completes nothing.
    if (off_at_next_sync_.exchange(false)) {
      off_ = true;
      cut_now = true;
    }
    // A sync the power cut short made nothing durable, and says so.
    if (s.ok() && !record()) s = PowerIsOff();
  }
  if (cut_now) PowerOff();
  return s;
}

bool PowerLossFileSystem::Synced(const std::shared_ptr<FileState>& state, uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  if (off_.load()) return false;
  state->durable = std::max(state->durable, std::min(size, state->size));
  return true;
}

bool PowerLossFileSystem::DirectorySynced(const std::string& directory) {
  std::lock_guard<std::mutex> lock(mu_);
  if (off_.load()) return false;
  for (auto it = created_.begin(); it != created_.end();) {
    it = DirectoryOf(*it) == directory ? created_.erase(it) : std::next(it);
  }
  renames_.erase(std::remove_if(renames_.begin(), renames_.end(),
                                [&](const PendingRename& r) {
                                  return DirectoryOf(r.to) == directory && DirectoryOf(r.from) == directory;
                                }),
                 renames_.end());
  return true;
}

PowerLossFileSystem::Dropped PowerLossFileSystem::LoseUnsyncedData() {
  Dropped dropped;
  off_ = true;
  // Every operation in progress ends first (a sync among them made nothing
  // durable: its caller is told the power went); later ones fail at once.
  std::unique_lock<std::shared_mutex> power(power_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  const IOOptions options;
  auto complain = [](const std::string& what, const IOStatus& s) {
    if (!s.ok()) std::cerr << "power loss: " << what << ": " << s.ToString() << "\n";
  };
  // 1. Each file keeps what was synced (under its current name).
  for (const auto& [path, state] : files_) {
    if (state->size > state->durable && target()->FileExists(path, options, nullptr).ok()) {
      dropped.bytes += state->size - state->durable;
      ++dropped.files_truncated;
      // (RocksDB 7.8's POSIX file system has no Truncate.)
      if (::truncate(path.c_str(), static_cast<off_t>(state->durable)) != 0) {
        complain("truncate " + path, IOStatus::IOError(std::strerror(errno)));
      }
    }
  }
  // 2. Renames the directory never synced are undone, last first, and what
  //    they replaced comes back.
  for (auto it = renames_.rbegin(); it != renames_.rend(); ++it) {
    if (target()->FileExists(it->to, options, nullptr).ok()) {
      complain("rename " + it->to + " back to " + it->from, target()->RenameFile(it->to, it->from, options, nullptr));
      ++dropped.renames_undone;
    }
    if (it->replaced.has_value()) {
      complain("restore " + it->to, rocksdb::WriteStringToFile(target(), *it->replaced, it->to, /*should_sync=*/true));
    }
  }
  // 3. Files whose creation the directory never synced are gone.
  for (const std::string& path : created_) {
    if (target()->FileExists(path, options, nullptr).ok()) {
      complain("remove " + path, target()->DeleteFile(path, options, nullptr));
      ++dropped.files_removed;
    }
  }
  files_.clear();
  created_.clear();
  renames_.clear();
  return dropped;
}

void PowerLossFileSystem::PowerOff() {
  const Dropped dropped = LoseUnsyncedData();
  std::cerr << "power loss: dropped " << dropped.bytes << " unsynced bytes of " << dropped.files_truncated
            << " files, undid " << dropped.renames_undone << " renames, removed " << dropped.files_removed
            << " files\n";
  std::cerr.flush();
  _exit(kPowerLossExitCode);
}

}  // namespace yusuan::power_loss
