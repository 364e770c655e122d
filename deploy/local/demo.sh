#!/usr/bin/env bash
# The main job, end to end on a fresh Debian 12 machine: install what is
# missing, build, start the services on embedded RocksDB, load the reference
# department through the public API, write its disclosure to out/ (HTML,
# Markdown, XLSX, PDF; the open data under out/open-data/: JSON with every
# number's source lines, CSV of the ledger lines, datapackage.json; the HTML
# again in the national 143号 template set), stop.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"

# YUSUAN_SKIP_BUILD=1: the caller (a test) has installed and built already.
if [ "${YUSUAN_SKIP_BUILD:-0}" != "1" ]; then
  "$here/install-deps.sh"
  "$here/build.sh"
fi

trap '"$here/down.sh" >/dev/null' EXIT
"$here/up.sh"

cli="$YUSUAN_BIN/yusuan"
gateway="127.0.0.1:$YUSUAN_GRPC_PORT"
budget="regions/420107/departments/005001022/budgets/2021"
out="${YUSUAN_OUT:-$YUSUAN_ROOT/out}"
mkdir -p "$out"

# The demo files and renders as the department's platform would: an
# integrator token for the district, valid for an hour.
YUSUAN_TOKEN="$("$cli" admin token create --role integrator --scope regions/420107 --ttl 1h \
  --subject demo --key "$YUSUAN_DATA/keys/token-signing.key" 2>/dev/null)"
export YUSUAN_TOKEN

echo "demo: applying data/samples/qingshan-kexie-2021.json through the gateway"
"$cli" --gateway "$gateway" apply -f "$YUSUAN_ROOT/data/samples/qingshan-kexie-2021.json" \
  --request-id "demo-qingshan-kexie-2021-$(date +%s)"
"$cli" --gateway "$gateway" render --format html -o "$out/qingshan-kexie-2021.html" "$budget"
"$cli" --gateway "$gateway" render --format md -o "$out/qingshan-kexie-2021.md" "$budget"
"$cli" --gateway "$gateway" render --format xlsx -o "$out/qingshan-kexie-2021.xlsx" "$budget"
"$cli" --gateway "$gateway" render --format pdf -o "$out/qingshan-kexie-2021.pdf" "$budget"
"$cli" --gateway "$gateway" render --format html --template national-2016-143 \
  -o "$out/qingshan-kexie-2021-national-143.html" "$budget"
# The open data keep their own file names: datapackage.json refers to them.
mkdir -p "$out/open-data"
for format in json csv datapackage; do
  (cd "$out/open-data" && "$cli" --gateway "$gateway" render --format "$format" "$budget")
done

echo
echo "demo: the disclosure of 区科协 2021 is in"
echo "  $out/qingshan-kexie-2021.html"
echo "  $out/qingshan-kexie-2021.md"
echo "  $out/qingshan-kexie-2021.xlsx"
echo "  $out/qingshan-kexie-2021.pdf"
echo "  $out/qingshan-kexie-2021-national-143.html (财预〔2016〕143号 order and wording)"
echo "  $out/open-data/ (JSON with sources, CSV, datapackage.json)"
