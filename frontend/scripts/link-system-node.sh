#!/usr/bin/env bash
# Lets frontend-maven-plugin run the Node.js and npm installed on this machine instead of downloading
# them from nodejs.org: links the system `node` and the npm bundled with it to where the plugin's npm
# goal looks for them, <install-dir>/node/node and <install-dir>/node/node_modules/npm.
# Usage: link-system-node.sh <install-dir>
set -euo pipefail

install_dir=${1:?usage: link-system-node.sh <install-dir>}
min_major=20
min_minor=19

fail() {
  echo "link-system-node: $*" >&2
  echo "link-system-node: install Node.js >= ${min_major}.${min_minor} with npm, or build with -Dfrontend.downloadNode=true" >&2
  exit 1
}

node_bin=$(command -v node) || fail "no 'node' on PATH"
node_bin=$(readlink -f "$node_bin")
npm_bin=$(command -v npm) || fail "no 'npm' on PATH"
# npm's launcher is <npm>/bin/npm-cli.js (or a wrapper script next to it): the package is two levels up.
npm_dir=$(dirname "$(dirname "$(readlink -f "$npm_bin")")")
if [[ ! -f "$npm_dir/bin/npm-cli.js" ]]; then
  npm_dir=$(npm root --global)/npm
fi
[[ -f "$npm_dir/bin/npm-cli.js" ]] || fail "cannot find npm's package directory (looked in $npm_dir)"

version=$("$node_bin" --version)
IFS=. read -r major minor _ <<<"${version#v}"
if ((major < min_major || (major == min_major && minor < min_minor))); then
  fail "found Node.js $version at $node_bin"
fi

mkdir -p "$install_dir/node/node_modules"
# A Node.js downloaded earlier (-Dfrontend.downloadNode=true) left real files here: replace them.
[[ -L "$install_dir/node/node_modules/npm" ]] || rm -rf "$install_dir/node/node_modules/npm"
ln -sfn "$node_bin" "$install_dir/node/node"
ln -sfn "$npm_dir" "$install_dir/node/node_modules/npm"
echo "link-system-node: using Node.js $version ($node_bin) and npm $("$node_bin" "$npm_dir/bin/npm-cli.js" --version) ($npm_dir)"
