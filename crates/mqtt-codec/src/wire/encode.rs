//! Encoding: one pass validates every field and sums the sizes, the room is
//! checked once, a second pass writes (without checking anything again).

use super::{Connect, Packet, ProtocolVersion, Publish, QoS, ReasonCode, RetainHandling};
use crate::error::EncodeError;
use crate::primitives::{check_bin, check_str, put_vbi, required_flags, vbi_len, MAX_VBI};
use crate::props::{ctx, properties_len, write_properties, Properties};
use crate::scan;
use crate::sink::{Sink, SliceSink};
use crate::topic::{check_shared_bytes, validate_filter_bytes, validate_name_bytes};

/// Length of the properties field (length prefix included), or an error if
/// `v` cannot carry non-empty properties.
#[inline(always)]
fn props_field_len(
    p: &Properties<'_>,
    v: ProtocolVersion,
    place: u16,
) -> Result<usize, EncodeError> {
    if !v.is_v5() {
        return if p.is_empty() {
            Ok(0)
        } else {
            Err(EncodeError::NotInVersion("properties"))
        };
    }
    let len = properties_len(p, place)?;
    Ok(vbi_len(len as u32) + len)
}

/// Writes the properties field that [`props_field_len`] accepted.
#[inline(always)]
fn put_props<S: Sink>(w: &mut S, p: &Properties<'_>, v: ProtocolVersion) {
    if v.is_v5() {
        write_properties(w, p);
    }
}

#[inline(always)]
fn pid_ok(pid: u16) -> Result<(), EncodeError> {
    if pid == 0 {
        Err(EncodeError::InvalidPacketId)
    } else {
        Ok(())
    }
}

/// How an acknowledgement-like packet is laid out in MQTT 5.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Short {
    /// Nothing after the fixed fields (reason success, no properties).
    Bare,
    /// Reason code only.
    Reason,
    /// Reason code and properties.
    Full,
}

#[inline(always)]
fn short_form(reason: ReasonCode, props: &Properties<'_>) -> Short {
    if !props.is_empty() {
        Short::Full
    } else if reason == ReasonCode::SUCCESS {
        Short::Bare
    } else {
        Short::Reason
    }
}

/// The whole packet size for a remaining length of `body`.
#[inline(always)]
fn total_len(body: usize) -> Result<usize, EncodeError> {
    if body > MAX_VBI as usize {
        return Err(EncodeError::PacketTooLarge(body));
    }
    Ok(1 + vbi_len(body as u32) + body)
}

/// The marker of a topic filter list validated for version `v`.
#[inline(always)]
fn list_marker(v: ProtocolVersion) -> u16 {
    if v.is_v5() {
        ctx::LIST_V5
    } else {
        ctx::LIST_V3
    }
}

