# Shared by the install scripts in this folder (source it; it is not run on its own).
# apt_prepare NAME HINT: checks for root (or sudo) and apt-get, sets SUDO and APT_OPTS, prints
# the recovery commands on any failure, and finishes an interrupted dpkg run before anything
# else changes, so that apt is never left half-configured. HINT says what to do without apt.

log() { printf '%s: %s\n' "$APT_SCRIPT" "$*" >&2; }

apt_prepare() {
  APT_SCRIPT=$1
  local hint=$2
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      log "installing needs root (or sudo). Run as root: $0"
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "this machine has no apt-get; $hint"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  APT_OPTS=(-y --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  trap apt_on_error ERR
  if [ -n "$("${SUDO[@]}" dpkg --audit 2>/dev/null)" ]; then
    log "finishing an interrupted dpkg run first"
    "${SUDO[@]}" dpkg --configure -a
    "${SUDO[@]}" apt-get -f install "${APT_OPTS[@]}"
  fi
}

apt_on_error() {
  log "FAILED. apt may need finishing; run as root:"
  log "  dpkg --configure -a && apt-get -f install -y && dpkg --audit"
  log "then re-run: $0"
}

# apt_done: the install succeeded; failures after this are not apt's.
apt_done() { trap - ERR; }
