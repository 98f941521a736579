//! `arbitrary::Arbitrary` support (feature `arbitrary`), for fuzzing and
//! property tests.
//!
//! The plain value types ([`ProtocolVersion`], [`QoS`], [`ReasonCode`],
//! [`RetainHandling`], [`SubscriptionOptions`]) derive `Arbitrary`. A
//! [`Packet`] borrows validated strings and property lists, so it cannot be
//! derived; [`ArbitraryPacket`] owns what a packet needs instead and only
//! ever produces packets that encode and decode back: valid topic names and
//! filters, non-zero packet identifiers, only the properties the packet may
//! carry (in range, repeated only where allowed), no U+0000, bounded field
//! sizes. [`ArbitraryPacket::packet`] adapts it to a protocol version (no
//! MQTT 5 fields before version 5).

use alloc::string::String;
use alloc::vec::Vec;

use arbitrary::{Arbitrary, Unstructured};

use super::{
    Ack, Connack, Connect, Disconnect, OwnedPacket, Packet, Properties, Property, ProtocolVersion,
    Publish, QoS, ReasonCode, Suback, Subscribe, SubscriptionOptions, Unsuback, Unsubscribe, Will,
    MAX_VBI,
};
use crate::props::{ctx, List};

/// Longest string generated (bytes).
const MAX_STR: usize = 64;
/// Longest binary field or payload generated (bytes).
const MAX_BIN: usize = 512;
/// Number of property kinds in [`Property`].
const KINDS: u8 = 27;

/// A protocol version for fuzz targets: `(ArbVersion, ArbitraryPacket)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct ArbVersion(pub ProtocolVersion);

/// A valid packet of any type, owning its data, for fuzz targets and
/// property tests. It only ever produces packets that encode and decode
/// back: valid topic names and filters, non-zero packet identifiers, only
/// the properties the packet may carry (in range, repeated only where
/// allowed), no U+0000, bounded field sizes. View it in a protocol version
/// with [`ArbitraryPacket::packet`].
///
/// ```
/// use arbitrary::{Arbitrary, Unstructured};
/// use mqtt_codec::wire::{ArbVersion, ArbitraryPacket, Packet};
///
/// let seed = [7u8; 64];
/// let mut u = Unstructured::new(&seed);
/// let (ArbVersion(v), p) = <(ArbVersion, ArbitraryPacket)>::arbitrary(&mut u).unwrap();
/// let bytes = p.packet(v).to_vec(v).unwrap();
/// let (again, used) = Packet::decode(&bytes, v).unwrap().complete().unwrap();
/// assert_eq!((again, used), (p.packet(v), bytes.len()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArbitraryPacket(Kind);

#[derive(Debug, Clone, PartialEq, Eq)]
struct ArbWill {
    qos: QoS,
    retain: bool,
    props: Vec<u8>,
    topic: String,
    payload: Vec<u8>,
}

/// Property lists are kept as their encoded bytes (the same form a decoded
/// packet has), subscription lists once per options layout.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Connect {
        clean_start: bool,
        keep_alive: u16,
        props: Vec<u8>,
        client_id: String,
        will: Option<ArbWill>,
        username: Option<String>,
        password: Option<Vec<u8>>,
    },
    Connack {
        session_present: bool,
        reason: u8,
        props: Vec<u8>,
    },
    Publish {
        dup: bool,
        qos: QoS,
        retain: bool,
        topic: String,
        /// MQTT 5: send an empty topic name, the Topic Alias standing in.
        alias_only: bool,
        packet_id: u16,
        props: Vec<u8>,
        payload: Vec<u8>,
    },
    Ack {
        packet_type: u8,
        packet_id: u16,
        reason: u8,
        props: Vec<u8>,
    },
    Subscribe {
        packet_id: u16,
        props: Vec<u8>,
        subs_v5: Vec<u8>,
        subs_v3: Vec<u8>,
    },
    Suback {
        packet_id: u16,
        props: Vec<u8>,
        codes_v5: Vec<u8>,
        codes_v3: Vec<u8>,
    },
    Unsubscribe {
        packet_id: u16,
        props: Vec<u8>,
        filters: Vec<u8>,
    },
    Unsuback {
        packet_id: u16,
        props: Vec<u8>,
        codes: Vec<u8>,
    },
    Pingreq,
    Pingresp,
    Disconnect {
        reason: u8,
        props: Vec<u8>,
    },
    Auth {
        reason: u8,
        props: Vec<u8>,
    },
}

