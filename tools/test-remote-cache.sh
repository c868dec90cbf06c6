#!/usr/bin/env bash
# Shows that a golden image built once is shared through a Bazel remote cache instead of
# being rebuilt: starts a local HTTP remote cache (vmimage/remotecache), builds TARGET in a
# scratch copy of this repository (the committed HEAD) with a fresh output base and no disk
# cache, then again with a second fresh output base, and checks from Bazel's execution logs
# that every stage of the golden image (GoldenStage and GoldenImage actions) ran in the first
# and came from the remote cache in the second, with the same digests.
#
# Then, in the second output base, it shows that the real pfSense image's stages can be
# looked up in a remote cache without the memstick: with the memstick's URL pointed at a
# port where nothing listens, //vmimage:pfsense_golden still analyzes, the pin repository
# holds only pin.json, and no stage action has the memstick among its inputs (the install
# stage downloads it itself). So a second machine that finds the stages in the cache never
# downloads it. (The real image cannot be built here, without KVM or internet: this part is
# a check of the action graph, not a download count.)
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

# stages SPAWN_LOG: prints "<mnemonic>:<cache hit>:<digest of the stage's disk>" for each
# golden image stage action, one per line, in the log's order.
stages() {
  python3 - "$1" <<'PY'
import json, sys
dec, text, pos = json.JSONDecoder(), open(sys.argv[1]).read(), 0
while pos < len(text):
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        break
    spawn, pos = dec.raw_decode(text, pos)
    if spawn.get("mnemonic") in ("GoldenStage", "GoldenImage"):
        disk = [o for o in spawn.get("actualOutputs", []) if o["path"].endswith(".qcow2")]
        runner = spawn.get("runner", "?")
        hit = spawn.get("remoteCacheHit", False) or runner == "remote cache hit"
        print("%s:%s:%s:%s" % (spawn["mnemonic"], disk[0]["path"].split("/")[-2] if disk else "?", str(hit).lower(), disk[0]["digest"]["hash"] if disk else "none"))
PY
}

build 1
mapfile -t s1 < <(stages "$tmp/exec1.json")
build 2
mapfile -t s2 < <(stages "$tmp/exec2.json")
for l in "${s1[@]}"; do log "build 1: $l"; done
for l in "${s2[@]}"; do log "build 2: $l"; done
log "cache server: $(curl -s "$url/status")"

if [ "${#s1[@]}" -lt 2 ] || [ "${#s1[@]}" != "${#s2[@]}" ]; then
  log "FAIL: want the same golden image stages (at least two) in both builds, got ${#s1[@]} and ${#s2[@]}"
  exit 1
fi
for i in "${!s1[@]}"; do
  IFS=: read -r m1 n1 hit1 d1 <<<"${s1[$i]}"
  IFS=: read -r m2 n2 hit2 d2 <<<"${s2[$i]}"
  if [ "$hit1" != "false" ]; then
    log "FAIL: the first build should have run stage $n1 ($m1) itself"
    exit 1
  fi
  if [ "$n2" != "$n1" ] || [ "$hit2" != "true" ] || [ "$d2" != "$d1" ]; then
    log "FAIL: the second output base did not get stage $n1 from the remote cache (${s2[$i]})"
    exit 1
  fi
done
log "PASS: the second output base took every stage of $target from the remote cache instead of rebuilding it"

# The real image's stages without the memstick.
ws=$tmp/ws
sed -i 's|url = "https://atxfiles.netgate.com/[^"]*"|url = "http://127.0.0.1:9/pfSense-CE-memstick-serial-2.7.2-RELEASE-amd64.img.gz"|' "$ws/MODULE.bazel"
grep -q '127.0.0.1:9/pfSense-CE-memstick' "$ws/MODULE.bazel" || { log "FAIL: could not point the memstick pin at a dead URL"; exit 1; }
(cd "$ws" && tools/bazel --output_base="$tmp/ob2" build --nobuild //vmimage:pfsense_golden >"$tmp/pfsense-analysis.log" 2>&1) || {
  tail -20 "$tmp/pfsense-analysis.log" >&2
  log "FAIL: //vmimage:pfsense_golden does not analyze without the memstick"
  exit 1
}
pin_repo=$(find "$tmp/ob2/external" -maxdepth 1 -type d -name '*pfsense_memstick' | head -1)
# Bazel adds its own REPO.bazel to every repository.
files=$(cd "$pin_repo" && find . -type f ! -name REPO.bazel | sort | tr '\n' ' ')
if [ "$files" != "./BUILD.bazel ./pin.json " ]; then
  log "FAIL: the memstick pin repository holds more than its pin: $files"
  exit 1
fi
(cd "$ws" && tools/bazel --output_base="$tmp/ob2" aquery 'mnemonic("GoldenStage|GoldenImage", deps(//vmimage:pfsense_golden))' \
  --output=text >"$tmp/pfsense-aquery.log" 2>&1) || { tail -20 "$tmp/pfsense-aquery.log" >&2; log "FAIL: aquery"; exit 1; }
n=$(grep -c '^action ' "$tmp/pfsense-aquery.log" || true)
if [ "$n" != 4 ]; then
  log "FAIL: want the 4 stage actions of //vmimage:pfsense_golden, found $n"
  exit 1
fi
if grep '^  Inputs:' "$tmp/pfsense-aquery.log" | grep -q '\.img'; then
  log "FAIL: a stage action has the memstick among its inputs"
  grep '^  Inputs:' "$tmp/pfsense-aquery.log" >&2
  exit 1
fi
grep '^  Inputs:' "$tmp/pfsense-aquery.log" | grep -q 'pfsense_memstick/pin.json' || { log "FAIL: no stage takes the memstick pin"; exit 1; }
log "PASS: //vmimage:pfsense_golden's 4 stages are keyed by the memstick pin, not the image: the pin repository holds $files and no stage action reads the memstick, so a machine that finds them in a remote cache never downloads it"
