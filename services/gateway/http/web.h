// The gateway's web pages, rendered on the server as plain HTML (no script
// except on the reviewer's page, which needs the reviewer's token):
//   /                   the public index of published disclosures, searchable
//                       by region, year and department name;
//   /disclosures/{budget name}[?version=N]
//                       a department's published disclosure: the HTML itself,
//                       the downloads (PDF, XLSX, JSON, CSV, …) with their
//                       SHA-256, and every published version;
//   /review[?region=R]  the budgets awaiting review under a region, read with
//                       the reviewer's token (kept in the page, never sent in
//                       a URL: give it as #token=… or paste it).
// Every page goes through the orchestrator, so it sees exactly what the API
// lets the caller see (the public pages call it anonymously).
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_WEB_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_WEB_H_

#include <httplib.h>

#include <string>

#include "absl/status/status.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {

class WebPages {
 public:
  explicit WebPages(Orchestrator* orchestrator) : orchestrator_(orchestrator) {}

  // Whether `path` is one of the pages (so REST routing does not apply).
  static bool IsPage(const std::string& path);

  // Answers a GET of a page; other methods are 405.
  void Serve(const httplib::Request& request, httplib::Response& response) const;

  // An error page for a request refused before it reached a page.
  static void Refuse(httplib::Response& response, const absl::Status& status);

 private:
  void Index(const httplib::Request& request, httplib::Response& response) const;
  void Disclosure(const httplib::Request& request, httplib::Response& response) const;
  void Review(const httplib::Request& request, httplib::Response& response) const;

  Orchestrator* orchestrator_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_WEB_H_