/// A string of at most `max` bytes without U+0000 or any of `banned`.
fn text(u: &mut Unstructured<'_>, max: usize, banned: &[char]) -> arbitrary::Result<String> {
    let s: &str = u.arbitrary()?;
    let mut out = String::new();
    for c in s.chars().filter(|c| *c != '\0' && !banned.contains(c)) {
        if out.len() + c.len_utf8() > max {
            break;
        }
        out.push(c);
    }
    Ok(out)
}

fn bin(u: &mut Unstructured<'_>, max: usize) -> arbitrary::Result<Vec<u8>> {
    let b: &[u8] = u.arbitrary()?;
    Ok(b[..b.len().min(max)].to_vec())
}

/// A topic level without wildcards, separators or `$`.
fn word(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    text(u, 16, &['+', '#', '/', '$'])
}

fn topic_name(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let mut t = String::new();
    if u.ratio(1, 8)? {
        t.push_str("$SYS/");
    }
    for i in 0..u.int_in_range(1..=4)? {
        if i > 0 {
            t.push('/');
        }
        t.push_str(&word(u)?);
    }
    if t.is_empty() {
        t.push('t');
    }
    Ok(t)
}

/// A valid topic filter and whether it is a `$share` one.
fn topic_filter(u: &mut Unstructured<'_>) -> arbitrary::Result<(String, bool)> {
    let mut f = String::new();
    let shared = u.ratio(1, 6)?;
    if shared {
        let group = word(u)?;
        f.push_str("$share/");
        f.push_str(if group.is_empty() { "g" } else { &group });
        f.push('/');
    }
    let levels = u.int_in_range(1..=4)?;
    let mut body = String::new();
    for i in 0..levels {
        if i > 0 {
            body.push('/');
        }
        match u.int_in_range(0..=5)? {
            0 => body.push('+'),
            1 if i + 1 == levels => body.push('#'),
            _ => body.push_str(&word(u)?),
        }
    }
    if body.is_empty() {
        body.push('f');
    }
    f.push_str(&body);
    Ok((f, shared))
}

fn packet_id(u: &mut Unstructured<'_>) -> arbitrary::Result<u16> {
    u.int_in_range(1..=u16::MAX)
}

/// Property kind `k` (0..KINDS) with values in range, made from raw parts.
fn make<'b>(k: u8, n: u32, s1: &'b str, s2: &'b str, b: &'b [u8]) -> Property<'b> {
    let flag = (n % 2) as u8;
    let nz16 = (n % 65_535) as u16 + 1;
    match k {
        0 => Property::PayloadFormatIndicator(flag),
        1 => Property::MessageExpiryInterval(n),
        2 => Property::ContentType(s1),
        3 => Property::ResponseTopic(s1),
        4 => Property::CorrelationData(b),
        5 => Property::SubscriptionIdentifier(n % MAX_VBI + 1),
        6 => Property::SessionExpiryInterval(n),
        7 => Property::AssignedClientIdentifier(s1),
        8 => Property::ServerKeepAlive(n as u16),
        9 => Property::AuthenticationMethod(s1),
        10 => Property::AuthenticationData(b),
        11 => Property::RequestProblemInformation(flag),
        12 => Property::WillDelayInterval(n),
        13 => Property::RequestResponseInformation(flag),
        14 => Property::ResponseInformation(s1),
        15 => Property::ServerReference(s1),
        16 => Property::ReasonString(s1),
        17 => Property::ReceiveMaximum(nz16),
        18 => Property::TopicAliasMaximum(n as u16),
        19 => Property::TopicAlias(nz16),
        20 => Property::MaximumQoS(flag),
        21 => Property::RetainAvailable(flag),
        22 => Property::UserProperty(s1, s2),
        23 => Property::MaximumPacketSize(n.max(1)),
        24 => Property::WildcardSubscriptionAvailable(flag),
        25 => Property::SubscriptionIdentifierAvailable(flag),
        _ => Property::SharedSubscriptionAvailable(flag),
    }
}

/// Up to four properties allowed in `place`, encoded as a property list's
/// bytes (without the length).
fn props(u: &mut Unstructured<'_>, place: u16) -> arbitrary::Result<Vec<u8>> {
    let kinds: Vec<u8> = (0..KINDS)
        .filter(|&k| make(k, 1, "", "", &[]).allowed() & place != 0)
        .collect();
    let mut seen = 0u64;
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let k = *u.choose(&kinds)?;
        let (n, s1, s2, b) = (
            u32::arbitrary(u)?,
            // a Response Topic is a topic name
            if k == 3 {
                topic_name(u)?
            } else {
                text(u, MAX_STR, &[])?
            },
            text(u, MAX_STR, &[])?,
            bin(u, MAX_STR)?,
        );
        let p = make(k, n, &s1, &s2, &b);
        let id = p.id();
        let may_repeat = id == 0x26 || (id == 0x0B && place == ctx::PUBLISH);
        if seen & (1 << id) != 0 && !may_repeat {
            continue;
        }
        seen |= 1 << id;
        push_property(&mut out, &p);
    }
    Ok(out)
}

