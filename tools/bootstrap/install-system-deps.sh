#!/usr/bin/env bash
# Installs the Debian packages the build and the VM tests need beyond Bazel and Go:
#   qemu-system-x86  boots the golden pfSense image and the stand-in appliance (vmimage/qemu);
#   qemu-utils       qemu-img: disks, copy-on-write overlays, conversions;
#   e2fsprogs        mkfs.ext4 -d: the stand-in appliance's data disk;
#   gcc, libc6-dev   a C toolchain for cgo, which the race detector needs (--config=race);
#   nodejs           only when no `node` (>= 18) is on PATH: it runs the real MCP clients of the
#                    tests (Claude Code CLI, the MCP TypeScript SDK; third_party/npm, which Bazel
#                    fetches itself: no npm client is needed).
# tools/bazel runs this before every command that builds, and before it installs Bazel (the
# bookworm packages must go in before Bazel's libssl3t64 swap from sid: after it, some bookworm
# packages, npm for one, can no longer be installed). Packages come from bookworm (the sid source that install-bazel-debian.sh adds is pinned low,
# so apt picks bookworm's versions). Idempotent: exits at once when everything is installed.
# Never leaves apt half-configured: an interrupted earlier run is finished first, and a failure
# prints the exact recovery commands.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
APT_SCRIPT=install-system-deps

PACKAGES=(qemu-system-x86 qemu-utils e2fsprogs gcc libc6-dev)

# The fast path checks the installed files, not dpkg's database: a few stat calls, so that a
# warm tools/bazel adds milliseconds.
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
node_ok() {
  have node || return 1
  local v
  v=$(node --version 2>/dev/null) || return 1 # v20.20.2
  v=${v#v}
  [ "${v%%.*}" -ge 18 ] 2>/dev/null
}
if have qemu-system-x86_64 && have qemu-img && have mkfs.ext4 && have gcc && [ -e /usr/include/stdio.h ] && node_ok; then
  exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ! node_ok; then
  if have node; then
    log "node $(node --version 2>/dev/null) on PATH is older than 18; installing Debian's nodejs"
  fi
  PACKAGES+=(nodejs)
  missing+=(nodejs)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

apt_prepare install-system-deps "install ${missing[*]} (QEMU >= 7.2, qemu-img, mkfs.ext4, gcc, Node.js >= 18) yourself and retry."

log "installing ${missing[*]}"
if ! "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "${missing[@]}"; then
  # A stale package list is the usual cause (a mirror moved on): refresh once and retry.
  log "apt-get install failed; refreshing the package lists and retrying once"
  "${SUDO[@]}" apt-get -o Acquire::Check-Valid-Until=false update -qq
  "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "${missing[@]}"
fi

for tool in qemu-system-x86_64 qemu-img mkfs.ext4 gcc node; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    log "apt finished but $tool is missing"
    exit 1
  fi
done
apt_done
log "done: $(dpkg-query -W -f='${Package} ${Version}  ' "${PACKAGES[@]}")"
