//! Decoding: every rule is checked as the bytes are read, in one pass.

use iotcodec_core::Decoded;

use super::options::MAX_PACKET_SIZE;
use super::{
    Ack, Connack, Connect, DecodeOptions, Disconnect, Packet, ProtocolVersion, Publish, QoS,
    ReasonCode, Suback, Subscribe, SubscriptionOptions, Unsuback, Unsubscribe, Will,
};
use crate::error::DecodeError;
use crate::primitives::{check_utf8, read_utf8, required_flags, Cursor, FixedHeader};
use crate::props::{ctx, read_properties, List, Properties, Property, PropertyValue};
use crate::scan;
use crate::topic::{
    check_shared_bytes, validate_name_bytes, wildcard_error, wildcard_fits, TopicError,
};

/// Whether `c` is a character senders SHOULD NOT use (spec 1.5.4).
fn discouraged(c: char) -> bool {
    let c = u32::from(c);
    matches!(c, 0x01..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF) || c & 0xFFFE == 0xFFFE
}

/// The properties of packet part `place` in MQTT 5, none before.
#[inline(always)]
fn props<'a>(
    r: &mut Cursor<'a>,
    v: ProtocolVersion,
    place: u16,
) -> Result<Properties<'a>, DecodeError> {
    if v.is_v5() {
        read_properties(r, place)
    } else {
        Ok(Properties::empty())
    }
}

/// A topic name field: a valid string [MQTT-1.5.4-1/2], and a valid topic
/// name [MQTT-4.7.3-1, MQTT-3.3.2-2] unless `empty_ok` says an empty one
/// may stand (the caller decides that later for PUBLISH).
#[inline(always)]
fn topic_name(raw: &[u8]) -> Result<(&str, bool), DecodeError> {
    // one pass over short ASCII names settles UTF-8, U+0000 and wildcards
    if scan::plain_ascii_name(raw) {
        let s = core::str::from_utf8(raw).map_err(|_| DecodeError::InvalidUtf8)?;
        Ok((s, true))
    } else {
        Ok((read_utf8(raw)?, false))
    }
}

impl<'a> Packet<'a> {
    /// Decodes like [`Packet::decode`] with the limits and policies of
    /// `options`: a packet larger than [`DecodeOptions::max_packet_size`]
    /// is an error as soon as its fixed header is read.
    pub fn decode_with(
        buf: &'a [u8],
        version: ProtocolVersion,
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        let decoded = Self::decode_up_to(buf, version, options.max_packet_size)?;
        if let Decoded::Complete { item, .. } = &decoded {
            if options.strict_strings && !item.strings_pass(&|s: &str| !s.chars().any(discouraged))
            {
                return Err(DecodeError::DiscouragedCharacter);
            }
            if options.strict_reason_codes {
                if version == ProtocolVersion::V5 {
                    item.reason_codes_defined()?;
                } else if let Self::Connack(c) = item {
                    if c.reason_code.0 > 5 {
                        return Err(DecodeError::ReservedReturnCode(c.reason_code.0));
                    }
                }
            }
            if options.check_payload_format {
                item.payload_format_kept()?;
            }
        }
        Ok(decoded)
    }

    /// [`DecodeOptions::check_payload_format`]: a payload marked UTF-8 by
    /// its Payload Format Indicator is UTF-8.
    fn payload_format_kept(&self) -> Result<(), DecodeError> {
        let (properties, payload) = match self {
            Self::Publish(p) => (&p.properties, p.payload),
            Self::Connect(Connect { will: Some(w), .. }) => (&w.properties, w.payload),
            _ => return Ok(()),
        };
        let utf8 = matches!(
            properties.get(0x01),
            Some(Property::PayloadFormatIndicator(1))
        );
        if utf8 && core::str::from_utf8(payload).is_err() {
            return Err(DecodeError::PayloadFormatInvalid);
        }
        Ok(())
    }

