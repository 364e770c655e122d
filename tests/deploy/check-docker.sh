#!/usr/bin/env bash
# ctest deploy.docker: the runtime stage of deploy/docker/Dockerfile installs
# the Debian package of every shared library the shipped binaries link
# (besides those every Debian system has: priority required or important),
# and the CJK font the PDFs need. Without a Docker daemon the image cannot
# be built here; this keeps its package list true to the binaries.
# Usage: check-docker.sh SOURCE_DIR BIN_DIR
set -euo pipefail
source_dir=$1
bin_dir=$2
dockerfile="$source_dir/deploy/docker/Dockerfile"

listed=$(sed -n '/# runtime-packages-begin/,/# runtime-packages-end/p' "$dockerfile" |
  tr ' \\' '\n\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' |
  grep -vxE 'run|apt-get|update|install|rm|debian_frontend=noninteractive' || true)
failed=0
in_list() { grep -qxF "$1" <<<"$listed"; }
for needed in fonts-noto-cjk ca-certificates; do
  if ! in_list "$needed"; then
    echo "deploy.docker: $needed is not installed by the runtime stage (the PDFs and TLS need it)"
    failed=1
  fi
done

declare -A package_cache
package=""
package_of() {  # sets $package: a library's Debian package, trying both sides of /usr
  local path=$1 alt
  if [ -z "${package_cache[$path]+set}" ]; then
    alt=$( [[ $path == /usr/* ]] && echo "${path#/usr}" || echo "/usr$path")
    package_cache[$path]=$({ dpkg -S "$path" 2>/dev/null || dpkg -S "$alt" 2>/dev/null; } | head -n1 | cut -d: -f1)
  fi
  package=${package_cache[$path]}
}

for binary in yusuan-ledger yusuan-goals yusuan-report yusuan-gateway yusuan-probe yusuan; do
  if ! grep -q "/build/bin/$binary\b" "$dockerfile"; then
    echo "deploy.docker: the image does not copy $binary"
    failed=1
  fi
  [ -x "$bin_dir/$binary" ] || { echo "deploy.docker: $bin_dir/$binary is not built"; exit 1; }
  declare -A resolved=()
  while read -r library _ path _; do
    resolved[$library]=$path
  done < <(ldd "$bin_dir/$binary" | grep '=>')
  while read -r library; do
    path=${resolved[$library]:-}
    if [ -z "$path" ] || [ "$path" = "not" ]; then
      echo "deploy.docker: $binary links $library, which this machine cannot resolve"
      failed=1
      continue
    fi
    package_of "$(readlink -f "$path")"
    [ -n "$package" ] || package_of "$path"
    if [ -z "$package" ]; then
      echo "deploy.docker: no Debian package owns $path ($library of $binary)"
      failed=1
      continue
    fi
    if in_list "$package"; then continue; fi
    priority=$(dpkg-query -W -f='${Priority}' "$package" 2>/dev/null || true)
    if [ "$priority" != required ] && [ "$priority" != important ]; then
      echo "deploy.docker: $binary links $library from $package (priority $priority), which the runtime stage" \
        "of deploy/docker/Dockerfile does not install; add $package to its list"
      failed=1
    fi
  done < <(readelf -d "$bin_dir/$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  unset resolved
done
[ "$failed" = 0 ] && echo "deploy.docker: the runtime stage installs every library the six binaries link"
exit "$failed"
