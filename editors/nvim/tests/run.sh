#!/usr/bin/env bash
# Runs the Neovim plugin tests in a real headless Neovim, once per way of enabling the server.
# Usage: editors/nvim/tests/run.sh NVIM KEP_LSP
# Each mode gets a fresh copy of editors/testdata/kep-repo (the tests edit buffers and write files).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
plugin="$(dirname "$here")"
testdata="$(dirname "$plugin")/testdata/kep-repo"
nvim="${1:?usage: run.sh NVIM KEP_LSP}"
server="${2:?usage: run.sh NVIM KEP_LSP}"
status=0
for mode in setup start native settings; do
  repo="$(mktemp -d)/kep-repo"
  cp -r "$testdata" "$repo" && chmod -R u+w "$repo"
  repo="$(cd "$repo" && pwd -P)"
  KEP_LSP="$server" KEP_REPO="$repo" KEP_NVIM_MODE="$mode" XDG_STATE_HOME="$repo/.state" \
    timeout 120 "$nvim" --headless --clean --cmd "set rtp^=$plugin" -c "luafile $here/run.lua" -c "cquit! 3" 2>&1 || status=1
  rm -rf "$(dirname "$repo")"
done
exit $status
