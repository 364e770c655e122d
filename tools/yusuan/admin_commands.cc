// admin key create, admin token create: the signing key file and the bearer
// tokens it signs, without a gateway. `admin catalogue …` talks to the
// gateway and is catalogue_command.cc's.
#include <cstdint>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/utf8.h"
#include "services/security/internal_secret.h"
#include "services/security/scope.h"
#include "services/security/signing_key.h"
#include "services/security/token.h"
#include "tools/yusuan/catalogue_command.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"

namespace yusuan::cli {
namespace {

namespace security = yusuan::security;

// A token that outlives a budget year is a key in a drawer: ask for a new one.
constexpr int64_t kMaxTokenTtlSeconds = 366 * 86400;

// "90s", "30m", "12h", "7d" → seconds; nullopt for anything else, zero, or
// more than kMaxTokenTtlSeconds.
std::optional<int64_t> ParseDuration(const std::string& text) {
  if (text.size() < 2 || text.size() > 10) return std::nullopt;
  int64_t unit_seconds = 0;
  switch (text.back()) {
    case 's':
      unit_seconds = 1;
      break;
    case 'm':
      unit_seconds = 60;
      break;
    case 'h':
      unit_seconds = 3600;
      break;
    case 'd':
      unit_seconds = 86400;
      break;
    default:
      return std::nullopt;
  }
  int64_t count = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    count = count * 10 + (text[i] - '0');  // at most 9 digits: no overflow
  }
  const int64_t seconds = count * unit_seconds;
  if (seconds <= 0 || seconds > kMaxTokenTtlSeconds) return std::nullopt;
  return seconds;
}

// --key, else $YUSUAN_DATA/keys/token-signing.key; nullopt after saying why.
std::optional<std::string> SigningKeyPath(const Args& args) {
  if (!args.key.empty()) return args.key;
  auto path = security::DefaultSigningKeyPath();
  if (!path.ok()) {
    std::cerr << "yusuan: " << path.status().message() << "\n";
    return std::nullopt;
  }
  return *path;
}

int AdminKeyCreate(const Args& args) {
  const std::optional<std::string> path = SigningKeyPath(args);
  if (!path.has_value()) return kFailed;
  bool created = false;
  auto key = security::LoadOrCreateSigningKey(*path, &created);
  if (!key.ok()) {
    std::cerr << "yusuan: " << key.status().message() << "\n";
    return kFailed;
  }
  if (created) {
    std::cout << "已创建签名密钥 / created the signing key " << *path << " (密钥编号 key id " << key->key_id() << ")\n";
  } else {
    std::cout << "签名密钥已存在，未改动 / found the signing key " << *path << ", left as it is (密钥编号 key id "
              << key->key_id() << ")\n";
  }
  return kOk;
}

// The secret the backends recognise the gateway by (not the signing key):
// created once, mode 0640 so a gateway and backends of one group read it.
int AdminSecretCreate(const Args& args) {
  const absl::StatusOr<std::string> path = yusuan::security::InternalSecretPath(args.file);
  if (!path.ok()) {
    std::cerr << "yusuan: " << path.status().message() << "\n";
    return kFailed;
  }
  bool created = false;
  auto secret = yusuan::security::LoadOrCreateInternalSecret(*path, &created);
  if (!secret.ok()) {
    std::cerr << "yusuan: " << secret.status().message() << "\n";
    return kFailed;
  }
  if (created) {
    std::cout << "已创建内部密钥 / created the internal secret " << *path << "\n";
  } else {
    std::cout << "内部密钥已存在，未改动 / found the internal secret " << *path << ", left as it is\n";
  }
  return kOk;
}

int AdminTokenCreate(const Args& args) {
  if (args.role.empty() || args.scope.empty() || args.ttl.empty()) {
    return Usage("admin token create 需要 --role、--scope 和 --ttl / needs --role, --scope and --ttl");
  }
  const std::optional<security::Role> role = security::ParseRole(args.role);
  if (!role.has_value()) {
    return Usage(absl::StrCat("未知角色 / unknown role \"", args.role, "\": preparer, reviewer, integrator or admin"));
  }
  if (absl::Status scope = security::ValidateScope(args.scope); !scope.ok()) {
    return Usage(std::string(scope.message()));
  }
  const std::optional<int64_t> ttl_seconds = ParseDuration(args.ttl);
  if (!ttl_seconds.has_value()) {
    return Usage(absl::StrCat("有效期无效 / invalid --ttl \"", args.ttl,
                              "\": a positive number and a unit s, m, h or d (30m, 12h, 7d), "
                              "at most 366d"));
  }
  const std::string subject = args.subject.empty() ? "cli" : args.subject;
  if (!IsValidUtf8(subject)) return Usage("--subject 不是有效的 UTF-8 / --subject is not UTF-8");

  const std::optional<std::string> path = SigningKeyPath(args);
  if (!path.has_value()) return kFailed;
  auto key = security::LoadSigningKey(*path);
  if (!key.ok()) {
    std::cerr << "yusuan: " << key.status().message() << "\n";
    return kFailed;
  }
  security::TokenClaims claims;
  claims.subject = subject;
  claims.role = *role;
  claims.scope = args.scope;
  claims.issued_at_unix_seconds = static_cast<int64_t>(std::time(nullptr));
  claims.expires_at_unix_seconds = claims.issued_at_unix_seconds + *ttl_seconds;
  const std::string token = security::MintToken(claims, *key);
  if (token.empty()) {
    std::cerr << "yusuan: 无法签发令牌 / could not sign the token (OpenSSL failed)\n";
    return kFailed;
  }
  // The token alone on stdout, so TOKEN=$(yusuan admin token create …) works.
  std::cout << token << "\n";
  std::cerr << "令牌 token: 角色 role " << security::RoleName(*role) << " · 范围 scope " << args.scope
            << " · 主体 subject " << subject << " · 到期 expires "
            << security::FormatUnixSecondsUtc(claims.expires_at_unix_seconds) << " (UTC) · 密钥 key id "
            << key->key_id() << "\n";
  return kOk;
}

}  // namespace

int Admin(const Args& args) {
  const std::vector<std::string>& words = args.positional;
  // Only the catalogue import needs the gateway (and a CA file that works).
  if (!words.empty() && words[0] == "catalogue") return RunWithGateway(args, RunCatalogueAdminCommand);
  if (words.size() == 2 && words[0] == "key" && words[1] == "create") return AdminKeyCreate(args);
  if (words.size() == 2 && words[0] == "secret" && words[1] == "create") return AdminSecretCreate(args);
  if (words.size() == 2 && words[0] == "token" && words[1] == "create") return AdminTokenCreate(args);
  if (words.size() == 1 && words[0] == "backup") return AdminBackup(args);
  if (words.size() == 1 && words[0] == "restore") return AdminRestore(args);
  return Usage(
      "admin 的子命令为 key create、secret create、token create、backup 或 restore / admin takes key create, "
      "secret create, token create, backup or restore");
}

}  // namespace yusuan::cli
