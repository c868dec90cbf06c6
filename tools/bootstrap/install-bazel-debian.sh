#!/usr/bin/env bash
# Installs Bazel 7.7.1 from Debian sid on a Debian (bookworm or newer) machine,
# following the sequence verified in docs/bazel-offline.md:
#   sid source pinned low -> libssl3t64 swap (only while libssl3 is installed) ->
#   default-jdk-headless + bazel-bootstrap + bazel-rules-shell from sid.
# Idempotent: exits at once when a usable Bazel is already installed.
# Never leaves apt half-configured: an interrupted earlier run is finished first,
# and a failure prints the exact recovery commands.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
APT_SCRIPT=install-bazel

bazel_ready() {
  [ -x /usr/bin/bazel ] && [ -d /usr/share/bazel/rules/shell ] && [ -d /usr/lib/jvm/default-java ]
}

if bazel_ready; then
  exit 0
fi

apt_prepare install-bazel "install Bazel 7.7.1 yourself (bazelisk reads .bazelversion) and retry."

src=/etc/apt/sources.list.d/pfsense-mcp-sid.sources
pin=/etc/apt/preferences.d/pfsense-mcp-sid
if [ ! -f "$src" ]; then
  log "adding Debian sid (pinned to priority 100, so nothing moves to sid by itself)"
  "${SUDO[@]}" tee "$src" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
if [ ! -f "$pin" ]; then
  "${SUDO[@]}" tee "$pin" >/dev/null <<'PIN'
Package: *
Pin: release n=sid
Pin-Priority: 100
PIN
fi

log "apt-get update"
"${SUDO[@]}" apt-get -o Acquire::Check-Valid-Until=false update -qq

# bookworm's libssl3 and sid's openssl-provider-legacy both ship legacy.so; without this
# swap the Bazel install stops half-way with exit 100 (see docs/bazel-offline.md).
if dpkg-query -W -f='${Status}' libssl3 2>/dev/null | grep -q 'install ok installed'; then
  log "replacing libssl3 by libssl3t64 from sid"
  "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" -o Dpkg::Options::=--force-overwrite \
    -t sid libssl3t64 openssl-provider-legacy
fi

log "installing bazel-bootstrap 7.7.1, bazel-rules-shell and a JDK from sid (about 600 MB)"
"${SUDO[@]}" apt-get install "${APT_OPTS[@]}" -t sid default-jdk-headless bazel-bootstrap bazel-rules-shell

if ! bazel_ready; then
  log "apt finished but /usr/bin/bazel or /usr/share/bazel/rules/shell is missing"
  exit 1
fi
apt_done
log "done: $(dpkg-query -W -f='${Package} ${Version}' bazel-bootstrap)"
