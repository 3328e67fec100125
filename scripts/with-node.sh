#!/usr/bin/env bash
# Runs a command on the project's Node (the version in .nvmrc), for machines that reach the npm
# registry but not nodejs.org, where nvm and fnm cannot download it:
#
#     bash scripts/with-node.sh npm ci
#     bash scripts/with-node.sh npm test
#
# The registry's node-<platform>-<arch> package is Node's official build, with the headers
# (include/node) that node-gyp needs to compile a native module offline. It is installed once
# in the checkout's .cache/ (the machine's own Node is left alone): readable by whoever can read
# the checkout, as the tests that start the service under another user need.
# Already on that version (nvm, fnm, a system package): the command runs as it is.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(tr -d ' v\r\n' < "$root/.nvmrc")"
if [ "$(node --version 2>/dev/null)" = "v$version" ]; then
  exec "$@"
fi

# The platform's package itself, not the `node` package: that one only installs it from a
# preinstall script, which npm may be told never to run.
platform_package="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
prefix="$root/.cache/node-$version"
home="$prefix/node_modules/$platform_package"
if [ ! -x "$home/bin/node" ]; then
  echo "Installation de Node $version depuis le registre npm ($platform_package) dans $prefix…" >&2
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$platform_package@$version" >&2
fi

export PATH="$home/bin:$PATH"
export npm_config_nodedir="$home"
exec "$@"