    /// [`DecodeOptions::strict_reason_codes`]: every reason code of an MQTT
    /// 5 packet is one its packet type defines.
    fn reason_codes_defined(&self) -> Result<(), DecodeError> {
        let packet_type = self.packet_type();
        let check = |code: u8| {
            if ReasonCode(code).is_defined_for(packet_type) {
                Ok(())
            } else {
                Err(DecodeError::UndefinedReasonCode { packet_type, code })
            }
        };
        match self {
            Self::Connack(c) => check(c.reason_code.0),
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a) => {
                check(a.reason_code.0)
            }
            Self::Suback(s) => s.reason_codes.iter().try_for_each(|&c| check(c)),
            Self::Unsuback(u) => u.reason_codes.iter().try_for_each(|&c| check(c)),
            Self::Disconnect(d) | Self::Auth(d) => check(d.reason_code.0),
            _ => Ok(()),
        }
    }

    /// Whether every UTF-8 string of the packet passes `ok`.
    fn strings_pass(&self, ok: &dyn Fn(&str) -> bool) -> bool {
        let props_ok = |p: &Properties<'_>| {
            p.iter().all(|p| match p.value() {
                PropertyValue::Str(s) => ok(s),
                PropertyValue::Pair(k, v) => ok(k) && ok(v),
                _ => true,
            })
        };
        match self {
            Self::Connect(c) => {
                props_ok(&c.properties)
                    && ok(c.client_id)
                    && c.username.map_or(true, ok)
                    && c.will
                        .map_or(true, |w| ok(w.topic) && props_ok(&w.properties))
            }
            Self::Connack(c) => props_ok(&c.properties),
            Self::Publish(p) => ok(p.topic) && props_ok(&p.properties),
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a) => {
                props_ok(&a.properties)
            }
            Self::Subscribe(s) => {
                props_ok(&s.properties) && s.subscriptions.iter().all(|x| ok(x.filter))
            }
            Self::Suback(s) => props_ok(&s.properties),
            Self::Unsubscribe(u) => props_ok(&u.properties) && u.filters.iter().all(ok),
            Self::Unsuback(u) => props_ok(&u.properties),
            Self::Disconnect(d) | Self::Auth(d) => props_ok(&d.properties),
            Self::Pingreq | Self::Pingresp => true,
        }
    }

    /// Decodes the packet at the front of `buf`, with the defaults of
    /// [`DecodeOptions::new`]: any packet MQTT can carry
    /// ([`MAX_PACKET_SIZE`]), the lenient policies. Use
    /// [`Packet::decode_with`] for a smaller maximum packet size or the
    /// strict policies.
    ///
    /// `version` is the version of the connection; a CONNECT names its own
    /// version and decodes whatever `version` says. A strict prefix of a
    /// packet is [`Decoded::Incomplete`], never an error.
    ///
    /// ```
    /// use mqtt_codec::wire::{Packet, ProtocolVersion};
    /// use mqtt_codec::Decoded;
    ///
    /// let pingreq_and_more = [0xc0, 0x00, 0xe0];
    /// let decoded = Packet::decode(&pingreq_and_more, ProtocolVersion::V3_1_1).unwrap();
    /// assert_eq!(decoded, Decoded::Complete { item: Packet::Pingreq, consumed: 2 });
    /// assert!(!Packet::decode(&[0xe0], ProtocolVersion::V3_1_1).unwrap().is_complete());
    /// ```
    #[inline]
    pub fn decode(buf: &'a [u8], version: ProtocolVersion) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_up_to(buf, version, MAX_PACKET_SIZE)
    }

    /// [`Packet::decode`] refusing packets larger than `max_packet_size`
    /// (the whole packet, fixed header included) as soon as the fixed
    /// header is read.
    #[inline(always)]
    fn decode_up_to(
        buf: &'a [u8],
        version: ProtocolVersion,
        max_packet_size: usize,
    ) -> Result<Decoded<Self>, DecodeError> {
        // the common case first: a remaining length below 128
        let (first, header_len, size) = match *buf {
            [first, len, ..] if len < 0x80 => (first, 2, 2 + usize::from(len)),
            _ => match FixedHeader::decode(buf)? {
                Decoded::Complete { item, .. } => {
                    (item.first_byte, item.header_len, item.packet_len())
                }
                Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
            },
        };
        if size > max_packet_size {
            return Err(DecodeError::PacketTooLarge {
                size,
                max: max_packet_size,
            });
        }
        let ty = first >> 4;
        let flags = first & 0x0f;
        if ty == 3 {
            // PUBLISH: the flags are DUP, QoS and RETAIN
            if flags & 0b0110 == 0b0110 {
                return Err(DecodeError::InvalidQoS);
            }
            if flags & 0b1110 == 0b1000 {
                return Err(DecodeError::DupWithQoS0);
            }
        } else if ty == 0 || (ty == 15 && !version.is_v5()) {
            return Err(DecodeError::InvalidPacketType(ty));
        } else if flags != required_flags(ty) {
            return Err(DecodeError::ReservedFlags {
                packet_type: ty,
                flags,
            });
        }
        let Some(body) = buf.get(header_len..size) else {
            return Ok(Decoded::needs(size - buf.len()));
        };
        if ty == 3 {
            return Ok(Decoded::Complete {
                item: Self::Publish(decode_publish(flags, body, version)?),
                consumed: size,
            });
        }
        Self::decode_other(ty, body, version, size)
    }

    /// Every packet type but PUBLISH, `size` bytes in all.
    fn decode_other(
        ty: u8,
        body: &'a [u8],
        v: ProtocolVersion,
        size: usize,
    ) -> Result<Decoded<Self>, DecodeError> {
        let mut r = Cursor::new(body);
        // each packet is built where it is returned (no copy of the whole
        // enum), after the fields were found to fill the packet exactly
        macro_rules! done {
            ($packet:expr) => {{
                r.end()?;
                Ok(Decoded::Complete {
                    item: $packet,
                    consumed: size,
                })
            }};
        }
        match ty {
            1 => decode_connect(r, size),
            2 => {
                let f = r.u8("CONNACK flags")?;
                if f & 0xfe != 0 {
                    return Err(DecodeError::ConnackReservedFlags);
                }
                let reason_code = ReasonCode(r.u8("CONNACK reason code")?);
                let properties = props(&mut r, v, ctx::CONNACK)?;
                done!(Self::Connack(Connack {
                    session_present: f & 1 != 0,
                    reason_code,
                    properties,
                }))
            }
            4..=7 => {
                let mut ack = Ack::new(r.pid()?);
                // MQTT 5: reason code and properties may be left out
                if v.is_v5() && !r.is_empty() {
                    ack.reason_code = ReasonCode(r.u8("reason code")?);
                    if !r.is_empty() {
                        ack.properties = read_properties(&mut r, ctx::ACK)?;
                    }
                }
                match ty {
                    4 => done!(Self::Puback(ack)),
                    5 => done!(Self::Pubrec(ack)),
                    6 => done!(Self::Pubrel(ack)),
                    _ => done!(Self::Pubcomp(ack)),
                }
            }
            8 => {
                let s = decode_subscribe(&mut r, v)?;
                done!(Self::Subscribe(s))
            }
            9 => {
                let packet_id = r.pid()?;
                let properties = props(&mut r, v, ctx::SUBACK)?;
                let reason_codes = r.rest();
                if !v.is_v5() {
                    if let Some(&c) = reason_codes.iter().find(|c| !matches!(c, 0 | 1 | 2 | 0x80)) {
                        return Err(DecodeError::InvalidSubackCode(c));
                    }
                }
                done!(Self::Suback(Suback {
                    packet_id,
                    properties,
                    reason_codes,
                }))
            }
            10 => {
                let u = decode_unsubscribe(&mut r, v)?;
                done!(Self::Unsubscribe(u))
            }
            11 => {
                let packet_id = r.pid()?;
                let properties = props(&mut r, v, ctx::UNSUBACK)?;
                let reason_codes = if v.is_v5() { r.rest() } else { &[] };
                done!(Self::Unsuback(Unsuback {
                    packet_id,
                    properties,
                    reason_codes,
                }))
            }
            12 => done!(Self::Pingreq),
            13 => done!(Self::Pingresp),
            14 | 15 => {
                let mut d = Disconnect::default();
                // MQTT 5: reason code and properties may be left out
                if v.is_v5() && !r.is_empty() {
                    d.reason_code = ReasonCode(r.u8("reason code")?);
                    if !r.is_empty() {
                        let place = if ty == 14 { ctx::DISCONNECT } else { ctx::AUTH };
                        d.properties = read_properties(&mut r, place)?;
                    }
                }
                if ty == 14 {
                    done!(Self::Disconnect(d))
                } else {
                    done!(Self::Auth(d))
                }
            }
            _ => Err(DecodeError::InvalidPacketType(ty)),
        }
    }
}

