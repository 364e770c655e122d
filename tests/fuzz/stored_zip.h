// A ZIP of stored members with correct checksums, built from the bytes a
// fuzzer mutates: a ZIP's CRCs stand in front of an XLSX's XML, so mutating
// the ZIP itself never reaches the sheet readers (README.md).
#ifndef YUSUAN_TESTS_FUZZ_STORED_ZIP_H_
#define YUSUAN_TESTS_FUZZ_STORED_ZIP_H_

#include <zlib.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace yusuan::fuzz {

inline void PutLittleEndian(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// A ZIP of stored (uncompressed) members with correct checksums.
inline std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string zip;
  std::string directory;
  for (const auto& [name, content] : members) {
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size())));
    const uint32_t offset = static_cast<uint32_t>(zip.size());
    PutLittleEndian(zip, 0x04034b50, 4);  // local file header
    PutLittleEndian(zip, 20, 2);          // version needed
    PutLittleEndian(zip, 0, 2);           // flags
    PutLittleEndian(zip, 0, 2);           // stored
    PutLittleEndian(zip, 0, 4);           // time, date
    PutLittleEndian(zip, crc, 4);
    PutLittleEndian(zip, static_cast<uint32_t>(content.size()), 4);
    PutLittleEndian(zip, static_cast<uint32_t>(content.size()), 4);
    PutLittleEndian(zip, static_cast<uint32_t>(name.size()), 2);
    PutLittleEndian(zip, 0, 2);  // extra
    zip += name;
    zip += content;

    PutLittleEndian(directory, 0x02014b50, 4);  // central directory header
    PutLittleEndian(directory, 20, 2);          // made by
    PutLittleEndian(directory, 20, 2);          // version needed
    PutLittleEndian(directory, 0, 2);
    PutLittleEndian(directory, 0, 2);
    PutLittleEndian(directory, 0, 4);
    PutLittleEndian(directory, crc, 4);
    PutLittleEndian(directory, static_cast<uint32_t>(content.size()), 4);
    PutLittleEndian(directory, static_cast<uint32_t>(content.size()), 4);
    PutLittleEndian(directory, static_cast<uint32_t>(name.size()), 2);
    PutLittleEndian(directory, 0, 2);  // extra
    PutLittleEndian(directory, 0, 2);  // comment
    PutLittleEndian(directory, 0, 2);  // disk
    PutLittleEndian(directory, 0, 2);  // internal attributes
    PutLittleEndian(directory, 0, 4);  // external attributes
    PutLittleEndian(directory, offset, 4);
    directory += name;
  }
  const uint32_t directory_offset = static_cast<uint32_t>(zip.size());
  zip += directory;
  PutLittleEndian(zip, 0x06054b50, 4);  // end of central directory
  PutLittleEndian(zip, 0, 2);
  PutLittleEndian(zip, 0, 2);
  PutLittleEndian(zip, static_cast<uint32_t>(members.size()), 2);
  PutLittleEndian(zip, static_cast<uint32_t>(members.size()), 2);
  PutLittleEndian(zip, static_cast<uint32_t>(directory.size()), 4);
  PutLittleEndian(zip, directory_offset, 4);
  PutLittleEndian(zip, 0, 2);
  return zip;
}

}  // namespace yusuan::fuzz

#endif  // YUSUAN_TESTS_FUZZ_STORED_ZIP_H_
