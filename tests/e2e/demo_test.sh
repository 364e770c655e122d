#!/usr/bin/env bash
# End to end through the scripts a person runs: deploy/local/demo.sh writes the
# disclosure (HTML, Markdown, XLSX, PDF and the open data); then, with the services up
# again, POST /v1/filings:apply and GET …/report?format=html must return the
# same page as the demo wrote.
# Ports are chosen free at random and data goes to a temporary directory, so
# the test never touches a developer's running services.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export YUSUAN_BUILD_DIR="${1:?usage: demo_test.sh BUILD_DIR}"
work="$(mktemp -d /tmp/yusuan-e2e-XXXXXX)"
# Other users may pass through (not list): as root, up.sh runs the backends
# as their own user, which must reach the data directory.
chmod 711 "$work"
export YUSUAN_DATA="$work/data" YUSUAN_OUT="$work/out" YUSUAN_SKIP_BUILD=1
trap '"$root/deploy/local/down.sh" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 20000))
    if port_is_free "$p"; then echo "$p"; return; fi
  done
}
export YUSUAN_GRPC_PORT=$(pick_port) YUSUAN_HTTP_PORT=$(pick_port) \
  YUSUAN_LEDGER_PORT=$(pick_port) YUSUAN_GOALS_PORT=$(pick_port) YUSUAN_REPORT_PORT=$(pick_port)

fail() { echo "FAIL: $*" >&2; exit 1; }

"$root/deploy/local/demo.sh"
html="$YUSUAN_OUT/qingshan-kexie-2021.html"
md="$YUSUAN_OUT/qingshan-kexie-2021.md"
[ -s "$html" ] || fail "demo wrote no HTML"
[ -s "$md" ] || fail "demo wrote no Markdown"
for file in "$html" "$md"; do
  for needle in 415.51 156.71 258.80 146.70 120.38 26.32 10.01 37.72% 62.28% 238.00 20.80 \
                "增加 8.29 万元，增长 2.04%" \
                "开展青山区“全国科普日”“科技活动周”主题科普活动及日常科普（应急科普）活动" \
                "组织开展 5.30 科技工作者日系列活动" "开展线上线下服务“科技创新”活动" \
                "成立企事业科协组织" "提升基层科协干部工作能力，举办科协干部培训" \
                "开展线上线下科普报告会、学术活动" "加强科普阵地建设，建立区科普基地" \
                "组织实施科普助推行动计划，助推星级社区"; do
    grep -qF -- "$needle" "$file" || fail "$(basename "$file") lacks '$needle'"
  done
  if grep -qF 206.19 "$file"; then fail "$(basename "$file") contains 206.19"; fi
done

# The workbook: a zip with one sheet per table and the amounts as numbers.
xlsx="$YUSUAN_OUT/qingshan-kexie-2021.xlsx"
[ -s "$xlsx" ] || fail "demo wrote no XLSX"
unzip -l "$xlsx" >"$work/xlsx.list" 2>&1 || fail "the XLSX is not a zip: $(head -3 "$work/xlsx.list")"
grep -q "xl/worksheets/sheet10.xml" "$work/xlsx.list" || fail "the XLSX lacks sheet 10"
unzip -p "$xlsx" xl/workbook.xml >"$work/workbook.xml"
unzip -p "$xlsx" xl/worksheets/sheet1.xml >"$work/sheet1.xml"
[ "$(grep -o '<sheet name=' "$work/workbook.xml" | wc -l)" = 10 ] ||
  fail "the XLSX does not have ten sheets"
grep -qF '<v>415.51</v>' "$work/sheet1.xml" || fail "the XLSX's 表1 lacks the number 415.51"

# The PDF: real text, so pdftotext gives the figures back.
pdf="$YUSUAN_OUT/qingshan-kexie-2021.pdf"
[ -s "$pdf" ] || fail "demo wrote no PDF"
pdftotext -layout "$pdf" "$work/pdf.txt" || fail "pdftotext cannot read the PDF"
for needle in 415.51 156.71 258.80 146.70 120.38 26.32 10.01 37.72% 62.28% 238.00 20.80; do
  grep -qF -- "$needle" "$work/pdf.txt" || fail "the PDF lacks '$needle'"
done
if grep -qF 206.19 "$work/pdf.txt"; then fail "the PDF contains 206.19"; fi

