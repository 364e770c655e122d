// Writes the OpenAPI document the gateway serves (openapi.h) to the file
// named by the one argument, or to stdout without one.
#include <fstream>
#include <iostream>

#include "services/gateway/http/openapi.h"

int main(int argc, char** argv) {
  if (argc > 2) {
    std::cerr << "用法 / usage: " << argv[0] << " [OUT.json]\n";
    return 2;
  }
  absl::StatusOr<std::string_view> document = yusuan::gateway::OpenApiDocument();
  if (!document.ok()) {
    std::cerr << document.status().message() << "\n";
    return 1;
  }
  if (argc == 1) {
    std::cout << *document;
    return std::cout.good() ? 0 : 1;
  }
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << *document;
  out.close();
  if (!out) {
    std::cerr << "无法写入 " << argv[1] << " / cannot write " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
