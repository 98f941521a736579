#!/usr/bin/env python3
"""Decodes with Qpid Proton what amqp-frame encoded, and compares.

Run by tests/tests/amqp_proton_peer.rs (through scripts/real-peers.sh) with
the directory it wrote its encodings to. Exits non-zero on the first
mismatch; prints "proton check: all N checks passed" otherwise.
"""
import sys
import uuid

import proton
from proton import (Connection, Data, Described, Endpoint, Link, Message,
                    Transport, char, symbol, ulong)

DIR = sys.argv[1]
checks = 0


def load(name):
    with open("%s/%s.bin" % (DIR, name), "rb") as f:
        return f.read()


def check(what, got, want):
    global checks
    checks += 1
    if got != want:
        print("MISMATCH %s: Proton decoded %r, amqp-frame encoded %r" % (what, got, want))
        sys.exit(1)


def data_values(b):
    """Every value in b, decoded one after another by pn_data."""
    out = []
    while b:
        d = Data()
        n = d.decode(b)
        d.rewind()
        d.next()
        out.append(d.get_object())
        b = b[n:]
    return out


def body(n):
    return bytes(j & 0xFF for j in range(n))


def check_full_message(what, m, raw):
    check(what + " durable", m.durable, True)
    check(what + " priority", m.priority, 7)
    check(what + " ttl", m.ttl, 60.0)
    check(what + " first_acquirer", m.first_acquirer, True)
    check(what + " delivery_count", m.delivery_count, 2)
    check(what + " delivery-annotations", m.instructions, {symbol("x-opt-delivery"): "now"})
    check(what + " message-annotations", m.annotations,
          {symbol("x-opt-partition"): 3, ulong(42): "numeric-key"})
    check(what + " message-id", m.id, "msg-0001")
    check(what + " user-id", m.user_id, b"ours-user")
    check(what + " to", m.address, "queue://ours")
    check(what + " subject", m.subject, "temperature")
    check(what + " reply-to", m.reply_to, "queue://replies")
    check(what + " correlation-id", m.correlation_id, 77)
    check(what + " content-type", m.content_type, symbol("application/octet-stream"))
    check(what + " content-encoding", m.content_encoding, symbol("identity"))
    check(what + " absolute-expiry-time", m.expiry_time, 1700000060.0)
    check(what + " creation-time", m.creation_time, 1700000000.0)
    check(what + " group-id", m.group_id, "group-a")
    check(what + " group-sequence", m.group_sequence, 5)
    check(what + " reply-to-group-id", m.reply_to_group_id, "group-b")
    check(what + " application-properties", m.properties,
          {"sensor": "room1", "seq": 1, "unit": "celsius", "ok": True})
    check(what + " body", m.body, body(256))
    # The Python Message has no footer field: read the sections with pn_data.
    sections = data_values(raw)
    check(what + " section descriptors", [s.descriptor for s in sections],
          [ulong(c) for c in (0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x78)])
    check(what + " footer", sections[-1].value, {symbol("x-opt-checksum"): 12345})


def connection():
    s = Connection()
    st = Transport(Transport.SERVER)
    st.bind(s)
    st.sasl().allowed_mechs("ANONYMOUS")
    s.open()
    stream = load("client_stream")
    # Pushed one unit at a time, opening the server's session and link (and
    # granting credit) as soon as the peer's begin and attach arrived, as
    # an application on a Proton server would.
    n = 0
    rest = stream
    while rest:
        size = 8 if rest[:4] == b"AMQP" else int.from_bytes(rest[:4], "big")
        st.push(rest[:size])
        n += size
        rest = rest[size:]
        ssn = s.session_head(Endpoint.LOCAL_UNINIT)
        if ssn is not None:
            ssn.open()
        lnk = s.link_head(Endpoint.LOCAL_UNINIT)
        if lnk is not None:
            lnk.open()
            lnk.flow(10)
        if st.pending() > 0:
            st.pop(st.pending())
    check("transport error", st.condition, None)
    check("sasl outcome", st.sasl().outcome, 0)
    check("container-id", s.remote_container, "amqp-frame-client")
    check("hostname", s.remote_hostname, "broker.example")
    check("max-frame-size", st.remote_max_frame_size, 4096)
    check("channel-max", st.remote_channel_max, 7)
    check("idle-time-out", st.remote_idle_timeout, 20.0)
    check("offered-capabilities", list(s.remote_offered_capabilities), [symbol("cap-x"), symbol("cap-y")])
    check("desired-capabilities", s.remote_desired_capabilities, symbol("cap-z"))
    check("connection properties", s.remote_properties, {symbol("product"): "amqp-frame"})

    ssn = s.session_head(0)
    check("session found", ssn is not None, True)
    link = s.link_head(0)
    check("link found", link is not None, True)
    check("link name", link.name, "ours-link")
    check("link is the receiver end", link.is_receiver, True)
    check("source address", link.remote_source.address, "ours/src")
    check("target address", link.remote_target.address, "queue://ours")
    check("snd-settle-mode", link.remote_snd_settle_mode, Link.SND_UNSETTLED)
    check("max-message-size", link.remote_max_message_size, 65536)

    # the deliveries, the second reassembled from three frames by Proton
    got = []
    d = link.current
    while d is not None and not d.partial:
        got.append((d.tag, link.recv(d.pending)))
        link.advance()
        d = link.current
    check("deliveries", [t for t, _ in got], ["d0", "d1"])
    m = Message()
    m.decode(got[0][1])
    check_full_message("delivery 0", m, got[0][1])
    m = Message()
    m.decode(got[1][1])
    check("delivery 1 body (three frames)", m.body, body(5000))

    cond = link.remote_condition
    check("detach error", (cond.name, cond.description, cond.info),
          ("amqp:link:detach-forced", "ours detach", {symbol("at"): "detach"}))
    check("detach closed", bool(link.state & Endpoint.REMOTE_CLOSED), True)
    cond = ssn.remote_condition
    check("end error", (cond.name, cond.description), ("amqp:session:errant-link", "ours end"))
    cond = s.remote_condition
    check("close error", (cond.name, cond.description), ("amqp:connection:forced", "ours close"))
    check("connection closed", bool(s.state & Endpoint.REMOTE_CLOSED), True)
    check("whole stream read", n, len(stream))