impl Packet<'_> {
    /// The packet type (1..=15).
    pub fn packet_type(&self) -> u8 {
        match self {
            Self::Connect(_) => 1,
            Self::Connack(_) => 2,
            Self::Publish(_) => 3,
            Self::Puback(_) => 4,
            Self::Pubrec(_) => 5,
            Self::Pubrel(_) => 6,
            Self::Pubcomp(_) => 7,
            Self::Subscribe(_) => 8,
            Self::Suback(_) => 9,
            Self::Unsubscribe(_) => 10,
            Self::Unsuback(_) => 11,
            Self::Pingreq => 12,
            Self::Pingresp => 13,
            Self::Disconnect(_) => 14,
            Self::Auth(_) => 15,
        }
    }

    /// The packet type's name, e.g. `"PUBLISH"`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Connect(_) => "CONNECT",
            Self::Connack(_) => "CONNACK",
            Self::Publish(_) => "PUBLISH",
            Self::Puback(_) => "PUBACK",
            Self::Pubrec(_) => "PUBREC",
            Self::Pubrel(_) => "PUBREL",
            Self::Pubcomp(_) => "PUBCOMP",
            Self::Subscribe(_) => "SUBSCRIBE",
            Self::Suback(_) => "SUBACK",
            Self::Unsubscribe(_) => "UNSUBSCRIBE",
            Self::Unsuback(_) => "UNSUBACK",
            Self::Pingreq => "PINGREQ",
            Self::Pingresp => "PINGRESP",
            Self::Disconnect(_) => "DISCONNECT",
            Self::Auth(_) => "AUTH",
        }
    }

    #[inline(always)]
    fn first_byte(&self) -> u8 {
        match self {
            Self::Publish(p) => publish_first_byte(p),
            _ => self.packet_type() << 4 | required_flags(self.packet_type()),
        }
    }

    /// The remaining length, validating every field.
    fn body_len(&self, v: ProtocolVersion) -> Result<usize, EncodeError> {
        Ok(match self {
            Self::Publish(p) => publish_len(p, v)?,
            Self::Connect(c) => connect_len(c)?,
            Self::Connack(c) => 2 + props_field_len(&c.properties, v, ctx::CONNACK)?,
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a) => {
                pid_ok(a.packet_id)?;
                if v.is_v5() {
                    match short_form(a.reason_code, &a.properties) {
                        Short::Bare => 2,
                        Short::Reason => 3,
                        Short::Full => 3 + props_field_len(&a.properties, v, ctx::ACK)?,
                    }
                } else if a.reason_code != ReasonCode::SUCCESS || !a.properties.is_empty() {
                    return Err(EncodeError::NotInVersion("reason code"));
                } else {
                    2
                }
            }
            Self::Subscribe(s) => {
                pid_ok(s.packet_id)?;
                let mut n = 2 + props_field_len(&s.properties, v, ctx::SUBSCRIBE)?;
                if s.subscriptions.is_empty() {
                    return Err(EncodeError::Invalid("SUBSCRIBE without subscriptions"));
                }
                if let Some(raw) = s.subscriptions.raw_checked_for(list_marker(v)) {
                    // decoded in this version: checked then
                    return Ok(n + raw.len());
                }
                for sub in s.subscriptions.iter() {
                    let filter = sub.filter.as_bytes();
                    validate_filter_bytes(filter)?;
                    let o = sub.options;
                    if !v.is_v5()
                        && (o.no_local
                            || o.retain_as_published
                            || o.retain_handling != RetainHandling::SendAtSubscribe)
                    {
                        return Err(EncodeError::NotInVersion("subscription options"));
                    }
                    if v.is_v5() && check_shared_bytes(filter)? && o.no_local {
                        return Err(EncodeError::Invalid("No Local on a shared subscription"));
                    }
                    n += check_bin(filter)? + 1;
                }
                n
            }
            Self::Suback(s) => {
                pid_ok(s.packet_id)?;
                if !v.is_v5()
                    && s.reason_codes
                        .iter()
                        .any(|c| !matches!(c, 0 | 1 | 2 | 0x80))
                {
                    return Err(EncodeError::NotInVersion("SUBACK reason code"));
                }
                2 + props_field_len(&s.properties, v, ctx::SUBACK)? + s.reason_codes.len()
            }
            Self::Unsubscribe(u) => {
                pid_ok(u.packet_id)?;
                let mut n = 2 + props_field_len(&u.properties, v, ctx::UNSUBSCRIBE)?;
                if u.filters.is_empty() {
                    return Err(EncodeError::Invalid("UNSUBSCRIBE without filters"));
                }
                if let Some(raw) = u.filters.raw_checked_for(list_marker(v)) {
                    return Ok(n + raw.len());
                }
                for f in u.filters.iter() {
                    validate_filter_bytes(f.as_bytes())?;
                    if v.is_v5() {
                        check_shared_bytes(f.as_bytes())?;
                    }
                    n += check_bin(f.as_bytes())?;
                }
                n
            }
            Self::Unsuback(u) => {
                pid_ok(u.packet_id)?;
                if !v.is_v5() && !u.reason_codes.is_empty() {
                    return Err(EncodeError::NotInVersion("UNSUBACK reason codes"));
                }
                2 + props_field_len(&u.properties, v, ctx::UNSUBACK)? + u.reason_codes.len()
            }
            Self::Pingreq | Self::Pingresp => 0,
            Self::Disconnect(d) | Self::Auth(d) => {
                let place = if matches!(self, Self::Auth(_)) {
                    if !v.is_v5() {
                        return Err(EncodeError::NotInVersion("AUTH"));
                    }
                    ctx::AUTH
                } else {
                    ctx::DISCONNECT
                };
                if v.is_v5() {
                    match short_form(d.reason_code, &d.properties) {
                        Short::Bare => 0,
                        Short::Reason => 1,
                        Short::Full => 1 + props_field_len(&d.properties, v, place)?,
                    }
                } else if d.reason_code != ReasonCode::SUCCESS || !d.properties.is_empty() {
                    return Err(EncodeError::NotInVersion("reason code"));
                } else {
                    0
                }
            }
        })
    }

    /// The whole encoded size in protocol version `version` (a CONNECT uses
    /// its own version), checking that every field can be encoded.
    pub fn encoded_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        total_len(self.body_len(version)?)
    }

    /// Encodes into the front of `out` and returns the bytes written.
    ///
    /// Every field is checked before anything is written; when `out` is too
    /// small the error says how many bytes the packet needs and nothing is
    /// written.
    // Inlined into the caller: the PUBLISH path and the fixed-size packets
    // are short, and a call (with a `Result` returned through memory) costs
    // a fifth of the time of encoding a small PUBLISH. Everything else is
    // one call away.
    #[inline(always)]
    pub fn encode_to_slice(
        &self,
        version: ProtocolVersion,
        out: &mut [u8],
    ) -> Result<usize, EncodeError> {
        match self {
            // the hot path, kept small
            Self::Publish(p) => {
                let body = publish_len(p, version)?;
                let total = total_len(body)?;
                let Some(out) = out.get_mut(..total) else {
                    return Err(EncodeError::BufferTooSmall { required: total });
                };
                let mut w = SliceSink::new(out);
                write_publish(p, version, body, &mut w);
                finish(w.filled(), total, self)
            }
            // fixed-size packets: PINGREQ, PINGRESP, and acknowledgements
            // in their shortest form (every version)
            Self::Pingreq | Self::Pingresp => match out {
                [b0, b1, ..] => {
                    *b0 = self.first_byte();
                    *b1 = 0;
                    Ok(2)
                }
                _ => Err(EncodeError::BufferTooSmall { required: 2 }),
            },
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a)
                if a.reason_code == ReasonCode::SUCCESS && a.properties.is_empty() =>
            {
                pid_ok(a.packet_id)?;
                let Some((head, rest)) = out.split_first_chunk_mut::<2>() else {
                    return Err(EncodeError::BufferTooSmall { required: 4 });
                };
                let Some(id) = rest.first_chunk_mut::<2>() else {
                    return Err(EncodeError::BufferTooSmall { required: 4 });
                };
                *head = [self.first_byte(), 2];
                *id = a.packet_id.to_be_bytes();
                Ok(4)
            }
            _ => self.encode_other_to_slice(version, out),
        }
    }

    /// [`Packet::encode_to_slice`] for every type but PUBLISH.
    #[inline(never)]
    fn encode_other_to_slice(
        &self,
        version: ProtocolVersion,
        out: &mut [u8],
    ) -> Result<usize, EncodeError> {
        if let Self::Connect(c) = self {
            // its own short path: no dispatch on the type in between
            let body = connect_len(c)?;
            let total = total_len(body)?;
            let Some(out) = out.get_mut(..total) else {
                return Err(EncodeError::BufferTooSmall { required: total });
            };
            let mut w = SliceSink::new(out);
            w.put_u8(0x10);
            put_vbi(&mut w, body as u32);
            write_connect(c, &mut w);
            return finish(w.filled(), total, self);
        }
        let body = self.body_len(version)?;
        let total = total_len(body)?;
        let Some(out) = out.get_mut(..total) else {
            return Err(EncodeError::BufferTooSmall { required: total });
        };
        let mut w = SliceSink::new(out);
        self.write(version, body, &mut w);
        finish(w.filled(), total, self)
    }

    /// Appends the encoding to `out` and returns the bytes written. Nothing
    /// is written when a field cannot be encoded or `out` has less room than
    /// the packet needs.
    #[cfg(feature = "alloc")]
    pub fn encode<B: bytes::BufMut>(
        &self,
        version: ProtocolVersion,
        out: &mut B,
    ) -> Result<usize, EncodeError> {
        // fixed-size packets in one write, as in `encode_to_slice`
        let fixed = match self {
            Self::Pingreq | Self::Pingresp => Some([self.first_byte(), 0, 0, 0]),
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a)
                if a.reason_code == ReasonCode::SUCCESS && a.properties.is_empty() =>
            {
                pid_ok(a.packet_id)?;
                let [hi, lo] = a.packet_id.to_be_bytes();
                Some([self.first_byte(), 2, hi, lo])
            }
            _ => None,
        };
        if let Some(bytes) = fixed {
            let n = 2 + usize::from(bytes[1]);
            if out.remaining_mut() < n {
                return Err(EncodeError::BufferTooSmall { required: n });
            }
            out.put_slice(bytes.get(..n).unwrap_or_default());
            return Ok(n);
        }
        let body = self.body_len(version)?;
        let total = total_len(body)?;
        if out.remaining_mut() < total {
            return Err(EncodeError::BufferTooSmall { required: total });
        }
        // Small packets are put together on the stack and handed to `out`
        // in one piece: `BufMut` writes cost more than slice writes, each
        // one checking and advancing `out`.
        if total <= 64 {
            return self.staged::<64, B>(version, body, total, out);
        }
        if total <= 256 {
            return self.staged::<256, B>(version, body, total, out);
        }
        let mut w = crate::sink::BufSink::new(out, total);
        self.write(version, body, &mut w);
        finish(w.filled(), total, self)
    }

    /// [`Packet::encode`] through a stack buffer of `N` bytes.
    #[cfg(feature = "alloc")]
    #[inline(always)]
    fn staged<const N: usize, B: bytes::BufMut>(
        &self,
        version: ProtocolVersion,
        body: usize,
        total: usize,
        out: &mut B,
    ) -> Result<usize, EncodeError> {
        let mut stage = [0u8; N];
        let Some(stage) = stage.get_mut(..total) else {
            return Err(EncodeError::BufferTooSmall { required: total });
        };
        let mut w = SliceSink::new(stage);
        self.write(version, body, &mut w);
        finish(w.filled(), total, self)?;
        out.put_slice(stage);
        Ok(total)
    }

    /// Encodes into a new vector.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self, version: ProtocolVersion) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let body = self.body_len(version)?;
        let total = total_len(body)?;
        let mut out = alloc::vec::Vec::with_capacity(total);
        self.write(version, body, &mut out);
        finish(out.len() == total, total, self).map(|_| out)
    }

    /// Writes a packet [`Packet::body_len`] accepted, whose remaining length
    /// is `body`.
    #[inline(always)]
    fn write<S: Sink>(&self, v: ProtocolVersion, body: usize, w: &mut S) {
        match self {
            Self::Publish(p) => write_publish(p, v, body, w),
            _ => {
                w.put_u8(self.first_byte());
                put_vbi(w, body as u32);
                self.write_other(v, w);
            }
        }
    }

    /// [`Packet::write`] for every type but PUBLISH.
    #[inline(always)]
    fn write_other<S: Sink>(&self, v: ProtocolVersion, w: &mut S) {
        match self {
            Self::Publish(_) => {}
            Self::Connect(c) => write_connect(c, w),
            Self::Connack(c) => {
                w.put_u8(u8::from(c.session_present));
                w.put_u8(c.reason_code.0);
                put_props(w, &c.properties, v);
            }
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a) => {
                w.put_u16(a.packet_id);
                if v.is_v5() {
                    let form = short_form(a.reason_code, &a.properties);
                    if form != Short::Bare {
                        w.put_u8(a.reason_code.0);
                    }
                    if form == Short::Full {
                        write_properties(w, &a.properties);
                    }
                }
            }
            Self::Subscribe(s) => {
                w.put_u16(s.packet_id);
                put_props(w, &s.properties, v);
                if let Some(raw) = s.subscriptions.raw_checked_for(list_marker(v)) {
                    w.put(raw);
                } else {
                    for sub in s.subscriptions.iter() {
                        w.put_prefixed(sub.filter.as_bytes());
                        w.put_u8(sub.options.byte());
                    }
                }
            }
            Self::Suback(s) => {
                w.put_u16(s.packet_id);
                put_props(w, &s.properties, v);
                w.put(s.reason_codes);
            }
            Self::Unsubscribe(u) => {
                w.put_u16(u.packet_id);
                put_props(w, &u.properties, v);
                if let Some(raw) = u.filters.raw_checked_for(list_marker(v)) {
                    w.put(raw);
                } else {
                    for f in u.filters.iter() {
                        w.put_prefixed(f.as_bytes());
                    }
                }
            }
            Self::Unsuback(u) => {
                w.put_u16(u.packet_id);
                put_props(w, &u.properties, v);
                w.put(u.reason_codes);
            }
            Self::Pingreq | Self::Pingresp => {}
            Self::Disconnect(d) | Self::Auth(d) => {
                if v.is_v5() {
                    let form = short_form(d.reason_code, &d.properties);
                    if form != Short::Bare {
                        w.put_u8(d.reason_code.0);
                    }
                    if form == Short::Full {
                        write_properties(w, &d.properties);
                    }
                }
            }
        }
    }
}

