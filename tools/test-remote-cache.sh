#!/usr/bin/env bash
# Shows that a golden image built once is shared through a Bazel remote cache instead of
# being rebuilt: starts a local HTTP remote cache (vmimage/remotecache), builds TARGET in a
# scratch copy of this repository (the committed HEAD) with a fresh output base and no disk
# cache, then again with a second fresh output base, and checks from Bazel's execution log
# that the second build took the GoldenImage action from the remote cache, with the same
# image digest. Needs no internet beyond what the first build fetches.
#
# Usage: tools/test-remote-cache.sh [TARGET]   (default //vmimage:standin_golden)
# KEEP_LOGS=DIR keeps the build logs and execution logs.
# It takes a few minutes: the first output base builds everything from scratch.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${1:-//vmimage:standin_golden}
export PATH=/usr/local/go/bin:$PATH
# The scratch copy must find the same build inputs as this checkout: an explicit
# $PFSENSE_OPENAPI_SPEC is made absolute, and a ../shared folder next to the repository is
# linked next to the copy (spec/README.md).
if [ -n "${PFSENSE_OPENAPI_SPEC:-}" ]; then
  case "$PFSENSE_OPENAPI_SPEC" in /*) ;; *) PFSENSE_OPENAPI_SPEC=$repo/$PFSENSE_OPENAPI_SPEC ;; esac
  export PFSENSE_OPENAPI_SPEC
elif [ -f "$repo/spec/openapi-spec.json" ]; then
  export PFSENSE_OPENAPI_SPEC=$repo/spec/openapi-spec.json
fi

log() { printf 'test-remote-cache: %s\n' "$*" >&2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/remote-cache-test.XXXXXX")
cache_pid=
cleanup() {
  if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS" && cp "$tmp"/*.json "$tmp"/*.log "$KEEP_LOGS"/ 2>/dev/null || true; fi
  for ob in "$tmp/ob1" "$tmp/ob2"; do
    if [ -d "$ob" ]; then (cd "$tmp/ws" && tools/bazel --output_base="$ob" shutdown >/dev/null 2>&1) || true; fi
  done
  if [ -n "$cache_pid" ]; then kill "$cache_pid" 2>/dev/null || true; wait "$cache_pid" 2>/dev/null || true; fi
  chmod -R u+w "$tmp" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

log "building the cache server"
(cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/httpcache" ./vmimage/remotecache/cmd/httpcache)
"$tmp/httpcache" --dir "$tmp/cache" --addr 127.0.0.1:0 --addr-file "$tmp/cache.addr" 2>"$tmp/httpcache.log" &
cache_pid=$!
for _ in $(seq 50); do [ -s "$tmp/cache.addr" ] && break; sleep 0.1; done
url="http://$(cat "$tmp/cache.addr")"
log "remote cache at $url"

log "scratch workspace from $(git -C "$repo" rev-parse --short HEAD)"
mkdir -p "$tmp/ws"
if [ -d "$repo/../shared" ]; then ln -s "$(cd "$repo/../shared" && pwd)" "$tmp/shared"; fi
git -C "$repo" archive HEAD | tar -x -C "$tmp/ws"

build() { # build N: a fresh output base, the remote cache, no disk cache
  local n=$1 start end
  start=$(date +%s)
  (cd "$tmp/ws" && tools/bazel --output_base="$tmp/ob$n" build "$target" \
    --disk_cache= --remote_cache="$url" \
    --execution_log_json_file="$tmp/exec$n.json" >"$tmp/build$n.log" 2>&1) || {
    tail -40 "$tmp/build$n.log" >&2
    log "build $n FAILED"
    exit 1
  }
  end=$(date +%s)
  log "build $n: $((end - start)) s; $(grep -E '^INFO: [0-9]+ processes' "$tmp/build$n.log" | tail -1 | sed 's/^INFO: //')"
}

# golden SPAWN_LOG: prints "<cache hit> <runner> <digest of golden.qcow2>" for the GoldenImage action.
golden() {
  python3 - "$1" <<'PY'
import json, sys
dec, text, pos = json.JSONDecoder(), open(sys.argv[1]).read(), 0
while pos < len(text):
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        break
    spawn, pos = dec.raw_decode(text, pos)
    if spawn.get("mnemonic") == "GoldenImage":
        digest = [o["digest"]["hash"] for o in spawn.get("actualOutputs", []) if o["path"].endswith("golden.qcow2")]
        runner = spawn.get("runner", "?").replace(" ", "-")
        hit = spawn.get("remoteCacheHit", False) or runner == "remote-cache-hit"
        print(str(hit).lower(), runner, digest[0] if digest else "none")
        break
else:
    print("absent none none")
PY
}

build 1
read -r hit1 runner1 digest1 < <(golden "$tmp/exec1.json")
log "build 1: GoldenImage ran by: $runner1 (remote cache hit: $hit1), golden.qcow2 sha256 $digest1"
build 2
read -r hit2 runner2 digest2 < <(golden "$tmp/exec2.json")
log "build 2: GoldenImage ran by: $runner2 (remote cache hit: $hit2), golden.qcow2 sha256 $digest2"
log "cache server: $(curl -s "$url/status")"

if [ "$hit1" != "false" ]; then
  log "FAIL: the first build should have run the GoldenImage action (hit=$hit1)"
  exit 1
fi
if [ "$hit2" != "true" ] || [ "$digest2" != "$digest1" ]; then
  log "FAIL: the second output base did not get the golden image from the remote cache"
  exit 1
fi
log "PASS: the second output base took $target from the remote cache instead of rebuilding it"