/// PUBLISH (the fixed header's flags already checked).
#[inline(always)]
fn decode_publish(flags: u8, body: &[u8], v: ProtocolVersion) -> Result<Publish<'_>, DecodeError> {
    let mut r = Cursor::new(body);
    let qos = match (flags >> 1) & 3 {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        2 => QoS::ExactlyOnce,
        _ => return Err(DecodeError::InvalidQoS),
    };
    let (topic, plain) = topic_name(r.bin("topic name")?)?;
    let packet_id = if qos == QoS::AtMostOnce {
        None
    } else {
        Some(r.pid()?)
    };
    let properties = props(&mut r, v, ctx::PUBLISH)?;
    if topic.is_empty() {
        // only a MQTT 5 Topic Alias may stand in for the topic name
        if !(v.is_v5() && properties.get(0x23).is_some()) {
            return Err(TopicError::Empty.into());
        }
    } else if !plain {
        validate_name_bytes(topic.as_bytes())?;
    }
    Ok(Publish {
        dup: flags & 8 != 0,
        qos,
        retain: flags & 1 != 0,
        topic,
        packet_id,
        properties,
        payload: r.rest(),
    })
}

/// A topic filter field: a valid string [MQTT-1.5.4-1/2], checked in the
/// same pass that finds the first misplaced wildcard (reported later by
/// [`filter_rules`], after the subscription options).
#[inline(always)]
fn check_filter(filter: &[u8]) -> Result<Option<usize>, DecodeError> {
    let found = scan::scan_filter(filter, |i| wildcard_fits(filter, i));
    if !found.plain {
        check_utf8(filter)?;
    }
    Ok(found.bad_wildcard)
}