/// The result of an encode whose writes `filled` the announced `total`
/// (they always do: sizes and writes come from the same checked packet).
#[inline(always)]
fn finish(filled: bool, total: usize, p: &Packet<'_>) -> Result<usize, EncodeError> {
    debug_assert!(filled, "{p:?}");
    let _ = p;
    if filled {
        Ok(total)
    } else {
        Err(EncodeError::BufferTooSmall { required: total })
    }
}

#[inline(always)]
fn publish_first_byte(p: &Publish<'_>) -> u8 {
    0x30 | u8::from(p.dup) << 3 | (p.qos as u8) << 1 | u8::from(p.retain)
}

/// Whether a Topic Alias stands in for an empty topic name.
#[inline(never)]
fn has_topic_alias(p: &Properties<'_>) -> bool {
    p.get(0x23).is_some()
}

/// The remaining length of a PUBLISH, validating every field.
#[inline(always)]
fn publish_len(p: &Publish<'_>, v: ProtocolVersion) -> Result<usize, EncodeError> {
    match (p.qos, p.packet_id) {
        (QoS::AtMostOnce, None) => {
            if p.dup {
                return Err(EncodeError::Invalid("DUP with QoS 0"));
            }
        }
        (QoS::AtLeastOnce | QoS::ExactlyOnce, Some(id)) => pid_ok(id)?,
        _ => return Err(EncodeError::InvalidPacketId),
    }
    let props = props_field_len(&p.properties, v, ctx::PUBLISH)?;
    let topic = p.topic.as_bytes();
    // a &str is UTF-8; a topic name holds no U+0000 and no wildcard, and
    // is empty only with a MQTT 5 Topic Alias: one quick pass passes short
    // ASCII names, anything else gets the exact rules
    let alias_only = || topic.is_empty() && v.is_v5() && has_topic_alias(&p.properties);
    if (topic.is_empty() || !scan::plain_ascii_name(topic)) && !alias_only() {
        validate_name_bytes(topic)?;
    }
    Ok(check_bin(topic)? + 2 * usize::from(p.packet_id.is_some()) + props + p.payload.len())
}

