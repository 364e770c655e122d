#!/usr/bin/env bash
# Installs the Debian 12 packages Yusuan builds, runs and tests with.
# Idempotent: runs `apt-get update` and `apt-get install` only when a package
# is missing, so a machine that has everything installs nothing.
set -euo pipefail

packages=(
  # build and RPC
  cmake g++ make pkg-config ccache
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev
  libabsl-dev librocksdb-dev libgtest-dev libgmock-dev grpc-proto
  # the services' allocator (services/common/README.md § The allocator)
  libgoogle-perftools-dev
  # HTTP/JSON (the gateway's HTTP listener is Boost.Beast, header-only in
  # libboost-dev; zlib gzips its answers; cpp-httplib gives the request and
  # answer types and the test clients)
  libcpp-httplib-dev libboost-dev zlib1g-dev nlohmann-json3-dev libssl-dev
  # rendering: XLSX, PDF (cairo + pango) with a CJK font, Mustache for the
  # locality template sets
  libxlsxwriter-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk
  libkainjow-mustache-dev
  # reading imported XLSX catalogues: the ZIP container and its XML
  libminizip-dev libexpat1-dev
  # scripts and tests (unzip reads the XLSX back, pdftotext/pdfinfo the PDF,
  # chromium draws the HTML headless)
  jq curl procps unzip poppler-utils chromium
  # the TLS tests make a throwaway CA and certificates with the openssl command
  openssl
  # the layout check (tools/format/check-format.sh, ctest structure.format)
  clang-format
  # the fuzz targets (tests/fuzz): clang and its libFuzzer and sanitizer runtimes
  clang-14 libclang-rt-14-dev
  # the REST rows of bench/stack.sh (HTTP/1.1 keep-alive load)
  wrk
  # the deployment files' checks (tests/deploy): YAML lint and parsing of the
  # Kubernetes manifests, systemd-analyze for the units
  yamllint python3-yaml systemd
)
# kubectl renders the Kubernetes manifests (`kubectl kustomize`, ctest
# deploy.k8s): Debian's kubernetes-client, unless a kubectl is there already
# (another package may own /usr/bin/kubectl).
if ! command -v kubectl >/dev/null; then
  packages+=(kubernetes-client)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
