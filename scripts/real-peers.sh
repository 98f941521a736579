#!/usr/bin/env bash
# Installs the real peers (no one here wrote them) and runs the tests that
# talk to them: the `#[ignore]`d tests of the `iotcodec-tests` package.
# Each protocol adds its peers here as its real-peer tests land.
set -euo pipefail
cd "$(dirname "$0")/.."

ran=0

# MQTT 3.1/3.1.1/5.0: Eclipse Mosquitto (Debian's mosquitto and
# mosquitto-clients, 2.0.11 on bookworm). tests/tests/mqtt_peer.rs starts the
# broker on 127.0.0.1 for our clients, and plays a broker for mosquitto_pub
# and mosquitto_sub.
if ! dpkg -s mosquitto mosquitto-clients >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients >/dev/null
fi
echo "mosquitto $(dpkg-query -W -f='${Version}' mosquitto)"
cargo test -p iotcodec-tests --test mqtt_peer -- --ignored --nocapture --test-threads=1
ran=$((ran + 1))

# MQTT-SN: the PyPI client mqtt-sn-12 (its mqtt_sn_pub / mqtt_sn_sub CLIs)
# against a gateway played by tests/tests/mqtt_sn_peer.rs on 127.0.0.1.
MQTT_SN_12_VERSION=1.0.9
PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet "mqtt-sn-12==${MQTT_SN_12_VERSION}"
cargo test -p iotcodec-tests --test mqtt_sn_peer -- --ignored --nocapture
ran=$((ran + 1))

# CoAP: libcoap (Debian's libcoap3-bin, 4.3.1 on bookworm: its tools are
# named coap-server-notls / coap-client-notls) and the PyPI package aiocoap,
# against our endpoint in tests/tests/coap_peer.rs, both directions; the test
# starts the servers on 127.0.0.1 (tests/peers/ holds the aiocoap scripts).
AIOCOAP_VERSION=0.4.17
if ! dpkg-query -W -f='${Status}' libcoap3-bin 2>/dev/null | grep -q 'install ok installed'; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libcoap3-bin >/dev/null
fi
echo "libcoap3-bin $(dpkg-query -W -f='${Version}' libcoap3-bin)"
PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet "aiocoap==${AIOCOAP_VERSION}"
# one test at a time, so that each peer's progress lines stay together
cargo test -p iotcodec-tests --test coap_peer -- --ignored --nocapture --test-threads=1
ran=$((ran + 1))

# AMQP 1.0: Debian's amqp-specs (the OASIS XML the definitions are checked
# against) and python3-qpid-proton (Qpid Proton 0.37, which decodes what
# amqp-frame encodes; its fixtures are read by the plain test suite).
if ! dpkg -s amqp-specs python3-qpid-proton >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq amqp-specs python3-qpid-proton >/dev/null
fi
cargo test -p amqp-frame --test spec_xml -- --ignored
ran=$((ran + 1))
PROTON_PYTHON=/usr/bin/python3 cargo test -p iotcodec-tests --test amqp_proton_peer -- --ignored --nocapture
ran=$((ran + 1))
# The committed Proton fixtures are what the script makes (a different
# Proton release may legitimately write other bytes: reported, not fatal).
fixtures="$(mktemp -d)"
/usr/bin/python3 tests/amqp/make_proton_fixtures.py "$fixtures" 2>/dev/null
if diff -rq "$fixtures" tests/data/amqp/proton >/dev/null; then
  echo "AMQP: Proton fixtures regenerated identical to the committed ones"
else
  echo "AMQP: note: this Proton writes fixtures that differ from the committed ones:"
  diff -rq "$fixtures" tests/data/amqp/proton || true
fi
rm -rf "$fixtures"

if [ "$ran" -eq 0 ]; then
  echo "real peers: no real-peer tests yet"
else
  echo "real peers: $ran peer suite(s) ran and passed"
fi
