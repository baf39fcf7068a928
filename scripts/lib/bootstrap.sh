# Shared set-up for ./scripts/test and ./scripts/demo: system packages, the venv and the
# project in editable mode. Idempotent: each step checks before it acts, and the pip
# step is skipped while pyproject.toml is unchanged since the last successful install.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\033[1m[expresspoint]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[expresspoint] error:\033[0m %s\n' "$*" >&2; exit 1; }

# System packages the project needs at run and test time. An entry "a|b" means "the
# first of these that this release of Debian/Ubuntu has" (t64 renames in newer ones).
APT_PACKAGES=(
  "libzbar0t64|libzbar0"
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6
  "libglib2.0-0t64|libglib2.0-0"
  "libdbus-1-3" libx11-6 libx11-xcb1
  fonts-dejavu-core fonts-noto-cjk
  espeak-ng
)

_apt_updated=0
_apt_update_once() {
  if [ "$_apt_updated" = 0 ]; then
    say "apt-get update"
    $SUDO apt-get update -qq >/dev/null || die "apt-get update failed: check the network or apt sources."
    _apt_updated=1
  fi
}

# No `cmd | grep -q` here: grep -q exits at the first match, the writer gets SIGPIPE, and
# under `set -o pipefail` (our callers) the test then fails at random (seen: exit 141).
_is_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == *"install ok installed"* ]]; }
_has_candidate() { [[ "$(apt-cache policy "$1" 2>/dev/null)" == *"Candidate: "[!\(]* ]]; }

ensure_apt() {
  local wanted=("$@") missing=() entry alt pick
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system: make sure these are installed yourself: ${wanted[*]}"
    return 0
  fi
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${wanted[*]}"
    SUDO="sudo"
  fi
  for entry in "${wanted[@]}"; do
    pick=""
    IFS='|' read -r -a alts <<<"$entry"
    for alt in "${alts[@]}"; do
      if _is_installed "$alt"; then pick="ok"; break; fi
    done
    [ "$pick" = ok ] && continue
    _apt_update_once
    for alt in "${alts[@]}"; do
      if _has_candidate "$alt"; then pick="$alt"; break; fi
    done
    [ -n "$pick" ] || die "no installable package among: $entry (apt-cache policy ${alts[0]})"
    missing+=("$pick")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing system packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || die "apt-get install failed for: ${missing[*]}"
  fi
}

find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

ensure_venv() {
  local py stamp want
  if [ ! -x "$VENV/bin/python" ]; then
    py="$(find_python)" || { ensure_apt python3 python3-venv; py="$(find_python)" || die "Python 3.11 or newer is required."; }
    if ! "$py" -m venv --help >/dev/null 2>&1 || ! "$py" -c 'import ensurepip' 2>/dev/null; then
      ensure_apt python3-venv
    fi
    say "creating $VENV with $py"
    "$py" -m venv "$VENV" || die "could not create the virtual environment in $VENV"
  fi
  stamp="$VENV/.expresspoint-installed"
  want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing the project and its dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
    "$VENV/bin/python" -m pip install -q -e "$ROOT[dev]" \
      || die "pip install failed: see the messages above (network, or a package with no wheel for this machine)."
    echo "$want" >"$stamp"
  fi
}
