#!/usr/bin/env bash
# Installs everything the end-to-end suite (client/test/e2e, `npm run test:e2e`) needs:
#   - Debian packages: chromium + a font (the browser side), ripgrep (replaces the binary that
#     @vscode/ripgrep would download from GitHub), and the build tools for code-server's native
#     modules (node-pty, spdlog, kerberos, argon2, ...);
#   - code-server (a real VS Code, server + web UI) from the npm registry, into .e2e/code-server;
#   - playwright-core (the browser driver only, no browser download), into .e2e/node_modules.
#
# Only the npm registry and the Debian archive are used: native modules are compiled here against
# the installed node's headers, never downloaded from GitHub or nodejs.org.
#
# Idempotent: a stamp file records what a complete install was made for (versions, node ABI, OS);
# when it matches, only the (cheap) Debian package check runs. A partial install never gets a
# stamp, so an interrupted run is simply redone.
#
# Usage:  scripts/setup-e2e.sh
# Env:    IPTABLES_LINT_E2E_DIR  install somewhere else than <repo>/.e2e (the suite reads it too)
#         SKIP_APT=1             do not check or install Debian packages
set -euo pipefail

CODE_SERVER_VERSION=4.100.3   # = VS Code 1.100.3; needs node 20
PLAYWRIGHT_VERSION=1.65.1
APT_PACKAGES="build-essential python3 libkrb5-dev ripgrep chromium fonts-dejavu-core"

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E_DIR=${IPTABLES_LINT_E2E_DIR:-$REPO/.e2e}
LOGS=$E2E_DIR/logs
STAMP=$E2E_DIR/setup.stamp
STARTED=$(date +%s%N)

elapsed() { local ms=$(( ($(date +%s%N) - STARTED) / 1000000 )); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
step() { echo "setup-e2e [$(elapsed)s] $*"; }
die() { echo "setup-e2e: $*" >&2; exit 1; }

# Runs a command with its output in $LOGS/NAME.log; shows the log's tail only when it fails.
logged() {
  local name=$1; shift
  if ! "$@" >"$LOGS/$name.log" 2>&1; then
    echo "setup-e2e: FAILED: $* (full log: $LOGS/$name.log)" >&2
    tail -40 "$LOGS/$name.log" >&2
    exit 1
  fi
}

require_node_20() {
  case "$(node -v)" in
    v20.*) ;;
    *) die "code-server $CODE_SERVER_VERSION needs node 20, found $(node -v)" ;;
  esac
}

missing_apt_packages() {
  local pkg
  for pkg in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}

install_apt_packages() {
  [ -n "${SKIP_APT:-}" ] && return
  local missing
  missing=$(missing_apt_packages | xargs)
  [ -z "$missing" ] && return
  step "apt-get install $missing"
  export DEBIAN_FRONTEND=noninteractive
  # Try with the current package lists first; refresh them only when that fails (stale lists).
  # shellcheck disable=SC2086
  if ! apt-get install -y --no-install-recommends $missing >"$LOGS/apt.log" 2>&1; then
    logged apt-update apt-get update
    # shellcheck disable=SC2086
    logged apt apt-get install -y --no-install-recommends $missing
  fi
}

# What a complete install was made for: a change in any of these needs a new install
# (the native modules are built for one node ABI).
stamp_content() {
  local os
  os=$(. /etc/os-release && echo "$ID-$VERSION_ID")
  echo "code-server=$CODE_SERVER_VERSION playwright-core=$PLAYWRIGHT_VERSION node-abi=$(node -p process.versions.modules) arch=$(node -p process.arch) os=$os"
}

install_is_complete() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(stamp_content)" ] &&
    [ -f "$E2E_DIR/code-server/out/node/entry.js" ] &&
    [ -f "$E2E_DIR/node_modules/playwright-core/package.json" ]
}

configure_npm() {
  export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
  # node-pty's install script runs `npx node-gyp configure`; with `yes=false` in a user's npmrc
  # npx would refuse to fetch node-gyp and the install would fail.
  export npm_config_yes=true
  # node-gyp downloads node's headers from nodejs.org unless nodedir points at local ones.
  local prefix
  prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  [ -f "$prefix/include/node/node.h" ] ||
    die "node's C headers are missing ($prefix/include/node/node.h); native modules cannot be built offline"
  export npm_config_nodedir=$prefix
}

# Unpacks code-server into $1 (a fresh directory) from the npm registry.
unpack_code_server() {
  local dest=$1 packdir=$E2E_DIR/pack
  rm -rf "$packdir" && mkdir -p "$packdir"
  step "npm pack code-server@$CODE_SERVER_VERSION"
  logged pack npm pack "code-server@$CODE_SERVER_VERSION" --pack-destination "$packdir"
  mkdir -p "$dest"
  tar xzf "$packdir/code-server-$CODE_SERVER_VERSION.tgz" -C "$dest" --strip-components=1
  rm -rf "$packdir"
}

