#!/usr/bin/env bash
# Installs the real implementations and tools the tests run against (README, Tests): Debian packages plus the
# npm peers (grpc-js in Tests/Interop.Peers); `--bench` also the benches' peers. Runs as root, without stdin,
# and is quick when everything is already there: apt-get update only when a package is missing, npm ci only
# when node_modules is missing or package-lock.json changed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "$0")/.."

# The tests need prometheus (the AppHost's scraper, and promtool) and chromium (the browser of the page tests).
# `--bench` adds what the benches under bench/ measure against: h2load and the grpc-go peers.
APT_PACKAGES=(prometheus chromium)
if [[ "${1:-}" == "--bench" ]]; then
  APT_PACKAGES+=(nghttp2-client golang-go golang-google-grpc-dev)
fi
PEER_DIRS=(Tests/Interop.Peers)

installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == 'install ok installed' ]]; }

missing=()
for package in "${APT_PACKAGES[@]}"; do
  installed "$package" || missing+=("$package")
done
# The machine image ships node; a bare Debian needs its nodejs and npm.
command -v npm >/dev/null || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "install-peers: apt: installing ${missing[*]}"
  apt-get update -qq
  for package in "${missing[@]}"; do
    # "Candidate: (none)" or no output at all means the archive does not have it. The output
    # is captured first: grep -q stopping early would SIGPIPE apt-cache and trip pipefail.
    policy=$(apt-cache policy "$package")
    if ! grep -q 'Candidate: [^(]' <<<"$policy"; then
      echo "install-peers: apt: package $package is not available" >&2
      exit 1
    fi
  done
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-peers: apt: all ${#APT_PACKAGES[@]} packages present"
fi

# npm ci wipes node_modules, so it runs only when the lock file differs from the one
# the current node_modules was installed from (remembered in a stamp inside node_modules).
for peers in "${PEER_DIRS[@]}"; do
  stamp="$peers/node_modules/.lock-sha256"
  lock_hash=$(sha256sum "$peers/package-lock.json" | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
    echo "install-peers: npm: $peers up to date"
  else
    echo "install-peers: npm: ci in $peers"
    (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" > "$stamp"
  fi
done
echo "install-peers: done"