/// The topic filter rules for a filter that passed [`check_filter`]:
/// non-empty [MQTT-4.7.3-1], wildcards on whole levels [MQTT-4.7.1-1/2].
#[inline(always)]
fn filter_rules(filter: &[u8], bad_wildcard: Option<usize>) -> Result<(), DecodeError> {
    if filter.is_empty() {
        return Err(TopicError::Empty.into());
    }
    Ok(wildcard_error(filter, bad_wildcard)?)
}

fn decode_subscribe<'a>(
    r: &mut Cursor<'a>,
    v: ProtocolVersion,
) -> Result<Subscribe<'a>, DecodeError> {
    let packet_id = r.pid()?;
    let properties = props(r, v, ctx::SUBSCRIBE)?;
    let start = r.rest_slice();
    if start.is_empty() {
        return Err(DecodeError::EmptySubscribe);
    }
    while !r.is_empty() {
        let filter = r.bin("topic filter")?;
        let bad_wildcard = check_filter(filter)?;
        let options = SubscriptionOptions::parse(r.u8("subscription options")?, v)?;
        filter_rules(filter, bad_wildcard)?;
        if v.is_v5() && check_shared_bytes(filter)? && options.no_local {
            return Err(DecodeError::NoLocalOnShared);
        }
    }
    let checked = if v.is_v5() {
        ctx::LIST_V5
    } else {
        ctx::LIST_V3
    };
    Ok(Subscribe {
        packet_id,
        properties,
        subscriptions: List::checked(start, checked),
    })
}