fn push_property(out: &mut Vec<u8>, p: &Property<'_>) {
    // generated strings are bounded and hold no U+0000
    if p.encoded_len().is_ok() {
        p.write(out);
    }
}

fn push_prefixed(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u16).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

impl<'a> Arbitrary<'a> for ArbitraryPacket {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self(match u.int_in_range(1..=15u8)? {
            1 => Kind::Connect {
                clean_start: u.arbitrary()?,
                keep_alive: u.arbitrary()?,
                props: props(u, ctx::CONNECT)?,
                client_id: text(u, MAX_STR, &[])?,
                will: if u.arbitrary()? {
                    Some(ArbWill {
                        qos: u.arbitrary()?,
                        retain: u.arbitrary()?,
                        props: props(u, ctx::WILL)?,
                        topic: topic_name(u)?,
                        payload: bin(u, MAX_BIN)?,
                    })
                } else {
                    None
                },
                username: if u.arbitrary()? {
                    Some(text(u, MAX_STR, &[])?)
                } else {
                    None
                },
                password: if u.arbitrary()? {
                    Some(bin(u, MAX_STR)?)
                } else {
                    None
                },
            },
            2 => Kind::Connack {
                session_present: u.arbitrary()?,
                reason: u.arbitrary()?,
                props: props(u, ctx::CONNACK)?,
            },
            3 => {
                let qos: QoS = u.arbitrary()?;
                let props = props(u, ctx::PUBLISH)?;
                let has_alias = List::<Property<'_>>::from_raw(&props).get(0x23).is_some();
                Kind::Publish {
                    dup: qos != QoS::AtMostOnce && u.arbitrary()?,
                    qos,
                    retain: u.arbitrary()?,
                    topic: topic_name(u)?,
                    alias_only: has_alias && u.arbitrary()?,
                    packet_id: packet_id(u)?,
                    props,
                    payload: bin(u, MAX_BIN)?,
                }
            }
            t @ 4..=7 => Kind::Ack {
                packet_type: t,
                packet_id: packet_id(u)?,
                reason: u.arbitrary()?,
                props: props(u, ctx::ACK)?,
            },
            8 => {
                let (packet_id, props) = (packet_id(u)?, props(u, ctx::SUBSCRIBE)?);
                let (mut subs_v5, mut subs_v3) = (Vec::new(), Vec::new());
                for _ in 0..u.int_in_range(1..=4)? {
                    let (filter, shared) = topic_filter(u)?;
                    let mut o: SubscriptionOptions = u.arbitrary()?;
                    o.no_local &= !shared;
                    push_prefixed(&mut subs_v5, &filter);
                    subs_v5.push(o.byte());
                    push_prefixed(&mut subs_v3, &filter);
                    subs_v3.push(o.qos as u8);
                }
                Kind::Subscribe {
                    packet_id,
                    props,
                    subs_v5,
                    subs_v3,
                }
            }
            9 => {
                let (packet_id, props) = (packet_id(u)?, props(u, ctx::SUBACK)?);
                let codes_v5 = bin(u, 16)?;
                let codes_v3 = codes_v5.iter().map(|c| [0, 1, 2, 0x80][usize::from(c % 4)]);
                Kind::Suback {
                    packet_id,
                    props,
                    codes_v3: codes_v3.collect(),
                    codes_v5,
                }
            }
            10 => {
                let (packet_id, props) = (packet_id(u)?, props(u, ctx::UNSUBSCRIBE)?);
                let mut filters = Vec::new();
                for _ in 0..u.int_in_range(1..=4)? {
                    push_prefixed(&mut filters, &topic_filter(u)?.0);
                }
                Kind::Unsubscribe {
                    packet_id,
                    props,
                    filters,
                }
            }
            11 => Kind::Unsuback {
                packet_id: packet_id(u)?,
                props: props(u, ctx::UNSUBACK)?,
                codes: bin(u, 16)?,
            },
            12 => Kind::Pingreq,
            13 => Kind::Pingresp,
            14 => Kind::Disconnect {
                reason: u.arbitrary()?,
                props: props(u, ctx::DISCONNECT)?,
            },
            _ => Kind::Auth {
                reason: u.arbitrary()?,
                props: props(u, ctx::AUTH)?,
            },
        }))
    }
}

