// The gateway's orchestration of the backends (ledger, goals, report):
// multi-service steps (apply, validate, render) and the pass-through
// methods of the public API. Transport-free: both the gRPC and the REST
// faces call it from worker threads, and it blocks on the backends.
#ifndef YUSUAN_SERVICES_GATEWAY_ORCHESTRATOR_H_
#define YUSUAN_SERVICES_GATEWAY_ORCHESTRATOR_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "services/common/mutex.h"
#include "services/common/paging.h"
#include "services/common/resource_names.h"
#include "services/gateway/auth/access.h"
#include "services/gateway/ledger_read_cache.h"
#include "services/gateway/shard_router.h"
#include "yusuan/gateway/v1/gateway.pb.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"
#include "yusuan/report/v1/report.grpc.pb.h"

namespace yusuan::gateway {

// How one public call reaches the backends.
struct CallOptions {
  // The caller's own deadline; backend calls end at the earlier of it and
  // now + backend_timeout.
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  // The incoming gRPC call, when there is one: backend calls become its
  // children, so they are cancelled with it and inherit its deadline.
  const grpc::CallbackServerContext* parent = nullptr;
  // Who is calling (the verified bearer token; nullopt: no token). Every
  // public method checks it against the permission matrix when the
  // orchestrator has an access policy.
  std::optional<security::TokenClaims> caller;
};

class Orchestrator {
 public:
  struct Options {
    std::string ledger_address;
    std::string goals_address;
    std::string report_address;
    std::chrono::milliseconds backend_timeout{30000};
    // TLS to the backends (tls_config.h: --backend_ca_file, client
    // certificate for mutual TLS); nullptr: insecure channels.
    std::shared_ptr<grpc::ChannelCredentials> backend_credentials;
    // The name the backends' certificates must carry when it is not the
    // host of their addresses ("" = that host).
    std::string backend_tls_server_name;
    // Budgets kept in memory, per ledger, to answer GetBudget (README §
    // Read cache); 0 turns the cache off.
    size_t read_cache_bytes = size_t{32} << 20;
  };

  // Channels to the three backends: insecure by default (they listen on the
  // private network of one shard), TLS with options.backend_credentials.
  static std::unique_ptr<Orchestrator> Connect(const Options& options);
  // Channel arguments for backends and clients: large trailers (a refusal
  // carries every finding in grpc-status-details-bin) and large artifacts.

  Orchestrator(const Options& options, std::shared_ptr<grpc::Channel> ledger, std::shared_ptr<grpc::Channel> goals,
               std::shared_ptr<grpc::Channel> report);
  // Routed by a shard map: each request to the shard of its region.
  Orchestrator(const Options& options, std::shared_ptr<ShardRouter> router);
  // The channels for a map's shards, as Connect makes them.
  static ShardRouter::ChannelFactory BackendChannels(const Options& options);
  // Where requests go.
  ShardRouter& router() { return *router_; }
  // Routes every later request by `next`, unless it would strand data: a
  // region prefix it gives to another shard while the shard that serves it
  // now still holds departments under it (FAILED_PRECONDITION naming the
  // prefix, both shards, a department, and the fix: move the region first,
  // deploy/README.md § Moving a region). A shard that cannot be asked
  // refuses the map too (UNAVAILABLE naming it).
  // A frozen prefix (ShardMap::FrozenPrefix) may go, data and all, to a
  // shard restored from a backup of its shard taken after the freeze: the
  // copy's change log is the original's, and has every change of the
  // region the original has (FAILED_PRECONDITION saying which is missing
  // otherwise).
  absl::Status InstallShardMap(ShardMap next, const CallOptions& call = {});

