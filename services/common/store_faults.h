// How the store (store.h) meets a full, read-only or failing disk: the
// statuses it answers with, the check of the disk before it reopens its
// database, and the two hooks it installs in RocksDB (its info log and an
// error listener). Only store.cc and its tests include this header.
#ifndef YUSUAN_SERVICES_COMMON_STORE_FAULTS_H_
#define YUSUAN_SERVICES_COMMON_STORE_FAULTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "absl/status/status.h"
#include "rocksdb/env.h"
#include "rocksdb/listener.h"
#include "rocksdb/status.h"

namespace yusuan::store_faults {

// The ErrorInfo reasons of a write refused for a storage fault.
inline constexpr char kStorageFull[] = "STORAGE_FULL";
inline constexpr char kStorageReadOnly[] = "STORAGE_READ_ONLY";
inline constexpr char kStorageIoError[] = "STORAGE_IO_ERROR";

// What every write is answered with while `error` (of a write or of a
// background flush) keeps the database in `dir` from writing: UNAVAILABLE
// with one of the reasons above, naming the directory, the cause and that
// writes resume by themselves.
absl::Status WritesRefused(const rocksdb::Status& error, const std::string& dir);

// Why the database in `dir` cannot be opened (or `dir` created), for the
// operator reading the start-up log: the directory, the cause (no space,
// read-only) and the fix.
absl::Status OpenRefused(const rocksdb::Status& error, const std::string& dir);
absl::Status CreateRefused(const std::error_code& error, const std::string& dir);

// Whether the disk of `dir` is writable and has room to reopen the database
// there: opening replays the write-ahead logs into tables, so at least their
// size must be free, plus `margin` for the manifest, the options file and
// the new log.
bool RoomToReopen(const std::string& dir, uint64_t margin);

// RocksDB's info log, the file LOG in `dir` (the previous one kept as
// LOG.old), written with plain appends whose failures are ignored.
std::shared_ptr<rocksdb::Logger> NewDataDirLog(const std::string& dir);

// Turns off RocksDB's own recovery from background errors and calls
// `stops_writes` (on a RocksDB thread, which it must not block) with every
// background error after which the database refuses writes.
std::shared_ptr<rocksdb::EventListener> NewFaultListener(std::function<void(const rocksdb::Status&)> stops_writes);

}  // namespace yusuan::store_faults

#endif  // YUSUAN_SERVICES_COMMON_STORE_FAULTS_H_
