#!/usr/bin/env bash
# ctest deploy.k8s: renders every overlay of deploy/k8s with `kubectl
# kustomize`, runs yamllint over the sources, and checks the rendered
# objects (check_k8s.py). Skipped (exit 77) only where a tool is missing.
# Usage: check-k8s.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
k8s="$source_dir/deploy/k8s"
for tool in kubectl yamllint python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "deploy.k8s: SKIPPED: $tool is not installed (deploy/local/install-deps.sh installs it)"
    exit 77
  fi
done
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "deploy.k8s: SKIPPED: python3-yaml is not installed (deploy/local/install-deps.sh installs it)"
  exit 77
fi
yamllint -c "$k8s/.yamllint" "$k8s"
rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
for overlay in "$k8s"/overlays/*/; do
  echo "deploy.k8s: $(basename "$overlay")"
  kubectl kustomize "$overlay" >"$rendered"
  python3 "$source_dir/tests/deploy/check_k8s.py" "$rendered" "$k8s/README.md"
done