  // Validates the filing (names, ledger rules, goal rules, cross rules) and,
  // when no FATAL is found, stores department, budget and goals with request
  // ids derived from request.request_id (a retry is idempotent). Any FATAL:
  // INVALID_ARGUMENT from RejectedByRules and nothing is stored.
  absl::StatusOr<yusuan::gateway::v1::ApplyFilingResponse> ApplyFiling(
      const yusuan::gateway::v1::ApplyFilingRequest& request, const CallOptions& call = {});
  // One filing of an ImportFilings stream, at position `index` of the import
  // `import_request_id`: UNCHANGED when it equals what is stored (server-set
  // fields aside; nothing validated or written), else applied as ApplyFiling
  // applies it with the request id "{import_request_id}/{index}" (APPLIED),
  // or REFUSED with the status ApplyFiling would answer in `error` and the
  // findings in `validation`. Never an error of its own: a refusal of one
  // filing is its answer, and the import goes on (import_filings.cc).
  yusuan::gateway::v1::ImportFilingsResponse ImportFiling(const yusuan::gateway::v1::Filing& filing, int64_t index,
                                                          const std::string& import_request_id,
                                                          const CallOptions& call = {});
  // One page of ExportFilings: up to `page_size` departments of the region
  // after `after_cursor` (export_filings.cc), each with a budget of the
  // year given as a filing without server-set fields, and the cursor after
  // it. `resume_cursor` is where the next page starts (past departments
  // without a budget of the year too); empty when there is none.
  struct ExportPage {
    std::vector<yusuan::gateway::v1::ExportFilingsResponse> filings;
    std::string resume_cursor;
  };
  // Checks the request (the parent a region, the year, the cursor one of
  // this region's, the caller's scope) before the first page.
  absl::Status CheckExport(const yusuan::gateway::v1::ExportFilingsRequest& request, const CallOptions& call) const;
  // ExportFilings with `published`: the filing of the budget's latest
  // published version and that version's files into `exported`; false when
  // the budget does not exist or was never published.
  absl::StatusOr<bool> PublishedFiling(const BudgetName& name, yusuan::gateway::v1::ExportFilingsResponse& exported,
                                       const CallOptions& call);
  // ExportFilings with EXPORT_FORMAT_CSV: the budget's open-data rows
  // into `exported` (its current revision's CSV, or with `published` the
  // latest published CSV file); false when there is no such budget or
  // publication.
  absl::StatusOr<bool> BudgetAsOpenData(const BudgetName& name, const yusuan::ledger::v1::Department& department,
                                        bool published, yusuan::gateway::v1::ExportFilingsResponse& exported,
                                        const CallOptions& call);
  absl::StatusOr<ExportPage> ExportFilingsPage(const yusuan::gateway::v1::ExportFilingsRequest& request,
                                               const std::string& after_cursor, int page_size, const CallOptions& call);
  // Whether the caller may call `method` at all, before any resource is
  // named: the caller's cell of the permission matrix (an import's filings
  // name their resources one by one, each authorized as it comes).
  absl::Status MayCall(const CallOptions& call, std::string_view method) const;
  // What starts an import, checked before its first filing: the request id
  // (empty, or 1–128 printable ASCII characters, as every write's) and a
  // first index that is not negative. INVALID_ARGUMENT naming the field.
  static absl::Status CheckImportStart(const std::string& request_id, int64_t first_index);
  // The merged report of the same validation; stores nothing.
  absl::StatusOr<yusuan::common::v1::ValidationReport> ValidateFiling(
      const yusuan::gateway::v1::ValidateFilingRequest& request, const CallOptions& call = {});
  // Loads a stored department, budget and goals and validates them together.
  absl::StatusOr<yusuan::common::v1::ValidationReport> ValidateBudget(
      const yusuan::gateway::v1::ValidateStoredBudgetRequest& request, const CallOptions& call = {});
  // One step of the filing workflow. SUBMIT first validates the stored
  // department, budget and goals as ValidateBudget does: any FATAL refuses
  // it (INVALID_ARGUMENT from RejectedByRules), absent goals refuse it with
  // FAILED_PRECONDITION, and the ledger records the goals revision that was
  // validated (and, unless the caller named one, checks that the budget
  // revision is still the validated one). PUBLISH is render → archive →
  // mark → confirm (README § Publishing): every format is rendered and
  // archived, invisible, before the ledger marks the budget published, then
  // made public; a render that fails leaves the budget APPROVED and answers
  // INVALID_ARGUMENT naming the field. Other steps go to the ledger as they
  // are, without a goals revision.
  absl::StatusOr<yusuan::ledger::v1::BudgetVersion> TransitionBudget(
      const yusuan::ledger::v1::TransitionBudgetRequest& request, const CallOptions& call = {});
  // A region's roll-up (the ledger's), authorized on regions/{prefix}; as a
  // file rendered by the report service.
  absl::StatusOr<yusuan::ledger::v1::Rollup> GetRollup(const yusuan::ledger::v1::GetRollupRequest& request,
                                                       const CallOptions& call = {});
  absl::StatusOr<yusuan::report::v1::Artifact> RenderRollup(const yusuan::gateway::v1::RenderRollupRequest& request,
                                                            const CallOptions& call = {});
  // What the render cache holds for a render request: the revision key of
  // the current revisions (none when a read failed) and the serialized
  // Artifact cached under it (none: not cached).
  struct RenderLookup {
    std::optional<std::string> revision_key;
    std::optional<grpc::ByteBuffer> cached;
  };
  // Loads everything the report needs (goals may be absent) and renders it,
  // unless the render cache has it by revision (`looked_up`: its answer,
  // when the caller asked it already, CachedRenderBytes).
  absl::StatusOr<yusuan::report::v1::Artifact> RenderReport(const yusuan::gateway::v1::RenderReportRequest& request,
                                                            const CallOptions& call = {},
                                                            std::optional<RenderLookup> looked_up = std::nullopt);

  // Every rule the public API runs: the ledger's, then the goals', then the
  // gateway's own (V-NAME, V-UTF8, X-GOALS-MISSING) unless a backend
  // already lists that id.
  // The version is the ledger's, or "ledger+goals" when both are set and differ.
  absl::StatusOr<yusuan::common::v1::RuleSet> ListRules(const yusuan::common::v1::ListRulesRequest& request,
                                                        const CallOptions& call = {});

  // What an asynchronous call runs when it ends, once: the answer or the
  // error, on gRPC's thread (or inline when refused before any backend call).
  template <typename Response>
  using Done = std::function<void(absl::StatusOr<Response>)>;
  // RenderReport's lookup, without a worker thread; the refusal when the
  // caller may not render the budget or the request is not one a render
  // takes. On a miss, RenderReport with the lookup renders.
  void CachedRenderBytes(const yusuan::gateway::v1::RenderReportRequest& request, const CallOptions& call,
                         Done<RenderLookup> done);