def messages():
    raw = load("message_full")
    m = Message()
    m.decode(raw)
    check_full_message("message_full", m, raw)
    m = Message()
    m.decode(load("message_value"))
    check("amqp-value body", m.body, "a string body")
    m = Message()
    m.decode(load("message_sequence"))
    check("amqp-sequence body", m.body, ["seq", 1])
    check("amqp-sequence inferred", m.inferred, True)


def sasl():
    for code in range(5):
        [v] = data_values(load("sasl_outcome_%d" % code))
        want = [code, b"welcome"] if code == 0 else [code]
        check("sasl-outcome %d" % code, (v.descriptor, v.value), (ulong(0x44), want))
    [v] = data_values(load("sasl_mechanisms"))
    check("sasl-mechanisms descriptor", v.descriptor, ulong(0x40))
    check("sasl-mechanisms", list(v.value[0]), [symbol("PLAIN"), symbol("ANONYMOUS")])


VALUES = {
    "null": None,
    "true": True,
    "ubyte": 200,
    "ushort": 65000,
    "uint0": 0,
    "smalluint": 7,
    "uint": 4000000000,
    "ulong": 2 ** 63,
    "byte": -5,
    "short": -300,
    "smallint": -7,
    "int": -70000,
    "long": -(2 ** 40),
    "float": 1.5,
    "double": 2.25,
    "char": char("\u00e9"),
    "timestamp": 1700000000000,
    "uuid": uuid.UUID(bytes=bytes(range(16))),
    "vbin32": body(300),
    "str8": "h\u00e9llo",
    "str32": "x" * 300,
    "sym8": symbol("amqp:not-found"),
    "list": ["a", 1, None, True],
    "map": {symbol("k"): "v", "n": 2},
    "array_int": [1, 2, 300],
    "described": Described(symbol("x-opt:thing"), "payload"),
}

# The AMQP type Proton decoded each value as (pn_data type names).
TYPES = {
    "ubyte": proton.Data.UBYTE, "ushort": proton.Data.USHORT, "uint0": proton.Data.UINT,
    "smalluint": proton.Data.UINT, "uint": proton.Data.UINT, "ulong": proton.Data.ULONG,
    "byte": proton.Data.BYTE, "short": proton.Data.SHORT, "smallint": proton.Data.INT,
    "int": proton.Data.INT, "long": proton.Data.LONG, "float": proton.Data.FLOAT,
    "double": proton.Data.DOUBLE, "char": proton.Data.CHAR, "timestamp": proton.Data.TIMESTAMP,
    "uuid": proton.Data.UUID, "vbin32": proton.Data.BINARY, "str8": proton.Data.STRING,
    "str32": proton.Data.STRING, "sym8": proton.Data.SYMBOL, "list": proton.Data.LIST,
    "map": proton.Data.MAP, "array_int": proton.Data.ARRAY, "described": proton.Data.DESCRIBED,
}


def values():
    for name, want in VALUES.items():
        b = load("value_" + name)
        d = Data()
        n = d.decode(b)
        check("value %s length" % name, n, len(b))
        d.rewind()
        d.next()
        got = d.get_object()
        if name == "array_int":
            got = list(got.elements)
        check("value " + name, got, want)
        if name in TYPES:
            check("value %s type" % name, d.type(), TYPES[name])


def main():
    connection()
    messages()
    sasl()
    values()
    print("proton check: all %d checks passed (Qpid Proton %s)" % (checks, ".".join(map(str, proton.VERSION))))


if __name__ == "__main__":
    main()