/// Writes a PUBLISH that [`publish_len`] accepted.
#[inline(always)]
fn write_publish<S: Sink>(p: &Publish<'_>, v: ProtocolVersion, body: usize, w: &mut S) {
    w.put_u8(publish_first_byte(p));
    put_vbi(w, body as u32);
    w.put_prefixed(p.topic.as_bytes());
    if let Some(id) = p.packet_id {
        w.put_u16(id);
    }
    put_props(w, &p.properties, v);
    w.put(p.payload);
}

/// The remaining length of a CONNECT, validating every field.
#[inline(always)]
fn connect_len(c: &Connect<'_>) -> Result<usize, EncodeError> {
    let topic = c.will.as_ref().map(|w| w.topic.as_bytes());
    let user = c.username.map_or(&[][..], str::as_bytes);
    if scan::connect_strings_plain(c.client_id.as_bytes(), topic, user) {
        // the string rules hold: what is left are sizes and flags
        connect_len_checking::<false>(c)
    } else {
        connect_len_exact(c)
    }
}

/// [`connect_len`] with the exact string rules, for strings that are not
/// plain ASCII (or an empty will topic).
#[inline(never)]
fn connect_len_exact(c: &Connect<'_>) -> Result<usize, EncodeError> {
    connect_len_checking::<true>(c)
}

