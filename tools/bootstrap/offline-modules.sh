#!/usr/bin/env bash
# Prepares what Debian's Bazel 7.7.1 needs to build this repository offline and writes
# WORKSPACE/.bazelrc.offline (machine-local, git-ignored, try-imported by .bazelrc):
#   - rules_go 0.60.0 and gazelle 0.38.0 sources from the Go module proxy (file modes restored,
#     gazelle's vendor/ rebuilt), unpacked under the user's cache directory;
#   - overrides for those, for Debian's rules_shell, and for the empty stub modules in
#     third_party/bazel-stubs;
#   - Go module fetching through the proxy, reusing the host's module cache.
# See docs/adr/0001-offline-bazel.md for why. Usage: offline-modules.sh WORKSPACE
set -euo pipefail

ws=${1:?usage: offline-modules.sh WORKSPACE}
RULES_GO_VERSION=0.60.0
GAZELLE_VERSION=0.38.0

log() { printf 'offline-modules: %s\n' "$*" >&2; }

cache=${XDG_CACHE_HOME:-$HOME/.cache}/pfsense-mcp/bazel-offline
rules_go_dir=$cache/rules_go-$RULES_GO_VERSION
gazelle_dir=$cache/gazelle-$GAZELLE_VERSION

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH=/usr/local/go/bin:$PATH
  else
    log "Go is not installed (rules_go uses the host Go SDK). Install Go 1.26 into /usr/local/go."
    exit 1
  fi
fi

# fetch_module MODULE@VERSION DEST: copies a Go module's source into DEST, restoring the
# executable bit that module zips drop on scripts.
fetch_module() {
  local mod=$1 dest=$2 src tmp
  log "fetching $mod from the Go module proxy"
  src=$(GOFLAGS=-mod=mod go mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ -z "$src" ] || [ ! -d "$src" ]; then
    log "go mod download $mod failed; check GOPROXY (the Go module proxy must be reachable)"
    exit 1
  fi
  tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
  cp -R "$src/." "$tmp/"
  chmod -R u+w "$tmp"
  # Module zips drop file modes: restore +x on every script.
  find "$tmp" -type f -print0 | while IFS= read -r -d '' f; do
    if [ "$(head -c 2 "$f")" = '#!' ]; then chmod +x "$f"; fi
  done
  printf '%s\n' "$mod" > "$tmp/.pfsense-mcp-ready"
  rm -rf "$dest"
  mv "$tmp" "$dest"
}

mkdir -p "$cache"
if [ ! -f "$rules_go_dir/.pfsense-mcp-ready" ]; then
  fetch_module "github.com/bazelbuild/rules_go@v$RULES_GO_VERSION" "$rules_go_dir"
fi
if [ ! -f "$gazelle_dir/.pfsense-mcp-ready" ]; then
  fetch_module "github.com/bazelbuild/bazel-gazelle@v$GAZELLE_VERSION" "$gazelle_dir.partial"
  # gazelle <= 0.47 builds its repository tools from vendor/, which module zips omit.
  log "vendoring gazelle's dependencies"
  (cd "$gazelle_dir.partial" && GOFLAGS=-mod=mod go mod vendor -e)
  rm -rf "$gazelle_dir"
  mv "$gazelle_dir.partial" "$gazelle_dir"
fi

stubs=$ws/third_party/bazel-stubs
rc=$(cat <<RC
# Written by tools/bootstrap/offline-modules.sh for this machine. Do not commit or edit:
# tools/bazel rewrites it. It makes Debian's Bazel build this repository with no access to
# GitHub or the Bazel Central Registry (docs/adr/0001-offline-bazel.md).
startup --server_javabase=/usr/lib/jvm/default-java
common --noenable_workspace
common --lockfile_mode=off
common --override_module=rules_go=$rules_go_dir
common --override_module=gazelle=$gazelle_dir
common --override_module=rules_shell=/usr/share/bazel/rules/shell
common --override_module=apple_support=$stubs/apple_support
common --override_module=buildozer=$stubs/buildozer
common --override_module=protobuf=$stubs/protobuf
common --override_module=zlib=$stubs/zlib
common --repo_env=GOPROXY=${GOPROXY:-https://proxy.golang.org,direct}
common --repo_env=GOSUMDB=${GOSUMDB:-sum.golang.org}
common --repo_env=GO_REPOSITORY_USE_HOST_CACHE=1
common --repo_env=GOMODCACHE=$(go env GOMODCACHE)
RC
)
target=$ws/.bazelrc.offline
if [ ! -f "$target" ] || [ "$(cat "$target")" != "$rc" ]; then
  printf '%s\n' "$rc" > "$target"
  log "wrote $target"
fi
