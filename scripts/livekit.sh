#!/usr/bin/env bash
# Finds a LiveKit server binary and prints its path on stdout (progress goes to stderr).
#   1. `livekit-server` on PATH (or LIVEKIT_SERVER_BIN),
#   2. the cached build in $CLOUD_HALL_CACHE/bin/livekit-server,
#   3. otherwise builds v1.13.5 with `go install` into that cache (a few minutes, once),
#   4. otherwise explains how to install it and exits 1.
set -euo pipefail
VERSION="${LIVEKIT_VERSION:-v1.13.5}"
CACHE="${CLOUD_HALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-hall}"
CACHED="$CACHE/bin/livekit-server"

if [ -n "${LIVEKIT_SERVER_BIN:-}" ] && [ -x "$LIVEKIT_SERVER_BIN" ]; then echo "$LIVEKIT_SERVER_BIN"; exit 0; fi
if command -v livekit-server >/dev/null 2>&1; then command -v livekit-server; exit 0; fi
if [ -x "$CACHED" ]; then echo "$CACHED"; exit 0; fi

if [ "${1:-}" = "--no-build" ]; then exit 1; fi

GO=$(command -v go || true)
[ -z "$GO" ] && [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go
if [ -z "$GO" ]; then
  cat >&2 <<MSG
cloud-hall: no LiveKit server found, and Go is not installed to build one.
  Install livekit-server $VERSION (https://docs.livekit.io/home/self-hosting/local/) and put it on PATH,
  or install Go and run: npm run livekit
  Without it the hall runs, but video is unavailable.
MSG
  exit 1
fi

echo "cloud-hall: building livekit-server $VERSION with go install (once; takes a few minutes)..." >&2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The module's main package is cmd/server, so the binary comes out named "server".
if ! GOBIN="$TMP" "$GO" install -v "github.com/livekit/livekit-server/cmd/server@$VERSION" >&2; then
  echo "cloud-hall: go install of livekit-server $VERSION failed (see above)." >&2
  exit 1
fi
mkdir -p "$CACHE/bin"
mv "$TMP/server" "$CACHED"
echo "cloud-hall: livekit-server cached at $CACHED" >&2
echo "$CACHED"