  // The pass-through calls below without a thread waiting for the backend:
  // each is checked (caller, request id, limits) inline, then forwarded with
  // gRPC's callback API. The public gRPC face answers these from its
  // reaction (grpc/grpc_service.cc); the blocking forms wait on them.
  void CreateDepartmentAsync(yusuan::ledger::v1::CreateDepartmentRequest request, const CallOptions& call,
                             Done<yusuan::ledger::v1::Department> done);
  void GetDepartmentAsync(yusuan::ledger::v1::GetDepartmentRequest request, const CallOptions& call,
                          Done<yusuan::ledger::v1::Department> done);
  void ListDepartmentsAsync(yusuan::ledger::v1::ListDepartmentsRequest request, const CallOptions& call,
                            Done<yusuan::ledger::v1::ListDepartmentsResponse> done);
  void PutBudgetAsync(yusuan::ledger::v1::PutBudgetRequest request, const CallOptions& call,
                      Done<yusuan::ledger::v1::Budget> done);
  void GetBudgetAsync(yusuan::ledger::v1::GetBudgetRequest request, const CallOptions& call,
                      Done<yusuan::ledger::v1::Budget> done);
  void ListBudgetVersionsAsync(yusuan::ledger::v1::ListBudgetVersionsRequest request, const CallOptions& call,
                               Done<yusuan::ledger::v1::ListBudgetVersionsResponse> done);
  void ListPublishedAsync(yusuan::report::v1::ListPublishedRequest request, const CallOptions& call,
                          Done<yusuan::report::v1::ListPublishedResponse> done);
  void ListSubmissionsAsync(yusuan::ledger::v1::ListSubmissionsRequest request, const CallOptions& call,
                            Done<yusuan::ledger::v1::ListSubmissionsResponse> done);
  void ListCataloguesAsync(yusuan::ledger::v1::ListCataloguesRequest request, const CallOptions& call,
                           Done<yusuan::ledger::v1::ListCataloguesResponse> done);
  void GetCatalogueAsync(yusuan::ledger::v1::GetCatalogueRequest request, const CallOptions& call,
                         Done<yusuan::ledger::v1::Catalogue> done);
  void GetCatalogueCodeAsync(yusuan::ledger::v1::GetCatalogueCodeRequest request, const CallOptions& call,
                             Done<yusuan::ledger::v1::CatalogueCodeDetail> done);
  void DiffCataloguesAsync(yusuan::ledger::v1::DiffCataloguesRequest request, const CallOptions& call,
                           Done<yusuan::ledger::v1::CatalogueDiff> done);
  void GetPublishedAsync(yusuan::report::v1::GetPublishedRequest request, const CallOptions& call,
                         Done<yusuan::report::v1::PublishedDisclosure> done);

  // The same, the request's own bytes forwarded and the backend's answer
  // returned as bytes (the public gRPC face: the message is the backend's,
  // so it is neither parsed nor serialized again here). `request` is `wire`
  // parsed, for the checks.
  void CreateDepartmentBytes(const yusuan::ledger::v1::CreateDepartmentRequest& request, const grpc::ByteBuffer& wire,
                             const CallOptions& call, Done<grpc::ByteBuffer> done);
  void GetDepartmentBytes(const yusuan::ledger::v1::GetDepartmentRequest& request, const grpc::ByteBuffer& wire,
                          const CallOptions& call, Done<grpc::ByteBuffer> done);
  void ListDepartmentsBytes(const yusuan::ledger::v1::ListDepartmentsRequest& request, const grpc::ByteBuffer& wire,
                            const CallOptions& call, Done<grpc::ByteBuffer> done);
  void PutBudgetBytes(const yusuan::ledger::v1::PutBudgetRequest& request, const grpc::ByteBuffer& wire,
                      const CallOptions& call, Done<grpc::ByteBuffer> done);
  void GetBudgetBytes(const yusuan::ledger::v1::GetBudgetRequest& request, const grpc::ByteBuffer& wire,
                      const CallOptions& call, Done<grpc::ByteBuffer> done);
  void ListBudgetVersionsBytes(const yusuan::ledger::v1::ListBudgetVersionsRequest& request,
                               const grpc::ByteBuffer& wire, const CallOptions& call, Done<grpc::ByteBuffer> done);
  void ListPublishedBytes(const yusuan::report::v1::ListPublishedRequest& request, const grpc::ByteBuffer& wire,
                          const CallOptions& call, Done<grpc::ByteBuffer> done);
  void ListSubmissionsBytes(const yusuan::ledger::v1::ListSubmissionsRequest& request, const grpc::ByteBuffer& wire,
                            const CallOptions& call, Done<grpc::ByteBuffer> done);
  void ListCataloguesBytes(const yusuan::ledger::v1::ListCataloguesRequest& request, const grpc::ByteBuffer& wire,
                           const CallOptions& call, Done<grpc::ByteBuffer> done);
  void GetCatalogueBytes(const yusuan::ledger::v1::GetCatalogueRequest& request, const grpc::ByteBuffer& wire,
                         const CallOptions& call, Done<grpc::ByteBuffer> done);
  void GetCatalogueCodeBytes(const yusuan::ledger::v1::GetCatalogueCodeRequest& request, const grpc::ByteBuffer& wire,
                             const CallOptions& call, Done<grpc::ByteBuffer> done);
  void DiffCataloguesBytes(const yusuan::ledger::v1::DiffCataloguesRequest& request, const grpc::ByteBuffer& wire,
                           const CallOptions& call, Done<grpc::ByteBuffer> done);
  void GetPublishedBytes(const yusuan::report::v1::GetPublishedRequest& request, const grpc::ByteBuffer& wire,
                         const CallOptions& call, Done<grpc::ByteBuffer> done);

