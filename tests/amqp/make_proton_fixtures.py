#!/usr/bin/env python3
"""Writes the Qpid Proton fixtures of the amqp-frame tests.

Every byte in tests/data/amqp/proton/ was encoded by Qpid Proton (the
python3-qpid-proton Debian package, Proton 0.37), not by us:

* conversation_client.bin / conversation_server.bin: the bytes each side of
  a connection between two Proton engines (pn_transport) wrote: protocol
  headers, SASL ANONYMOUS, open, begin, attach, flow, transfers (one message
  split over several frames by the server's 1024-byte max-frame-size),
  dispositions, detach, end and close with errors;
* sasl_plain_client.bin / sasl_plain_server.bin: a SASL PLAIN exchange;
* sasl_outcome_<code>.bin: sasl-outcome bodies for the five codes, and
  value_*.bin: single values, both written with Proton's data encoder
  (pn_data) from described lists built here;
* message_*.bin: messages encoded by proton.Message.encode().

The expected values are in tests/tests/amqp_proton_fixtures.rs. Run with
the Debian Python: /usr/bin/python3 tests/amqp/make_proton_fixtures.py
[output directory]. scripts/real-peers.sh runs it into a scratch directory
and compares the result with the committed files.
"""
import os
import sys
import uuid

import proton
from proton import (Condition, Connection, Data, Delivery, Endpoint, Link,
                    Message, SymbolList, Transport, char, decimal32, decimal64,
                    decimal128, symbol, timestamp, ubyte, uint, ulong,
                    ushort, byte, short, int32, float32, Described, Array,
                    UNDESCRIBED)

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "data", "amqp", "proton")


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes(data))


class Pump:
    """Two engines connected in memory; records what each side wrote."""

    def __init__(self, client, server):
        self.client, self.server = client, server
        self.out = {"client": bytearray(), "server": bytearray()}

    def run(self):
        moved = True
        while moved:
            moved = False
            for a, b, name in ((self.client, self.server, "client"), (self.server, self.client, "server")):
                n = a.pending()
                if n > 0:
                    data = a.peek(n)
                    a.pop(n)
                    self.out[name] += data
                    b.push(data)
                    moved = True


def body(n):
    return bytes(j & 0xFF for j in range(n))


def full_message():
    m = Message()
    m.durable = True
    m.priority = 7
    m.ttl = 60.0
    m.first_acquirer = True
    m.delivery_count = 2
    m.instructions = {symbol("x-opt-delivery"): "now"}
    m.annotations = {symbol("x-opt-partition"): int32(3), ulong(42): "numeric-key"}
    m.id = "msg-0001"
    m.user_id = b"fixture-user"
    m.address = "queue://fixture"
    m.subject = "temperature"
    m.reply_to = "queue://replies"
    m.correlation_id = ulong(77)
    m.content_type = "application/octet-stream"
    m.content_encoding = "identity"
    m.expiry_time = 1700000060.0
    m.creation_time = 1700000000.0
    m.group_id = "group-a"
    m.group_sequence = 5
    m.reply_to_group_id = "group-b"
    m.properties = {"sensor": "room1", "seq": int32(1), "unit": "celsius", "ok": True}
    m.body = body(256)
    m.inferred = True
    return m


def conversation():
    c = Connection()
    c.container = "proton-client"
    c.hostname = "broker.example"
    # An Array goes on the wire as an array of symbols, as a `multiple`
    # field requires. Proton 0.37 sends a plain list or a SymbolList as an
    # AMQP list, which is not a valid value of such a field (amqp-frame
    # refuses it; see fixture open_capabilities_as_list.bin).
    c.offered_capabilities = Array(UNDESCRIBED, proton.Data.SYMBOL, symbol("cap-a"), symbol("cap-b"))
    c.desired_capabilities = symbol("cap-c")
    c.properties = {symbol("product"): "fixture"}
    t = Transport()
    t.max_frame_size = 65536
    t.channel_max = 255
    t.idle_timeout = 30.0
    t.bind(c)
    t.sasl().allowed_mechs("ANONYMOUS")

    s = Connection()
    s.container = "proton-server"
    st = Transport(Transport.SERVER)
    st.max_frame_size = 1024
    st.bind(s)
    st.sasl().allowed_mechs("ANONYMOUS")

    p = Pump(t, st)
    c.open()
    ssn = c.session()
    ssn.open()
    snd = ssn.sender("fixture-link")
    snd.source.address = "src/fixture"
    snd.target.address = "queue://fixture"
    snd.snd_settle_mode = Link.SND_UNSETTLED
    snd.open()
    p.run()

    s.open()
    sssn = s.session_head(Endpoint.REMOTE_ACTIVE)
    sssn.open()
    rcv = s.link_head(Endpoint.REMOTE_ACTIVE)
    rcv.source.copy(rcv.remote_source)
    rcv.target.copy(rcv.remote_target)
    rcv.open()
    rcv.flow(10)
    p.run()

    # two deliveries: the full message, and a 3000-byte one split in frames
    d1 = snd.delivery("tag-1")
    snd.send(full_message().encode())
    snd.advance()
    big = Message(body=body(3000), inferred=True)
    d2 = snd.delivery("tag-2")
    snd.send(big.encode())
    snd.advance()
    p.run()

    got = []
    while True:
        d = rcv.current
        if d is None or d.partial:
            break
        got.append(rcv.recv(d.pending))
        rcv.advance()
        if len(got) == 1:
            d.update(Delivery.ACCEPTED)
        else:
            d.local.condition = Condition("amqp:not-allowed", "too big for this fixture")
            d.update(Delivery.REJECTED)
        d.settle()
    assert len(got) == 2, len(got)
    p.run()

    snd.condition = Condition("amqp:link:detach-forced", "fixture over", {symbol("at"): "detach"})
    snd.close()
    ssn.close()
    p.run()
    rcv.close()
    sssn.close()
    p.run()
    c.condition = Condition("amqp:connection:forced", "bye")
    c.close()
    p.run()
    s.close()
    p.run()
    write("conversation_client.bin", p.out["client"])
    write("conversation_server.bin", p.out["server"])