impl ArbitraryPacket {
    /// The packet as protocol version `version` carries it: before MQTT 5
    /// properties are left out, reason codes are success, subscription
    /// options keep only the QoS, SUBACK codes are mapped onto 0, 1, 2 and
    /// 0x80, and AUTH becomes DISCONNECT. A CONNECT names `version`.
    pub fn packet(&self, version: ProtocolVersion) -> Packet<'_> {
        let v5 = version == ProtocolVersion::V5;
        let props = |raw| props_in(raw, v5);
        let reason = |r: u8| ReasonCode(if v5 { r } else { 0 });
        match &self.0 {
            Kind::Connect {
                clean_start,
                keep_alive,
                props: p,
                client_id,
                will,
                username,
                password,
            } => Packet::Connect(Connect {
                protocol: version,
                clean_start: *clean_start,
                keep_alive: *keep_alive,
                properties: props(p),
                client_id,
                will: will.as_ref().map(|w| Will {
                    qos: w.qos,
                    retain: w.retain,
                    properties: props(&w.props),
                    topic: &w.topic,
                    payload: &w.payload,
                }),
                username: username.as_deref(),
                // before 5, a password needs a user name [MQTT-3.1.2-22]
                password: password.as_deref().filter(|_| v5 || username.is_some()),
            }),
            Kind::Connack {
                session_present,
                reason,
                props: p,
            } => Packet::Connack(Connack {
                session_present: *session_present,
                reason_code: ReasonCode(*reason),
                properties: props(p),
            }),
            Kind::Publish {
                dup,
                qos,
                retain,
                topic,
                alias_only,
                packet_id,
                props: p,
                payload,
            } => Packet::Publish(Publish {
                dup: *dup,
                qos: *qos,
                retain: *retain,
                topic: if v5 && *alias_only { "" } else { topic },
                packet_id: (*qos != QoS::AtMostOnce).then_some(*packet_id),
                properties: props(p),
                payload,
            }),
            Kind::Ack {
                packet_type,
                packet_id,
                reason: r,
                props: p,
            } => {
                let a = Ack {
                    packet_id: *packet_id,
                    reason_code: reason(*r),
                    properties: props(p),
                };
                match packet_type {
                    4 => Packet::Puback(a),
                    5 => Packet::Pubrec(a),
                    6 => Packet::Pubrel(a),
                    _ => Packet::Pubcomp(a),
                }
            }
            Kind::Subscribe {
                packet_id,
                props: p,
                subs_v5,
                subs_v3,
            } => Packet::Subscribe(Subscribe {
                packet_id: *packet_id,
                properties: props(p),
                subscriptions: List::from_raw(if v5 { subs_v5 } else { subs_v3 }),
            }),
            Kind::Suback {
                packet_id,
                props: p,
                codes_v5,
                codes_v3,
            } => Packet::Suback(Suback {
                packet_id: *packet_id,
                properties: props(p),
                reason_codes: if v5 { codes_v5 } else { codes_v3 },
            }),
            Kind::Unsubscribe {
                packet_id,
                props: p,
                filters,
            } => Packet::Unsubscribe(Unsubscribe {
                packet_id: *packet_id,
                properties: props(p),
                filters: List::from_raw(filters),
            }),
            Kind::Unsuback {
                packet_id,
                props: p,
                codes,
            } => Packet::Unsuback(Unsuback {
                packet_id: *packet_id,
                properties: props(p),
                reason_codes: if v5 { codes } else { &[] },
            }),
            Kind::Pingreq => Packet::Pingreq,
            Kind::Pingresp => Packet::Pingresp,
            Kind::Disconnect {
                reason: r,
                props: p,
            } => Packet::Disconnect(Disconnect {
                reason_code: reason(*r),
                properties: props(p),
            }),
            Kind::Auth {
                reason: r,
                props: p,
            } if v5 => Packet::Auth(Disconnect {
                reason_code: reason(*r),
                properties: props(p),
            }),
            Kind::Auth { .. } => Packet::Disconnect(Disconnect::default()),
        }
    }
}

/// The property list `raw` in MQTT 5, nothing before.
fn props_in(raw: &[u8], v5: bool) -> Properties<'_> {
    if v5 {
        List::from_raw(raw)
    } else {
        Properties::empty()
    }
}

impl<'a> Arbitrary<'a> for OwnedPacket {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let (ArbVersion(v), p) = <(ArbVersion, ArbitraryPacket)>::arbitrary(u)?;
        Self::from_packet(&p.packet(v), v).map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}
