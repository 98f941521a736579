#!/usr/bin/env bash
# Installs the real peers (no one here wrote them) and runs the tests that
# talk to them: the `#[ignore]`d tests of the `iotcodec-tests` package.
# Each protocol adds its peers here as its real-peer tests land.
set -euo pipefail
cd "$(dirname "$0")/.."

ran=0
# (No protocol has real-peer tests yet.)
if [ "$ran" -eq 0 ]; then
  echo "real peers: no real-peer tests yet"
fi
