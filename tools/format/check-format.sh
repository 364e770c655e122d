#!/usr/bin/env bash
# Every C++ file the repository tracks is laid out as .clang-format says.
#
#   tools/format/check-format.sh [ROOT]         exit 1 naming every file that differs
#   tools/format/check-format.sh --fix [ROOT]   rewrite those files in place
#
# Uses clang-format 14 (Debian 12's clang-format, installed by
# deploy/local/install-deps.sh); another major version lays some constructs
# out differently, so the check refuses to judge with it.
set -euo pipefail
fix=0
if [ "${1:-}" = "--fix" ]; then fix=1; shift; fi
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"

formatter="$(command -v clang-format-14 || command -v clang-format || true)"
if [ -z "$formatter" ]; then
  echo "check-format: clang-format is not installed (deploy/local/install-deps.sh installs it)" >&2
  exit 2
fi
version="$("$formatter" --version | sed -nE 's/.*version ([0-9]+)\..*/\1/p')"
if [ "$version" != 14 ]; then
  echo "check-format: $formatter is version $version; the layout is defined by clang-format 14" >&2
  exit 2
fi

# Tracked files when this is a git checkout, else every source file (a
# source tarball); build directories are never sources.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h')
else
  mapfile -t files < <(find . -path './build*' -prune -o \( -name '*.cc' -o -name '*.h' \) -print | sed 's|^\./||' | sort)
fi

if [ "$fix" = 1 ]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$formatter" -i --style=file
  echo "check-format: formatted ${#files[@]} files"
  exit 0
fi

# One clang-format per batch of files: each differing file is named in a
# "FILE:LINE:COL: error: code should be clang-formatted" line.
mapfile -t differ < <(printf '%s\0' "${files[@]}" |
  xargs -0 -n 100 "$formatter" --style=file --dry-run --Werror 2>&1 |
  sed -nE 's/^([^:]+):[0-9]+:[0-9]+: error: code should be clang-formatted.*/\1/p' | sort -u)
if [ ${#differ[@]} -ne 0 ]; then
  echo "check-format: ${#differ[@]} of ${#files[@]} files differ from .clang-format:" >&2
  printf '  %s\n' "${differ[@]}" >&2
  echo "fix with: tools/format/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files as .clang-format lays them out"