/// [`connect_len`]; the string rules (U+0000, the will topic as a topic
/// name) are checked when `STRINGS`, and must have been when not. Every
/// error is the one of the first field that breaks a rule, either way.
#[inline(always)]
fn connect_len_checking<const STRINGS: bool>(c: &Connect<'_>) -> Result<usize, EncodeError> {
    let v = c.protocol;
    let mut n = 2 + v.protocol_name().len() + 1 + 1 + 2;
    n += props_field_len(&c.properties, v, ctx::CONNECT)?;
    n += if STRINGS {
        check_str(c.client_id)?
    } else {
        check_bin(c.client_id.as_bytes())?
    };
    if let Some(w) = &c.will {
        if STRINGS {
            validate_name_bytes(w.topic.as_bytes())?;
        }
        n += props_field_len(&w.properties, v, ctx::WILL)?;
        n += check_bin(w.topic.as_bytes())? + check_bin(w.payload)?;
    }
    if let Some(u) = c.username {
        n += if STRINGS {
            check_str(u)?
        } else {
            check_bin(u.as_bytes())?
        };
    }
    if let Some(p) = c.password {
        if c.username.is_none() && !v.is_v5() {
            return Err(EncodeError::Invalid("password without user name"));
        }
        n += check_bin(p)?;
    }
    Ok(n)
}