# Open data: datapackage.json names the CSV and the JSON by their SHA-256,
# and every cell of the JSON's tables is the sum of the ledger lines it names.
od="$YUSUAN_OUT/open-data"
[ -s "$od/datapackage.json" ] || fail "demo wrote no datapackage.json"
for i in 0 1; do
  path=$(jq -r ".resources[$i].path" "$od/datapackage.json")
  hash=$(jq -r ".resources[$i].hash" "$od/datapackage.json")
  [ -s "$od/$path" ] || fail "datapackage.json names '$path', which the demo did not write"
  [ "sha256:$(sha256sum "$od/$path" | cut -d' ' -f1)" = "$hash" ] ||
    fail "'$path' does not have the SHA-256 datapackage.json gives"
done
json="$od/$(jq -r '.resources[1].path' "$od/datapackage.json")"
jq -e '.currency == "CNY" and (.tables | length) == 8' "$json" >/dev/null || fail "the JSON lacks its tables"
traced=$(jq '[.tables[] | (.rows + (.right_rows // []))[] | .cells[] | select(.lines)] | length' "$json")
[ "$traced" -gt 50 ] || fail "only $traced table cells of the JSON name their lines"
wrong=$(jq '(.lines | map({(.id): .amount_fen}) | add) as $amount
  | [.tables[] | (.rows + (.right_rows // []))[] | .cells[] | select(.lines)
     | select(([.lines[] | $amount[.]] | add) != .fen)] | length' "$json")
[ "$wrong" = 0 ] || fail "$wrong table cells of the JSON are not the sum of the lines they name"
jq -e '[.explanation[].figures[] | select(.field == "fiscal_total_fen")][0]
       | .display == "415.51" and (.lines | length) > 0' "$json" >/dev/null ||
  fail "the JSON's narrative does not trace 415.51 to its lines"
national="$YUSUAN_OUT/qingshan-kexie-2021-national-143.html"
grep -qF "表1 区科协2021年部门收支总体情况表" "$national" || fail "the 143号 HTML does not start with 部门收支总体情况表"
grep -qF "收支预算总计415.51万元" "$national" || fail "the 143号 HTML lacks its own wording"

# The HTML in a real browser (Debian's chromium, headless): it draws the
# Chinese text and the three charts, and logs no console error. A page that
# drew nothing compresses to about the size of an empty page's screenshot.
html="$YUSUAN_OUT/qingshan-kexie-2021.html"
browse() {
  timeout 120 chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
    --user-data-dir="$work/chromium-profile" "$@"
}
printf '<!DOCTYPE html><html lang="zh-CN"><body></body></html>' >"$work/blank.html"
browse --window-size=1000,2400 --screenshot="$work/blank.png" "file://$work/blank.html" 2>/dev/null ||
  fail "chromium cannot take a screenshot"
browse --window-size=1000,2400 --screenshot="$work/page.png" "file://$html" 2>/dev/null ||
  fail "chromium cannot take a screenshot of the disclosure"
page_bytes=$(stat -c %s "$work/page.png")
blank_bytes=$(stat -c %s "$work/blank.png")
[ "$page_bytes" -gt $((blank_bytes * 5)) ] ||
  fail "the screenshot looks blank ($page_bytes bytes against $blank_bytes for an empty page)"
browse --enable-logging=stderr --v=0 --dump-dom "file://$html" >"$work/dom.html" 2>"$work/console.log" ||
  fail "chromium cannot load the disclosure"
[ "$(grep -o '<svg' "$work/dom.html" | wc -l)" = 3 ] || fail "the browser's DOM lacks the three charts"
grep -qF '近三年收支情况' "$work/dom.html" || fail "the browser's DOM lacks the chart titles"
if grep -E 'CONSOLE|Uncaught' "$work/console.log"; then fail "the page logged console messages"; fi

# Running it twice works (the data directory already holds the filing).
"$root/deploy/local/demo.sh" >/dev/null

"$root/deploy/local/up.sh" >"$work/up.log" 2>&1 || fail "up.sh: $(tail -5 "$work/up.log")"
base="http://127.0.0.1:$YUSUAN_HTTP_PORT"

# No backend can read the signing key: as root, up.sh starts them as a user
# other than the key's owner, with the key's file private to that owner.
# (Where the build or data directory is closed to other users, up.sh says
# so and runs them as root; then there is nothing to check here.)
key="$YUSUAN_DATA/keys/token-signing.key"
if [ "$(id -u)" = 0 ] && ! grep -q "WARNING: user yusuan-backend cannot enter" "$work/up.log"; then
  [ "$(stat -c %a "$key")" = 600 ] || fail "the signing key has mode $(stat -c %a "$key")"
  for service in ledger goals report gateway; do
    pid=$(cat "$YUSUAN_DATA/run/$service.pid")
    uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
    gid=$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")
    [ "$uid" != 0 ] || fail "$service runs as root"
    if [ "$service" = gateway ]; then
      [ "$uid" = "$(stat -c %u "$key")" ] || fail "the gateway does not own the signing key"
      setpriv --reuid="$uid" --regid="$gid" --clear-groups cat "$key" >/dev/null 2>&1 ||
        fail "the gateway's user cannot read the signing key"
    else
      [ "$uid" != "$(stat -c %u "$key")" ] || fail "$service runs as the signing key's owner"
      if setpriv --reuid="$uid" --regid="$gid" --init-groups cat "$key" >/dev/null 2>&1; then
        fail "$service's user can read the signing key"
      fi
      setpriv --reuid="$uid" --regid="$gid" --init-groups cat "$YUSUAN_DATA/secrets/internal.secret" >/dev/null ||
        fail "$service's user cannot read the internal secret"
    fi
  done
elif [ "$(id -u)" = 0 ]; then
  echo "note: up.sh could not separate the users here: $(grep WARNING "$work/up.log")" >&2
fi
mint() {  # role → a token for the district, valid ten minutes
  "$YUSUAN_BUILD_DIR/bin/yusuan" admin token create --role "$1" --scope regions/420107 --ttl 10m \
    --subject e2e --key "$YUSUAN_DATA/keys/token-signing.key" 2>/dev/null
}
preparer=$(mint preparer) reviewer=$(mint reviewer)
# Without a token the filing is refused (401, a token is needed), and so is a
# forged one; the published disclosure needs none (checked after publishing).
code=$(curl -s -o "$work/anonymous.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data-binary @"$root/data/samples/qingshan-kexie-2021.json" "$base/v1/filings:apply")
[ "$code" = 401 ] || fail "an anonymous POST /v1/filings:apply answered $code"
grep -q TOKEN_REQUIRED "$work/anonymous.json" || fail "the 401 does not say a token is required"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${preparer}x" \
  "$base/v1/regions/420107/departments/005001022/budgets/2021")
[ "$code" = 401 ] || fail "a forged token answered $code"
code=$(curl -s -o "$work/apply.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $preparer" \
  --data-binary @"$root/data/samples/qingshan-kexie-2021.json" "$base/v1/filings:apply")
[ "$code" = 200 ] || fail "POST /v1/filings:apply answered $code: $(head -c 400 "$work/apply.json")"
code=$(curl -s -o "$work/rest.html" -w '%{http_code}' -H "Authorization: Bearer $preparer" \
  "$base/v1/regions/420107/departments/005001022/budgets/2021/report?format=html")
[ "$code" = 200 ] || fail "GET report answered $code"
cmp -s "$work/rest.html" "$html" || fail "REST report differs from the demo's"

# A filing one 分 out of balance: refused by the CLI's validate (exit 1) and
# by REST, naming the rule, the field and the 1 分 difference.
jq '.budget.expenditureLines[0].amountFen |= ((tonumber + 1) | tostring)' \
  "$root/data/samples/qingshan-kexie-2021.json" >"$work/unbalanced.json"
if $YUSUAN_BUILD_DIR/bin/yusuan --gateway "127.0.0.1:$YUSUAN_GRPC_PORT" --token "$preparer" validate \
    -f "$work/unbalanced.json" >"$work/validate.txt" 2>&1; then
  fail "yusuan validate accepted an unbalanced filing"
fi
grep -q "R-T1-4" "$work/validate.txt" || fail "validate did not name R-T1-4: $(head -5 "$work/validate.txt")"
grep -q -- "-0.01 元" "$work/validate.txt" || fail "validate did not show the 1 分 difference"
curl -s -X POST -H "Authorization: Bearer $preparer" --data-binary @"$work/unbalanced.json" \
  "$base/v1/filings:validate" >"$work/validate.json"
[ "$(jq -r '[.findings[] | select(.ruleId == "R-T1-4")][0].difference' "$work/validate.json")" = "-0.01 元" ] ||
  fail "REST validate lacks the R-T1-4 difference: $(head -c 400 "$work/validate.json")"

# The workflow through the CLI: submit, approve, publish, and the history.
cli="$YUSUAN_BUILD_DIR/bin/yusuan --gateway 127.0.0.1:$YUSUAN_GRPC_PORT"
budget=regions/420107/departments/005001022/budgets/2021
$cli --token "$reviewer" approve "$budget" >"$work/cli.txt" 2>&1 && fail "approving a draft was accepted"
grep -q "DRAFT\|草稿" "$work/cli.txt" || fail "approving a draft was not refused for its state: $(cat "$work/cli.txt")"
$cli --token "$preparer" submit "$budget" >"$work/cli.txt" 2>&1 || fail "yusuan submit: $(cat "$work/cli.txt")"
# The reviewer's page, in the browser: it reads the token from the URL's
# fragment and lists the submission it fetched with it.
browse --virtual-time-budget=15000 --enable-logging=stderr --v=0 --dump-dom \
  "$base/review?region=420107#token=$reviewer" >"$work/review.html" 2>"$work/review.log" ||
  fail "chromium cannot load the review page"
grep -qF "$budget" "$work/review.html" || fail "the review page does not list the submission: $(grep -o 'id="state"[^<]*<' "$work/review.html")"
grep -qF "武汉市青山区科学技术协会" "$work/review.html" || fail "the review page lacks the department's name"
# A preparer may not approve: the matrix says so, by role.
$cli --token "$preparer" approve "$budget" >"$work/cli.txt" 2>&1 && fail "a preparer approved"
grep -q "ROLE_NOT_ALLOWED\|PERMISSION_DENIED\|无权" "$work/cli.txt" || fail "a preparer's approve was not refused by role: $(cat "$work/cli.txt")"
for step in approve publish; do
  $cli --token "$reviewer" "$step" "$budget" >"$work/cli.txt" 2>&1 || fail "yusuan $step: $(cat "$work/cli.txt")"
done
grep -q "已公开" "$work/cli.txt" || fail "publish did not report 已公开: $(cat "$work/cli.txt")"
$cli --token "$reviewer" history "$budget" >"$work/history.txt" 2>&1 || fail "yusuan history failed"
# The published disclosure is public: no token needed.
code=$(curl -s -o "$work/published.json" -w '%{http_code}' "$base/v1/$budget/published")
[ "$code" = 200 ] || fail "anonymous GET …/published answered $code: $(head -c 300 "$work/published.json")"
[ "$(grep -c "已公开" "$work/history.txt")" -ge 1 ] || fail "history lacks the publication: $(cat "$work/history.txt")"

# The public pages in the browser: search the index, follow the department,
# download its PDF and check the file is the archived one.
browse --enable-logging=stderr --v=0 --dump-dom "$base/?region=4201&year=2021&q=%E7%A7%91%E5%8D%8F" \
  >"$work/index.html" 2>"$work/index.log" || fail "chromium cannot load the public index"
department_path=$(grep -o 'class="department" href="[^"]*"' "$work/index.html" | head -1 | sed 's/.*href="//; s/"$//')
[ "$department_path" = "/disclosures/$budget" ] || fail "the index does not link the department: '$department_path'"
browse --enable-logging=stderr --v=0 --dump-dom "$base$department_path" >"$work/department.html" \
  2>"$work/department.log" || fail "chromium cannot load the department page"
pdf_path=$(grep -o 'data-format="pdf" href="[^"]*"' "$work/department.html" | head -1 | sed 's/.*href="//; s/"$//; s/&amp;/\&/g')
[ -n "$pdf_path" ] || fail "the department page has no PDF download"
shown_sha=$(grep -o '<code class="sha256" data-format="pdf">[0-9a-f]*' "$work/department.html" | sed 's/.*>//')
curl -s -o "$work/downloaded.pdf" "$base$pdf_path"
downloaded_sha=$(sha256sum "$work/downloaded.pdf" | cut -d' ' -f1)
archived_sha=$(jq -r '.artifacts[] | select(.format == "FORMAT_PDF") | .sha256Hex' "$work/published.json")
[ "$downloaded_sha" = "$archived_sha" ] || fail "the downloaded PDF ($downloaded_sha) is not the archived one ($archived_sha)"
[ "$shown_sha" = "$archived_sha" ] || fail "the page shows SHA-256 $shown_sha, the archive $archived_sha"
grep -qF '<iframe' "$work/department.html" || fail "the department page does not show the disclosure"
# /metrics: the count of a request moves by exactly the requests made.
count_rules() {
  curl -s "$base/metrics" | awk '/^yusuan_gateway_requests_total\{face="rest",method="GET \/v1\/rules",code="200"\}/ {print $2}'
}
before=$(count_rules)
for _ in 1 2 3; do curl -s -o /dev/null "$base/v1/rules"; done
after=$(count_rules)
[ "$(( ${after:-0} - ${before:-0} ))" = 3 ] || fail "/metrics counted $(( ${after:-0} - ${before:-0} )) GET /v1/rules, not 3"
for log in "$work/index.log" "$work/department.log" "$work/review.log"; do
  if grep -E 'CONSOLE|Uncaught' "$log"; then fail "a page logged console messages ($(basename "$log"))"; fi
done
"$root/deploy/local/down.sh" >/dev/null
echo "demo e2e: 1 passed"
