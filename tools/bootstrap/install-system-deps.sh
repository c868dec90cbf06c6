#!/usr/bin/env bash
# Installs the Debian packages the build and the VM tests need beyond Bazel and Go:
#   qemu-system-x86  boots the golden pfSense image and the stand-in appliance (vmimage/qemu);
#   qemu-utils       qemu-img: disks, copy-on-write overlays, conversions;
#   e2fsprogs        mkfs.ext4 -d: the stand-in appliance's data disk.
# Packages come from bookworm (the sid source that install-bazel-debian.sh adds is pinned low,
# so apt picks bookworm's versions). Idempotent: exits at once when everything is installed.
# Never leaves apt half-configured: an interrupted earlier run is finished first, and a failure
# prints the exact recovery commands.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
APT_SCRIPT=install-system-deps

PACKAGES=(qemu-system-x86 qemu-utils e2fsprogs)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

apt_prepare install-system-deps "install ${missing[*]} (QEMU >= 7.2 and qemu-img) yourself and retry."

log "installing ${missing[*]}"
if ! "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "${missing[@]}"; then
  # A stale package list is the usual cause (a mirror moved on): refresh once and retry.
  log "apt-get install failed; refreshing the package lists and retrying once"
  "${SUDO[@]}" apt-get -o Acquire::Check-Valid-Until=false update -qq
  "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "${missing[@]}"
fi

for tool in qemu-system-x86_64 qemu-img mkfs.ext4; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    log "apt finished but $tool is missing"
    exit 1
  fi
done
apt_done
log "done: $(dpkg-query -W -f='${Package} ${Version}  ' "${PACKAGES[@]}")"