# code-server's own dependencies (pinned by its npm-shrinkwrap.json).
install_code_server_deps() {
  local dest=$1
  step "code-server dependencies"
  (cd "$dest" && logged cs-ci npm ci --omit=dev --ignore-scripts)
  # argon2 uses node-pre-gyp, which tries GitHub for a prebuilt binary first: build it here.
  (cd "$dest" && logged cs-argon2 npm rebuild argon2 --build-from-source)
}

# VS Code's dependencies. This is code-server's postinstall, split so that nothing is downloaded
# from outside the npm registry.
install_vscode_deps() {
  local vscode=$1/lib/vscode
  step "VS Code dependencies (lib/vscode)"
  # `npm ci` refuses here: the shipped lock file lacks tslib. Upstream's postinstall uses install too.
  (cd "$vscode" && logged vscode-install npm install --omit=dev --ignore-scripts)
  # @vscode/ripgrep's install script skips its GitHub download when bin/ already exists.
  mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
  cp "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
  step "VS Code native modules (node-pty, spdlog, kerberos, ...): the slow part"
  # build_from_source=kerberos: prebuild-install would otherwise try GitHub first, which can hang
  # behind a firewall that drops packets. @parcel/watcher keeps its binary from the npm registry.
  (cd "$vscode" && npm_config_build_from_source=kerberos logged vscode-rebuild npm rebuild --foreground-scripts)
  # The rest of code-server's postinstall.
  ln -sfn node_modules "$vscode/node_modules.asar"
  (cd "$vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
  (cd "$vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
  step "built-in extensions' dependencies"
  (cd "$vscode/extensions" && logged extensions-install npm install --omit=dev)
}

# Fails early, with a clear message, if a native module or ripgrep does not load.
smoke_test_code_server() {
  local dest=$1
  step "smoke test"
  (cd "$dest/lib/vscode" && logged smoke-native node -e '
    for (const m of ["@vscode/spdlog", "node-pty", "kerberos", "native-watchdog", "@parcel/watcher", "@vscode/deviceid"]) require(m);
    const pty = require("node-pty").spawn("/bin/sh", ["-c", "echo pty-ok"], {});
    let out = ""; pty.onData((d) => (out += d));
    pty.onExit(() => { if (!out.includes("pty-ok")) { console.error("node-pty output:", out); process.exit(1); } });')
  (cd "$dest" && logged smoke-argon2 node -e 'require("argon2")')
  logged smoke-rg "$dest/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" --version
  # code-server writes to XDG dirs even for --version: keep that out of the real home directory.
  local xdg=$E2E_DIR/smoke-xdg
  XDG_CONFIG_HOME=$xdg XDG_DATA_HOME=$xdg logged smoke-version node "$dest/out/node/entry.js" --version
  rm -rf "$xdg"
  echo "  code-server --version: $(tail -1 "$LOGS/smoke-version.log")"
}

install_code_server() {
  local staging=$E2E_DIR/code-server.partial
  rm -rf "$staging"
  unpack_code_server "$staging"
  install_code_server_deps "$staging"
  install_vscode_deps "$staging"
  smoke_test_code_server "$staging"
  rm -rf "$E2E_DIR/code-server"
  mv "$staging" "$E2E_DIR/code-server"
}

install_playwright() {
  step "playwright-core@$PLAYWRIGHT_VERSION (driver only, uses Debian's chromium)"
  # .e2e/ is its own npm project so that none of this reaches the project's package.json.
  printf '{\n  "name": "iptables-lint-e2e-tools",\n  "private": true,\n  "dependencies": { "playwright-core": "%s" }\n}\n' \
    "$PLAYWRIGHT_VERSION" >"$E2E_DIR/package.json"
  (cd "$E2E_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 logged playwright npm install --no-package-lock)
}

main() {
  require_node_20
  mkdir -p "$LOGS"
  install_apt_packages
  command -v rg >/dev/null || die "ripgrep (rg) is missing"
  command -v chromium >/dev/null || die "chromium is missing"
  if install_is_complete; then
    step "up to date ($E2E_DIR, $(stamp_content))"
    return
  fi
  rm -f "$STAMP"
  configure_npm
  echo "setup-e2e: node $(node -v), npm $(npm -v), nodedir=$npm_config_nodedir, into $E2E_DIR"
  install_code_server
  install_playwright
  stamp_content >"$STAMP"
  step "done: code-server $(du -sh "$E2E_DIR/code-server" | cut -f1), playwright-core $(du -sh "$E2E_DIR/node_modules" | cut -f1)"
}

# One setup at a time per directory (e.g. two terminals, or CI and a developer).
mkdir -p "$E2E_DIR"
exec 9>"$E2E_DIR/setup.lock"
flock 9
main
