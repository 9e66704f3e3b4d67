#!/usr/bin/env bash
# Run a command with Node >= 22.17 first on PATH (see use-node.sh). npm scripts go through
# this, so `npm run dev` and `npm test` work even when npm itself was started by an older Node.
set -e
. "$(dirname "$0")/use-node.sh"
exec "$@"
