// HttpLineReader (http_stream.h): a body cut into lines, whatever the pieces
// it arrives in, with a cap on one line that skips it and resynchronises.
#include "services/gateway/http/http_stream.h"

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace yusuan::gateway {
namespace {

// A body that arrives in the given pieces, then ends (or breaks off).
class PiecesStream : public HttpStream {
 public:
  PiecesStream(std::vector<std::string> pieces, absl::Status end = absl::OkStatus())
      : pieces_(pieces.begin(), pieces.end()), end_(std::move(end)) {}

  absl::StatusOr<std::string> ReadSome() override {
    if (pieces_.empty()) {
      if (!end_.ok()) return end_;
      return std::string();
    }
    std::string piece = std::move(pieces_.front());
    pieces_.pop_front();
    return piece;
  }
  absl::Status WriteHead(const httplib::Response&) override { return absl::OkStatus(); }
  absl::Status Write(std::string) override { return absl::OkStatus(); }
  bool stopping() override { return false; }
  size_t max_line_bytes() const override { return 10; }

 private:
  std::deque<std::string> pieces_;
  absl::Status end_;
};

// Each line as "N:text", "N:too long", "end" or "error".
std::vector<std::string> Read(std::vector<std::string> pieces, absl::Status end = absl::OkStatus()) {
  PiecesStream stream(std::move(pieces), std::move(end));
  HttpLineReader reader(&stream, stream.max_line_bytes());
  std::vector<std::string> seen;
  for (;;) {
    HttpLine line = reader.Next();
    switch (line.kind) {
      case HttpLine::Kind::kLine:
        seen.push_back(absl::StrCat(line.number, ":", line.text));
        break;
      case HttpLine::Kind::kTooLong:
        EXPECT_TRUE(absl::StrContains(line.error.message(), absl::StrCat("line ", line.number, " is longer than 10")))
            << line.error;
        seen.push_back(absl::StrCat(line.number, ":too long"));
        break;
      case HttpLine::Kind::kEnd:
        seen.push_back("end");
        EXPECT_EQ(reader.Next().kind, HttpLine::Kind::kEnd);
        return seen;
      case HttpLine::Kind::kError:
        seen.push_back("error");
        EXPECT_EQ(reader.Next().kind, HttpLine::Kind::kError);
        return seen;
    }
  }
}

using Lines = std::vector<std::string>;

TEST(HttpLineReader, LinesWhateverThePieces) {
  EXPECT_EQ(Read({"a\nbc\r\n", "d", "e\n\nf"}), (Lines{"1:a", "2:bc", "3:de", "4:", "5:f", "end"}));
  EXPECT_EQ(Read({"a", "\n", "b\n"}), (Lines{"1:a", "2:b", "end"}));
  EXPECT_EQ(Read({}), (Lines{"end"}));
}

TEST(HttpLineReader, ALineAtTheCapPassesOnePastItIsSkippedToTheNextNewline) {
  EXPECT_EQ(Read({"0123456789\n01234567890\nok\n"}), (Lines{"1:0123456789", "2:too long", "3:ok", "end"}));
  // Past the cap before its newline has arrived: skipped over many pieces.
  EXPECT_EQ(Read({"x\n0123456789ab", "cdefghijkl", "mnop", "qr\nok", "\n"}),
            (Lines{"1:x", "2:too long", "3:ok", "end"}));
  // The body ends inside the long line.
  EXPECT_EQ(Read({"x\n0123456789abc", "def"}), (Lines{"1:x", "2:too long", "end"}));
}

TEST(HttpLineReader, ABodyThatBreaksOffDropsItsPartialLine) {
  EXPECT_EQ(Read({"a\nb\npart"}, absl::UnavailableError("gone")), (Lines{"1:a", "2:b", "error"}));
  EXPECT_EQ(Read({"a\n0123456789abc"}, absl::UnavailableError("gone")), (Lines{"1:a", "2:too long", "error"}));
}

TEST(MemoryHttpStream, CollectsTheAnswer) {
  MemoryHttpStream stream("a\nb\n", 10);
  EXPECT_FALSE(stream.Write("early").ok());
  httplib::Response head;
  head.status = 200;
  head.set_header("Content-Type", "application/x-ndjson");
  ASSERT_TRUE(stream.WriteHead(head).ok());
  HttpLineReader reader(&stream, stream.max_line_bytes());
  for (HttpLine line = reader.Next(); line.kind == HttpLine::Kind::kLine; line = reader.Next()) {
    ASSERT_TRUE(stream.Write(line.text + "!\n").ok());
  }
  EXPECT_EQ(stream.answer().status, 200);
  EXPECT_EQ(stream.answer().get_header_value("Content-Type"), "application/x-ndjson");
  EXPECT_EQ(stream.answer().body, "a!\nb!\n");
}

}  // namespace
}  // namespace yusuan::gateway
