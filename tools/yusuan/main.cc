// yusuan: the command-line client of the gateway's public gRPC API. The
// commands and their usage are the table in dispatch.cc; tools/README.md
// says what each does. Exit codes: 0 ok, 1 refused or failed, 2 usage.
#include "tools/yusuan/dispatch.h"

int main(int argc, char** argv) { return yusuan::cli::Run(argc, argv); }