  // Pass-through to the ledger and goals services.
  absl::StatusOr<yusuan::ledger::v1::Department> CreateDepartment(
      const yusuan::ledger::v1::CreateDepartmentRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::Department> GetDepartment(const yusuan::ledger::v1::GetDepartmentRequest& request,
                                                               const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::ListDepartmentsResponse> ListDepartments(
      const yusuan::ledger::v1::ListDepartmentsRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::Budget> PutBudget(const yusuan::ledger::v1::PutBudgetRequest& request,
                                                       const CallOptions& call = {});
  // The read caches' counts, summed over the ledgers (the gateway's /metrics).
  LedgerReadCache::Counts ReadCacheCounts();
  // GetBudget's answer as protobuf JSON (default print options: what the
  // REST face sends), kept beside the budget in the read cache so that the
  // reads after the first print nothing.
  absl::StatusOr<std::shared_ptr<const std::string>> GetBudgetJson(const yusuan::ledger::v1::GetBudgetRequest& request,
                                                                   const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::Budget> GetBudget(const yusuan::ledger::v1::GetBudgetRequest& request,
                                                       const CallOptions& call = {});
  // 表1–表8 of the stored budget: the consolidation or one unit's share.
  absl::StatusOr<yusuan::ledger::v1::BudgetTables> GetBudgetTables(
      const yusuan::gateway::v1::GetBudgetTablesRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::goals::v1::GoalSet> PutGoals(const yusuan::goals::v1::PutGoalsRequest& request,
                                                      const CallOptions& call = {});
  absl::StatusOr<yusuan::goals::v1::GoalSet> GetGoals(const yusuan::goals::v1::GetGoalsRequest& request,
                                                      const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::ListBudgetVersionsResponse> ListBudgetVersions(
      const yusuan::ledger::v1::ListBudgetVersionsRequest& request, const CallOptions& call = {});
  // The stored revisions of a budget, and what changed between two of them.
  // The name is checked here (INVALID_ARGUMENT without a backend call); so is
  // DiffBudgetRevisions' from_revision (>= 1) and to_revision (>= 0, 0 being
  // the current revision). Backend errors (NOT_FOUND for a missing revision)
  // pass through as the other ledger calls' do.
  absl::StatusOr<yusuan::ledger::v1::ListBudgetRevisionsResponse> ListBudgetRevisions(
      const yusuan::ledger::v1::ListBudgetRevisionsRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::RevisionDiff> DiffBudgetRevisions(
      const yusuan::ledger::v1::DiffBudgetRevisionsRequest& request, const CallOptions& call = {});
  // The archived disclosure of a published version (0: the latest), and which
  // published file some bytes are (official = false when none).
  absl::StatusOr<yusuan::report::v1::PublishedDisclosure> GetPublished(
      const yusuan::report::v1::GetPublishedRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::report::v1::VerifyArtifactResponse> VerifyArtifact(
      const yusuan::report::v1::VerifyArtifactRequest& request, const CallOptions& call = {});
  // Published disclosures without their bytes (the public index), and the
  // budgets in a workflow state under a region (the reviewer's queue).
  absl::StatusOr<yusuan::report::v1::ListPublishedResponse> ListPublished(
      const yusuan::report::v1::ListPublishedRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::ListSubmissionsResponse> ListSubmissions(
      const yusuan::ledger::v1::ListSubmissionsRequest& request, const CallOptions& call = {});
  // The same for goal sets (names …/budgets/{y}/goals); the changes are the
  // goal set's fields that differ.
  absl::StatusOr<yusuan::goals::v1::ListGoalsRevisionsResponse> ListGoalsRevisions(
      const yusuan::goals::v1::ListGoalsRevisionsRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::goals::v1::GoalsDiff> DiffGoalsRevisions(
      const yusuan::goals::v1::DiffGoalsRevisionsRequest& request, const CallOptions& call = {});

  // Classification catalogues, from the ledger. Reading is public;
  // ImportCatalogue is the admin's, on the resource "regions/" (catalogues
  // are national: only a nationwide admin replaces one), and records the
  // caller's subject as imported_by.
  absl::StatusOr<yusuan::ledger::v1::ListCataloguesResponse> ListCatalogues(
      const yusuan::ledger::v1::ListCataloguesRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::Catalogue> GetCatalogue(const yusuan::ledger::v1::GetCatalogueRequest& request,
                                                             const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::CatalogueCodeDetail> GetCatalogueCode(
      const yusuan::ledger::v1::GetCatalogueCodeRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::CatalogueDiff> DiffCatalogues(
      const yusuan::ledger::v1::DiffCataloguesRequest& request, const CallOptions& call = {});
  absl::StatusOr<yusuan::ledger::v1::CatalogueEdition> ImportCatalogue(
      const yusuan::ledger::v1::ImportCatalogueRequest& request, const CallOptions& call = {});

  // The change feed (README § Change feed). Where a feed is: the region
  // prefix it watches and the position in the ledger's change log, which a
  // cursor carries with the log's identity.
  struct ChangeFeedPosition {
    std::string region_prefix;
    // "" until the first read of a feed that started without a cursor.
    std::string log_id;
    uint64_t sequence = 0;
    // The shard's ledger address, once read under a shard map (ChangeCursor).
    std::string shard_ledger;
  };
  // A feed over the logs of every shard covering its prefix: one position
  // per shard, in the map's order (one, without shards). Its cursor is a
  // ChangeCursor with one position per log.
  struct ChangeFeed {
    std::string region_prefix;
    std::vector<ChangeFeedPosition> logs;
    bool SamePlace(const ChangeFeed& other) const;
  };
  // What one read of the logs gave: each change with the feed's cursor
  // after it (the other logs where they were), and where the next read
  // starts.
  struct FeedPage {
    std::vector<yusuan::gateway::v1::WatchChangesResponse> changes;
    ChangeFeed next;
  };
  // What one read of the log gave: each change with the cursor after it,
  // and where the next read starts (past the last change when records of
  // other regions followed it).
  struct ChangePage {
    std::vector<yusuan::gateway::v1::WatchChangesResponse> changes;
    ChangeFeedPosition next;
  };
  // Authorizes WatchChanges on request.parent (regions/{prefix}) and reads
  // its cursor: INVALID_ARGUMENT (reason CURSOR_INVALID) for one that is
  // not a cursor.
  // A cursor of another number of logs than shards now cover the prefix
  // is refused (FAILED_PRECONDITION, CURSOR_SHARDS_CHANGED).
  absl::StatusOr<ChangeFeed> StartChangeFeed(const yusuan::gateway::v1::WatchChangesRequest& request,
                                             const CallOptions& call) const;
  // The changes after `from` in every log, waiting up to `wait` (at most
  // 10 s) for one: each log is read at once; when none has a change, all
  // wait together and the first change ends the others' wait.
  // FAILED_PRECONDITION when a log's position cannot be served: another
  // data directory's (CURSOR_OTHER_LOG), ahead of the log (CURSOR_AHEAD: a
  // restored backup), older than retention keeps (CURSOR_EXPIRED, naming
  // the oldest cursor there is); UNAVAILABLE naming a shard not reached.
  absl::StatusOr<FeedPage> ReadFeed(const ChangeFeed& from, std::chrono::milliseconds wait, const CallOptions& call);
  void ReadFeedAsync(const ChangeFeed& from, std::chrono::milliseconds wait, const CallOptions& call,
                     std::function<void(absl::StatusOr<FeedPage>)> done);
  static std::string EncodeFeedCursor(const ChangeFeed& feed);
  // The opaque cursor of a position, and back.
  static std::string EncodeChangeCursor(const ChangeFeedPosition& position);
  static absl::StatusOr<ChangeFeedPosition> DecodeChangeCursor(const std::string& cursor);
  // A ReadChanges answer of the ledger as a page after `from` (or the refusal).
  static absl::StatusOr<ChangePage> ChangePageFrom(const ChangeFeedPosition& from,
                                                   const yusuan::ledger::v1::ReadChangesResponse& read);
  // The reads of every log as one page (a read cancelled by another's
  // change leaves its log where it was; any other failure fails the page).
  static absl::StatusOr<FeedPage> MergeFeedPages(const ChangeFeed& from,
                                                 std::vector<std::optional<absl::StatusOr<ChangePage>>> pages);

  // What RecoverPublications did with the staged archives it found.
  struct Recovery {
    int confirmed = 0;  // marked by the ledger, now public
    int marked = 0;     // marked now with the publisher's step, and public
    int abandoned = 0;  // can no longer be published under their version
    int left = 0;       // a backend did not answer: next time
  };
  // Finishes the publications a crash interrupted (the gateway runs it at
  // start and every few minutes; README § Publishing). Every archive the
  // report service holds staged is a publication in progress: confirmed
  // when the ledger marked its version published; marked with the step its
  // publisher asked for (request id, comment) and confirmed when the ledger
  // is still at the approved version before it; abandoned (it was never
  // public) when its version can no longer be published under it. An error
  // when the staged archives could not be listed.
  absl::StatusOr<Recovery> RecoverPublications(const CallOptions& call = {});

  // What RecoverFilings did with the staged goals revisions it found.
  struct FilingRecovery {
    int promoted = 0;   // pinned by the ledger: their filing was committed
    int abandoned = 0;  // never pinned: their filing was never committed
    int left = 0;       // a backend did not answer: next time
  };
  // Finishes or rolls back the filings (ApplyFiling, PutGoals) a crash
  // interrupted (README § Atomic filings): every goals revision staged
  // before now − `lease` is promoted when the ledger pinned it and abandoned
  // otherwise. The lease outlasts any filing still in flight (its calls end
  // at the backend timeout). An error when the staged revisions could not
  // be listed.
  absl::StatusOr<FilingRecovery> RecoverFilings(std::chrono::milliseconds lease, const CallOptions& call = {});

  // Testing only (--crash_after_publish_step, --crash_after_filing_step):
  // the step after which the process ends at once, leaving exactly what a
  // crash there leaves.
  enum class CrashPoint { kNone, kAfterArchive, kAfterMark, kAfterStage, kAfterCommit };
  void set_crash_point(CrashPoint point) { crash_point_ = point; }

  // From now on every public method authorizes CallOptions.caller with
  // `access` and every backend call carries its internal credential. The
  // gateway always sets one; an orchestrator without one (unit tests of the
  // orchestration) checks nothing.
  void set_access(const AccessPolicy* access) { access_ = access; }

 private:
  // GetRollup's work, authorized as `method`.
  absl::StatusOr<yusuan::ledger::v1::Rollup> ReadRollup(std::string_view method,
                                                        const yusuan::ledger::v1::GetRollupRequest& request,
                                                        const CallOptions& call);
  enum class Backend { kLedger, kGoals, kReport };

  // Runs ledger.ValidateBudget ∥ goals.ValidateGoals and the cross rules on
  // a filing whose names are filled, after `prior` findings. With
  // `record_stored_budget`, the filing is the stored one and the ledger
  // validates its stored budget by name, recording the validation that
  // SUBMIT requires.
  absl::StatusOr<yusuan::common::v1::ValidationReport> Validate(const yusuan::gateway::v1::Filing& filing,
                                                                std::vector<yusuan::common::v1::Finding> prior,
                                                                const CallOptions& call,
                                                                bool record_stored_budget = false);

  // What ValidateBudget found, and the stored revisions it validated.
  struct StoredValidation {
    yusuan::common::v1::ValidationReport report;
    bool goals_found = false;
    int64_t budget_revision = 0;
    int64_t goals_revision = 0;
  };
  // `record`: the ledger records the validation (ValidateBudget does; SUBMIT
  // does not, so that the ledger can refuse a budget whose last recorded
  // validation predates the current rule set).
  absl::StatusOr<StoredValidation> ValidateStored(const BudgetName& name, const CallOptions& call, bool record);

  // PUBLISH (step: the caller's request, authorized): render and archive
  // staged, mark, confirm.
  absl::StatusOr<yusuan::ledger::v1::BudgetVersion> Publish(const BudgetName& name,
                                                            yusuan::ledger::v1::TransitionBudgetRequest step,
                                                            const CallOptions& call);
  // Every step of the budget's history, oldest first.
  absl::StatusOr<std::vector<yusuan::ledger::v1::BudgetVersion>> ListAllVersions(const BudgetName& name,
                                                                                 const CallOptions& call);
  // RenderReport once the caller is allowed: the current revision drawn
  // in the requested format (the export's CSV uses it too).
  // `looked_up`: the render cache's answer for the request, when the caller
  // already asked (CachedRenderBytes); otherwise it is asked here.
  absl::StatusOr<yusuan::report::v1::Artifact> RenderCurrent(const yusuan::gateway::v1::RenderReportRequest& request,
                                                             const CallOptions& call,
                                                             std::optional<RenderLookup> looked_up = std::nullopt);
  // The render cache's lookup by the current revisions (LookUpRender never fails: a read that fails is a miss).
  void LookUpRender(const BudgetName& name, const yusuan::gateway::v1::RenderReportRequest& request,
                    const CallOptions& call, std::function<void(RenderLookup)> done);
  // The name of the budget a render request names, once its publish time is
  // one a render can print; and the format it asks for (HTML by default).
  static absl::StatusOr<BudgetName> ParseRenderRequest(const yusuan::gateway::v1::RenderReportRequest& request);
  static yusuan::report::v1::Format FormatOf(const yusuan::gateway::v1::RenderReportRequest& request);
  // A render's name by the revisions of what it is drawn from (ReportRevision,
  // the goals, the request): equal keys, equal renders. The render cache
  // answers by it (ReportService.GetCachedRender) before anything is read.
  static std::string RenderRevisionKey(const BudgetName& name, const yusuan::ledger::v1::ReportRevision& revision,
                                       const std::string& goals_revision,
                                       const yusuan::gateway::v1::RenderReportRequest& request,
                                       yusuan::report::v1::Format format);
  // How the goals of a render are named in its key: the pinned revision, the
  // current goals' etag, or "none" when none are filed; nullopt when the
  // goals could not be read.
  static std::optional<std::string> GoalsRevisionOf(const yusuan::ledger::v1::GoalsPin& pin,
                                                    const yusuan::goals::v1::GoalSet& current,
                                                    const absl::Status& goals_read);
  // The department as it is and the budget and goals revisions named: a
  // filing as it stood at a version of the workflow.
  absl::StatusOr<yusuan::report::v1::ReportInput> FilingAt(const BudgetName& name, int64_t ledger_revision,
                                                           int64_t goals_revision, const CallOptions& call);
  // What the report service renders for a publication: the department, the
  // budget and goals revisions named, their tables with the lines behind
  // every cell, and the publish time.
  absl::StatusOr<yusuan::report::v1::ReportInput> PublishInput(const BudgetName& name, int64_t ledger_revision,
                                                               int64_t goals_revision, int64_t publish_time_unix_ms,
                                                               const CallOptions& call);
  // The staged archive of `version`, if the report service holds one.
  absl::StatusOr<std::optional<yusuan::report::v1::StagedPublication>> FindStaged(const BudgetName& name,
                                                                                  int64_t version,
                                                                                  const CallOptions& call);
  // Makes the files of a version the ledger marked published public:
  // confirms its staged archive, or — none staged: a version published
  // before this order existed, or whose archive a refused caller dropped —
  // renders and archives them from what the version names (the same input,
  // so the same bytes) first.
  absl::Status FinishPublication(const BudgetName& name, const yusuan::ledger::v1::BudgetVersion& version,
                                 const CallOptions& call);
  absl::Status AbandonStaged(const BudgetName& name, int64_t version, const CallOptions& call);

  // The commit step of a two-phase write: CommitFiling (ApplyFiling) or
  // PinGoals (PutGoals) of the staged goals revision.
  using CommitStep =
      std::function<absl::StatusOr<yusuan::ledger::v1::GoalsPin>(int64_t goals_revision, const CallOptions& call)>;
  // Stages the goals (answered in `staged`, with the goals' findings),
  // commits, promotes; abandons the staged revision when the commit is
  // refused for good, and stages again when a concurrent filing superseded it.
  absl::StatusOr<yusuan::ledger::v1::GoalsPin> StageAndPin(const yusuan::goals::v1::PutGoalsRequest& request,
                                                           const CommitStep& commit,
                                                           yusuan::goals::v1::StageGoalsResponse* staged,
                                                           const CallOptions& call);
  absl::Status AbandonGoals(const std::string& name, int64_t revision, const CallOptions& call);
  // The goals a reader sees now: the revision the ledger pinned (GetGoalsPin
  // ∥ GetGoals, then the pinned revision when they differ).
  absl::StatusOr<yusuan::goals::v1::GoalSet> ReadCurrentGoals(const BudgetName& name, const CallOptions& call);
  // After GetGoalsPin ∥ GetGoals: replaces `goals` and `read` with the
  // pinned revision when the current one is not it.
  void ResolvePinnedGoals(const BudgetName& name, const yusuan::ledger::v1::GoalsPin& pin,
                          yusuan::goals::v1::GoalSet* goals, absl::Status* read, const CallOptions& call);
  // Errors after which a write may or may not have happened.
  static bool IsTransient(const absl::Status& status);
  void CrashAt(CrashPoint point) const;

  std::unique_ptr<grpc::ClientContext> NewContext(const CallOptions& call) const;
  // The access policy's answer for the caller (OK without a policy).
  absl::Status Allow(const CallOptions& call, std::string_view method, std::string_view resource) const;
  // What every filing passes before anything reads or validates it: the
  // caller may call `method` on each of its names (AllowFiling), and it is
  // within the limits (V-LIMIT). Names filled (FillFilingNames).
  absl::Status AdmitFiling(const CallOptions& call, std::string_view method,
                           const yusuan::gateway::v1::Filing& filing) const;
  // ApplyFiling after AdmitFiling: stores the filing whole (stage the
  // goals, commit, promote) with request ids derived from `request_id`.
  // The stage and the commit each run their service's rules and refuse a
  // FATAL, so the filing is validated once, where it is stored; only a
  // refusal runs every rule again (Validate), to name every finding.
  absl::StatusOr<yusuan::gateway::v1::ApplyFilingResponse> StoreFiling(
      const yusuan::gateway::v1::Filing& filing, std::vector<yusuan::common::v1::Finding> name_findings,
      const std::string& request_id, const CallOptions& call);
  // The stored department, budget and goals when all three equal `filing`'s
  // (server-set fields aside), nullopt when any differs or is missing.
  absl::StatusOr<std::optional<yusuan::gateway::v1::ApplyFilingResponse>> StoredIfSame(
      const yusuan::gateway::v1::Filing& filing, const CallOptions& call);
  // The same for every name a filing carries.
  absl::Status AllowFiling(const CallOptions& call, std::string_view method,
                           const yusuan::gateway::v1::Filing& filing) const;
  // The backend's error, unchanged, except that transport failures say
  // which backend could not be reached.
  // The shards a list of `prefix` asks (nullopt: a malformed parent, which
  // the first shard refuses); FAILED_PRECONDITION when no shard covers it.
  absl::Status CoverList(std::optional<std::string> prefix, std::vector<const ShardConnection*>* shards) const;
  absl::Status ListShards(const yusuan::ledger::v1::ListDepartmentsRequest& request,
                          std::vector<const ShardConnection*>* shards) const;
  absl::Status ListShards(const yusuan::ledger::v1::ListSubmissionsRequest& request,
                          std::vector<const ShardConnection*>* shards) const;
  absl::Status ListShards(const yusuan::report::v1::ListPublishedRequest& request,
                          std::vector<const ShardConnection*>* shards) const;
  // The resource a list is authorized on.
  static std::string ListResource(const yusuan::ledger::v1::ListDepartmentsRequest& request);
  static std::string ListResource(const yusuan::ledger::v1::ListSubmissionsRequest& request);
  static std::string ListResource(const yusuan::report::v1::ListPublishedRequest& request);
  // One call per shard at once (requests[i] to shards[i]); `all_done` gets
  // every answer, in order, when the last one is in.
  template <typename Request, typename Response, typename Start>
  void ForwardToEach(const std::vector<const ShardConnection*>& shards, Backend backend, std::vector<Request> requests,
                     const CallOptions& call, std::function<void(std::vector<absl::StatusOr<Response>>)> all_done,
                     Start start);
  // A region-wide list: admitted, then forwarded as it is to the one shard
  // covering its prefix, or fanned out and merged (FanOutList).
  template <typename Request, typename Response, typename Item, typename ItemsOf, typename KeyOf, typename Start>
  void ListOverShards(std::string_view method, Backend backend, PageSizes sizes, Request request,
                      const CallOptions& call, Done<Response> done, ItemsOf items_of, KeyOf key_of, Start start);
  // One page of a list merged from several shards (a MergedCursor token).
  template <typename Request, typename Response, typename Item, typename ItemsOf, typename KeyOf, typename Start>
  void FanOutList(const std::vector<const ShardConnection*>& shards, Backend backend, const Request& request,
                  int page_size, const CallOptions& call, Done<Response> done, ItemsOf items_of, KeyOf key_of,
                  Start start);
  // The shards a feed of `prefix` reads, in the map's order.
  absl::Status FeedShards(const std::string& prefix, std::vector<const ShardConnection*>* shards) const;
  // One read of each log of `from` (shards[i] holds logs[i]), each waiting
  // up to `wait`; the first change or failure cancels the others' wait.
  void ReadEveryLog(const ChangeFeed& from, const std::vector<const ShardConnection*>& shards,
                    std::chrono::milliseconds wait, const CallOptions& call,
                    std::function<void(absl::StatusOr<FeedPage>)> done);
  // One read of one shard's log; `context` is the caller's, so that it can
  // cancel the read.
  void ReadLogAsync(const ShardConnection* shard, grpc::ClientContext* context, const ChangeFeedPosition& from,
                    std::chrono::milliseconds wait, std::function<void(absl::StatusOr<ChangePage>)> done);
  // The recoveries of one shard; the public forms run them on every shard.
  absl::StatusOr<Recovery> RecoverPublicationsOn(const ShardConnection* shard, const CallOptions& call);
  absl::StatusOr<FilingRecovery> RecoverFilingsOn(const ShardConnection* shard, std::chrono::milliseconds lease,
                                                  const CallOptions& call);
  absl::Status MapError(const ShardConnection& shard, Backend backend, const grpc::Status& status) const;
  // The shard of a region, or of the region of a resource name. A region
  // code or name that is malformed goes to the first shard, whose service
  // refuses it as it always did, naming the field.
  absl::Status RouteRegion(std::string_view region, const ShardConnection** shard) const;
  // InstallShardMap's questions: a department `shard` holds under `prefix`
  // that `routing` gives it (nullopt: none), and whether `to` holds a copy
  // of every change of `prefix` that `from` holds.
  absl::StatusOr<std::optional<std::string>> FirstDepartmentServed(const ShardRouting& routing,
                                                                   const ShardConnection& shard,
                                                                   const std::string& prefix, const CallOptions& call);
  absl::Status CheckRegionCopied(const ShardConnection& from, const Shard& to, const std::string& prefix,
                                 const CallOptions& call);
  absl::Status RouteName(std::string_view name, const ShardConnection** shard) const;
  // The same for a call that writes: UNAVAILABLE (reason REGION_MOVING)
  // while the map freezes the region for a move.
  absl::Status RouteWrite(std::string_view region, const ShardConnection** shard) const;
  absl::Status RouteWriteName(std::string_view name, const ShardConnection** shard) const;
  // Any shard will do (stateless calls): the region's when it has one.
  const ShardConnection& StatelessShard(std::string_view region) const;
  // One backend call by gRPC's callback API: `start(context, request,
  // response, callback)` starts it; `done` gets the response or the mapped
  // error. The request is kept until the call ends.
  template <typename Request, typename Response, typename Start>
  void Forward(const ShardConnection* shard, Backend backend, Request request, const CallOptions& call,
               Done<Response> done, Start start);
  // The same with the request's bytes, to `method` ("/yusuan.ledger.v1.LedgerService/GetBudget").
  void ForwardBytes(const ShardConnection* shard, Backend backend, const char* method, const grpc::ByteBuffer& request,
                    const CallOptions& call, Done<grpc::ByteBuffer> done);
  // The checks of each pass-through (orchestrator.cc, YUSUAN_PASS_THROUGH).
  template <typename Request>
  absl::Status AdmitPassThrough(std::string_view method, std::string_view resource, const Request& request,
                                const CallOptions& call) const;
  absl::Status AdmitGetPublished(const yusuan::report::v1::GetPublishedRequest& request, const CallOptions& call) const;
  // A ledger read (a budget, a page of a list): the ledger's answer, and
  // where the read cache keeps it (cache nullptr: not kept) with its JSON
  // form if kept.
  struct CachedRead {
    grpc::ByteBuffer answer;
    LedgerReadCache* cache = nullptr;
    std::string key;
    uint64_t ticket = 0;
    std::shared_ptr<const std::string> json;
  };
  void ReadBudget(const yusuan::ledger::v1::GetBudgetRequest& request, const grpc::ByteBuffer& wire,
                  const CallOptions& call, Done<CachedRead> done);
  // `wire` to the ledger's `method`, or its answer kept under `key`; with a
  // `region_scope` the answer is a page of a list of that region prefix.
  void ReadThroughCache(const ShardConnection* shard, const char* method, std::optional<std::string> key,
                        std::optional<std::string> region_scope, const grpc::ByteBuffer& wire, const CallOptions& call,
                        Done<CachedRead> done);
  // A page of a list from the one shard serving every region it covers:
  // the ledger's lists through its read cache, the report's as asked.
  template <typename Request>
  void ReadListPage(const ShardConnection* shard, const Request& request, const grpc::ByteBuffer& wire,
                    const CallOptions& call, Done<grpc::ByteBuffer> done);
  // The read cache of `shard`'s ledger (made on first use); nullptr when the
  // cache is off. Every cache forgets what it kept when the routing changes.
  LedgerReadCache* ReadCacheOf(const ShardConnection* shard);

  Options options_;
  const AccessPolicy* access_ = nullptr;
  CrashPoint crash_point_ = CrashPoint::kNone;
  std::shared_ptr<ShardRouter> router_;
  Mutex read_caches_mu_;
  std::shared_ptr<const ShardRouting> read_caches_routing_ ABSL_GUARDED_BY(read_caches_mu_);
  absl::flat_hash_map<const ShardConnection*, std::unique_ptr<LedgerReadCache>> read_caches_
      ABSL_GUARDED_BY(read_caches_mu_);
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_ORCHESTRATOR_H_