#[inline(always)]
fn write_connect<S: Sink>(c: &Connect<'_>, w: &mut S) {
    let v = c.protocol;
    let mut flags = u8::from(c.clean_start) << 1;
    if let Some(will) = &c.will {
        flags |= 0x04 | (will.qos as u8) << 3 | u8::from(will.retain) << 5;
    }
    if c.password.is_some() {
        flags |= 0x40;
    }
    if c.username.is_some() {
        flags |= 0x80;
    }
    let [k0, k1] = c.keep_alive.to_be_bytes();
    // protocol name, level, flags and keep alive in one write
    match v {
        ProtocolVersion::V3_1 => {
            w.put_array([0, 6, b'M', b'Q', b'I', b's', b'd', b'p', 3, flags, k0, k1])
        }
        _ => w.put_array([0, 4, b'M', b'Q', b'T', b'T', v.level(), flags, k0, k1]),
    }
    put_props(w, &c.properties, v);
    w.put_prefixed(c.client_id.as_bytes());
    if let Some(will) = &c.will {
        put_props(w, &will.properties, v);
        w.put_prefixed(will.topic.as_bytes());
        w.put_prefixed(will.payload);
    }
    if let Some(u) = c.username {
        w.put_prefixed(u.as_bytes());
    }
    if let Some(p) = c.password {
        w.put_prefixed(p);
    }
}