fn decode_unsubscribe<'a>(
    r: &mut Cursor<'a>,
    v: ProtocolVersion,
) -> Result<Unsubscribe<'a>, DecodeError> {
    let packet_id = r.pid()?;
    let properties = props(r, v, ctx::UNSUBSCRIBE)?;
    let start = r.rest_slice();
    if start.is_empty() {
        return Err(DecodeError::EmptyUnsubscribe);
    }
    while !r.is_empty() {
        let filter = r.bin("topic filter")?;
        let bad_wildcard = check_filter(filter)?;
        filter_rules(filter, bad_wildcard)?;
        if v.is_v5() {
            check_shared_bytes(filter)?;
        }
    }
    let checked = if v.is_v5() {
        ctx::LIST_V5
    } else {
        ctx::LIST_V3
    };
    Ok(Unsubscribe {
        packet_id,
        properties,
        filters: List::checked(start, checked),
    })
}

/// CONNECT, `size` bytes in all, built where it is returned.
#[inline(always)]
fn decode_connect(mut r: Cursor<'_>, size: usize) -> Result<Decoded<Packet<'_>>, DecodeError> {
    let r = &mut r;
    let name = r.bin("protocol name")?;
    let level = r.u8("protocol level")?;
    let protocol = match (name, level) {
        (b"MQIsdp", 3) => ProtocolVersion::V3_1,
        (b"MQTT", 4) => ProtocolVersion::V3_1_1,
        (b"MQTT", 5) => ProtocolVersion::V5,
        (b"MQIsdp" | b"MQTT", l) => return Err(DecodeError::UnsupportedProtocolLevel(l)),
        _ => return Err(DecodeError::InvalidProtocolName),
    };
    let flags = r.u8("connect flags")?;
    if flags & 1 != 0 {
        return Err(DecodeError::ConnectReservedFlag);
    }
    let will_flag = flags & 0x04 != 0;
    let will_qos = (flags >> 3) & 3;
    let will_retain = flags & 0x20 != 0;
    if !will_flag && will_qos != 0 {
        return Err(DecodeError::WillQoSWithoutWill);
    }
    let will_qos = QoS::from_bits(will_qos).ok_or(DecodeError::InvalidWillQoS)?;
    if !will_flag && will_retain {
        return Err(DecodeError::WillRetainWithoutWill);
    }
    let has_user = flags & 0x80 != 0;
    let has_pass = flags & 0x40 != 0;
    if has_pass && !has_user && !protocol.is_v5() {
        return Err(DecodeError::PasswordWithoutUsername);
    }
    let keep_alive = r.u16("keep alive")?;
    let properties = props(r, protocol, ctx::CONNECT)?;
    let client_id = r.str("client identifier")?;
    let will = if will_flag {
        let properties = props(r, protocol, ctx::WILL)?;
        let (topic, plain) = topic_name(r.bin("will topic")?)?;
        if !plain || topic.is_empty() {
            validate_name_bytes(topic.as_bytes())?;
        }
        Some(Will {
            qos: will_qos,
            retain: will_retain,
            properties,
            topic,
            payload: r.bin("will payload")?,
        })
    } else {
        None
    };
    let username = if has_user {
        Some(r.str("user name")?)
    } else {
        None
    };
    let password = if has_pass {
        Some(r.bin("password")?)
    } else {
        None
    };
    r.end()?;
    Ok(Decoded::Complete {
        item: Packet::Connect(Connect {
            protocol,
            clean_start: flags & 0x02 != 0,
            keep_alive,
            properties,
            client_id,
            will,
            username,
            password,
        }),
        consumed: size,
    })
}