def open_with_list():
    """An open whose offered-capabilities Proton writes as a list."""
    c = Connection()
    c.container = "list-caps"
    c.offered_capabilities = SymbolList([symbol("cap-a"), symbol("cap-b")])
    t = Transport()
    t.bind(c)
    c.open()
    n = t.pending()
    out = t.peek(n)
    t.pop(n)
    write("open_capabilities_as_list.bin", out[8:])


def sasl_plain():
    """A Proton client's SASL PLAIN init, answering mechanisms [PLAIN,
    ANONYMOUS] (the body encoded by pn_data, framed here); and what a Proton
    server sends when it has no mechanism to offer for PLAIN: an empty
    array, which amqp-frame refuses (the field is mandatory)."""
    c = Connection()
    c.container = "plain-client"
    c.hostname = "broker.example"
    c.user = "guest"
    c.password = "secret-password"
    t = Transport()
    t.bind(c)
    sasl = t.sasl()
    sasl.allowed_mechs("PLAIN")
    sasl.allow_insecure_mechs = True  # PLAIN without TLS, for the fixture
    c.open()
    d = Data()
    d.put_described()
    d.enter()
    d.put_ulong(0x40)
    d.put_list()
    d.enter()
    d.put_array(False, Data.SYMBOL)
    d.enter()
    d.put_symbol(symbol("PLAIN"))
    d.put_symbol(symbol("ANONYMOUS"))
    d.exit()
    d.exit()
    d.exit()
    mech = d.encode()
    t.push(b"AMQP\x03\x01\x00\x00" + (8 + len(mech)).to_bytes(4, "big") + b"\x02\x01\x00\x00" + mech)
    n = t.pending()
    out = t.peek(n)
    t.pop(n)
    write("sasl_plain_client.bin", out)

    s = Connection()
    st = Transport(Transport.SERVER)
    st.bind(s)
    st.sasl().allowed_mechs("PLAIN")
    st.push(b"AMQP\x03\x01\x00\x00")
    n = st.pending()
    write("sasl_no_mechanisms_server.bin", st.peek(n))


def encode_described(code, fields):
    """A described list written by pn_data: fields are (put method name, value)."""
    d = Data()
    d.put_described()
    d.enter()
    d.put_ulong(code)
    d.put_list()
    d.enter()
    for method, value in fields:
        getattr(d, method)(value)
    d.exit()
    d.exit()
    return d.encode()


def sasl_outcomes():
    for code in range(5):
        fields = [("put_ubyte", code)]
        if code == 0:
            fields.append(("put_binary", b"welcome"))
        write("sasl_outcome_%d.bin" % code, encode_described(0x44, fields))


VALUES = {
    "null": None,
    "true": True,
    "false": False,
    "ubyte": ubyte(200),
    "ushort": ushort(65000),
    "uint0": uint(0),
    "smalluint": uint(7),
    "uint": uint(4000000000),
    "ulong0": ulong(0),
    "smallulong": ulong(9),
    "ulong": ulong(2 ** 63),
    "byte": byte(-5),
    "short": short(-300),
    "smallint": int32(-7),
    "int": int32(-70000),
    "smalllong": -3,
    "long": -(2 ** 40),
    "float": float32(1.5),
    "double": 2.25,
    "decimal32": decimal32(0x22500000),
    "decimal64": decimal64(0x2238000000000001),
    "decimal128": decimal128(bytes(range(16))),
    "char": char("\u00e9"),
    "timestamp": timestamp(1700000000000),
    "uuid": uuid.UUID("12345678-1234-5678-9abc-def012345678"),
    "vbin8": b"\x00\x01\xfe",
    "vbin32": body(300),
    "str8": "h\u00e9llo",
    "str32": "x" * 300,
    "sym8": symbol("amqp:not-found"),
    "sym32": symbol("s" * 260),
    "list": ["a", int32(1), None, True],
    "list0": [],
    "map": {symbol("k"): "v", "n": int32(2)},
    "array_int": Array(UNDESCRIBED, proton.Data.INT, 1, 2, 3),
    "array_sym": Array(UNDESCRIBED, proton.Data.SYMBOL, symbol("a"), symbol("bc")),
    "described": Described(symbol("x-opt:thing"), "payload"),
    "nested": {"outer": [int32(1), {"inner": [None, ulong(5)]}]},
}


def values():
    for name, v in VALUES.items():
        d = Data()
        d.put_object(v)
        write("value_%s.bin" % name, d.encode())


def messages():
    write("message_full.bin", full_message().encode())
    write("message_value.bin", Message(body="a string body").encode())
    write("message_sequence.bin", Message(body=["seq", int32(1)], inferred=True).encode())
    write("message_map_value.bin", Message(body={"k": "v"}).encode())
    write("message_empty.bin", Message().encode())


def main():
    os.makedirs(OUT, exist_ok=True)
    print("Qpid Proton", ".".join(map(str, proton.VERSION)), file=sys.stderr)
    conversation()
    open_with_list()
    sasl_plain()
    sasl_outcomes()
    values()
    messages()


if __name__ == "__main__":
    main()
