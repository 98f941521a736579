#!/usr/bin/env bash
# Installs the real peers (no one here wrote them) and runs the tests that
# talk to them: the `#[ignore]`d tests of the `iotcodec-tests` package.
# Each protocol adds its peers here as its real-peer tests land.
set -euo pipefail
cd "$(dirname "$0")/.."

ran=0

# MQTT-SN: the PyPI client mqtt-sn-12 (its mqtt_sn_pub / mqtt_sn_sub CLIs)
# against a gateway played by tests/tests/mqtt_sn_peer.rs on 127.0.0.1.
MQTT_SN_12_VERSION=1.0.9
PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet "mqtt-sn-12==${MQTT_SN_12_VERSION}"
cargo test -p iotcodec-tests --test mqtt_sn_peer -- --ignored --nocapture
ran=$((ran + 1))

if [ "$ran" -eq 0 ]; then
  echo "real peers: no real-peer tests yet"
else
  echo "real peers: $ran peer suite(s) ran and passed"
fi
