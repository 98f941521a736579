//! `arbitrary::Arbitrary` for the wire values (feature `arbitrary`), for
//! fuzz targets and property tests.
//!
//! The values borrow from the fuzzer's input the way decoded values borrow
//! from a frame: strings, binaries and symbols are slices of the
//! [`Unstructured`] data. Only values that encode and decode back to
//! themselves are made: symbols are ASCII, delivery tags at most 32 bytes,
//! payload only on transfers, no floating-point values (NaN is not equal
//! to itself). Values held by reference in memory cannot be borrowed from
//! the input, so some fields are always absent: the maps (`fields`,
//! annotations, application properties), `Lazy` values (a transfer's
//! state, a transactional state's outcome, and the `open`, `begin` and
//! `attach` performatives, which are not generated), lists, maps and
//! arrays inside values.
//!
//! ```
//! use amqp_frame::frame::TypedFrame;
//! use amqp_frame::{DecodeOptions, Decoded};
//! use arbitrary::{Arbitrary, Unstructured};
//!
//! let seed: Vec<u8> = (0u8..=255).cycle().take(512).collect();
//! let frame = TypedFrame::arbitrary(&mut Unstructured::new(&seed)).unwrap();
//! let mut buf = vec![0u8; frame.encoded_len().unwrap()];
//! let n = frame.encode_to_slice(&mut buf).unwrap();
//! let any_size = DecodeOptions::new().max_frame_size(u32::MAX);
//! let Decoded::Complete { item, consumed } = TypedFrame::decode_with(&buf, &any_size).unwrap()
//! else {
//!     panic!("incomplete")
//! };
//! assert_eq!((item, consumed), (frame, n));
//! ```

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::frame::{FrameBody, TypedFrame};
use crate::messaging::{
    Body, DataSections, DeliveryState, Header, Message, MessageId, Modified, Outcome, Properties,
    Received, Rejected,
};
use crate::transactions::{Declared, TransactionalState};
use crate::transport::{
    Close, Detach, Disposition, End, Error, ErrorCondition, Flow, Performative, ReceiverSettleMode,
    Role, Transfer, MAX_DELIVERY_TAG,
};
use crate::types::Value;

/// A symbol: the ASCII prefix of an arbitrary string.
fn symbol<'a>(u: &mut Unstructured<'a>) -> Result<&'a str> {
    let s = <&'a str>::arbitrary(u)?;
    let n = s.bytes().position(|b| !b.is_ascii()).unwrap_or(s.len());
    Ok(&s[..n])
}

fn opt_symbol<'a>(u: &mut Unstructured<'a>) -> Result<Option<&'a str>> {
    Ok(if u.arbitrary()? {
        Some(symbol(u)?)
    } else {
        None
    })
}

impl<'a> Arbitrary<'a> for Value<'a> {
    /// A scalar value (no compound, described or floating-point value).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=18u8)? {
            0 => Value::Null,
            1 => Value::Bool(u.arbitrary()?),
            2 => Value::Ubyte(u.arbitrary()?),
            3 => Value::Ushort(u.arbitrary()?),
            4 => Value::Uint(u.arbitrary()?),
            5 => Value::Ulong(u.arbitrary()?),
            6 => Value::Byte(u.arbitrary()?),
            7 => Value::Short(u.arbitrary()?),
            8 => Value::Int(u.arbitrary()?),
            9 => Value::Long(u.arbitrary()?),
            10 => Value::Decimal32(u.arbitrary()?),
            11 => Value::Decimal64(u.arbitrary()?),
            12 => Value::Decimal128(u.arbitrary()?),
            13 => Value::Char(u.arbitrary()?),
            14 => Value::Timestamp(u.arbitrary()?),
            15 => Value::Uuid(u.arbitrary()?),
            16 => Value::Binary(u.arbitrary()?),
            17 => Value::Str(u.arbitrary()?),
            _ => Value::Symbol(symbol(u)?),
        })
    }
}

impl<'a> Arbitrary<'a> for Error<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Error {
            condition: ErrorCondition(symbol(u)?),
            description: u.arbitrary()?,
            info: None,
        })
    }
}

impl<'a> Arbitrary<'a> for Received {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self {
            section_number: u.arbitrary()?,
            section_offset: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for Rejected<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Rejected {
            error: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for Modified<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Modified {
            delivery_failed: u.arbitrary()?,
            undeliverable_here: u.arbitrary()?,
            message_annotations: None,
        })
    }
}

impl<'a> Arbitrary<'a> for Declared<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Declared {
            txn_id: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for Outcome<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=4u8)? {
            0 => Outcome::Accepted,
            1 => Outcome::Rejected(u.arbitrary()?),
            2 => Outcome::Released,
            3 => Outcome::Modified(u.arbitrary()?),
            _ => Outcome::Declared(u.arbitrary()?),
        })
    }
}

impl<'a> Arbitrary<'a> for DeliveryState<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=2u8)? {
            0 => DeliveryState::Received(u.arbitrary()?),
            1 => DeliveryState::Transactional(TransactionalState {
                txn_id: u.arbitrary()?,
                outcome: None,
            }),
            _ => Outcome::arbitrary(u)?.into(),
        })
    }
}

impl<'a> Arbitrary<'a> for Flow<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Flow {
            next_incoming_id: u.arbitrary()?,
            incoming_window: u.arbitrary()?,
            next_outgoing_id: u.arbitrary()?,
            outgoing_window: u.arbitrary()?,
            handle: u.arbitrary()?,
            delivery_count: u.arbitrary()?,
            link_credit: u.arbitrary()?,
            available: u.arbitrary()?,
            drain: u.arbitrary()?,
            echo: u.arbitrary()?,
            properties: None,
        })
    }
}

impl<'a> Arbitrary<'a> for Transfer<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let tag: Option<&'a [u8]> = u.arbitrary()?;
        Ok(Transfer {
            handle: u.arbitrary()?,
            delivery_id: u.arbitrary()?,
            delivery_tag: tag.map(|t| &t[..t.len().min(MAX_DELIVERY_TAG)]),
            message_format: u.arbitrary()?,
            settled: u.arbitrary()?,
            more: u.arbitrary()?,
            rcv_settle_mode: u.arbitrary::<Option<u8>>()?.map(ReceiverSettleMode),
            state: None,
            resume: u.arbitrary()?,
            aborted: u.arbitrary()?,
            batchable: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for Disposition<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Disposition {
            role: if u.arbitrary()? {
                Role::Receiver
            } else {
                Role::Sender
            },
            first: u.arbitrary()?,
            last: u.arbitrary()?,
            settled: u.arbitrary()?,
            state: u.arbitrary()?,
            batchable: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for Performative<'a> {
    /// `flow`, `transfer`, `disposition`, `detach`, `end` or `close` (the
    /// other three are held lazily and cannot borrow from the input).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=5u8)? {
            0 => Performative::Flow(u.arbitrary()?),
            1 => Performative::Transfer(u.arbitrary()?),
            2 => Performative::Disposition(u.arbitrary()?),
            3 => Performative::Detach(Detach {
                handle: u.arbitrary()?,
                closed: u.arbitrary()?,
                error: u.arbitrary()?,
            }),
            4 => Performative::End(End {
                error: u.arbitrary()?,
            }),
            _ => Performative::Close(Close {
                error: u.arbitrary()?,
            }),
        })
    }
}

impl<'a> Arbitrary<'a> for TypedFrame<'a> {
    /// A heartbeat or an AMQP frame; only a transfer carries payload bytes.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let channel = u.arbitrary()?;
        if u.ratio(1, 16)? {
            return Ok(TypedFrame {
                channel,
                body: FrameBody::Heartbeat,
            });
        }
        let performative: Performative<'a> = u.arbitrary()?;
        let payload = match performative {
            Performative::Transfer(_) => u.arbitrary()?,
            _ => &[][..],
        };
        Ok(TypedFrame::amqp(channel, performative, payload))
    }
}

impl<'a> Arbitrary<'a> for Header {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self {
            durable: u.arbitrary()?,
            priority: u.arbitrary()?,
            ttl: u.arbitrary()?,
            first_acquirer: u.arbitrary()?,
            delivery_count: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for MessageId<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=3u8)? {
            0 => MessageId::Ulong(u.arbitrary()?),
            1 => MessageId::Uuid(u.arbitrary()?),
            2 => MessageId::Binary(u.arbitrary()?),
            _ => MessageId::Str(u.arbitrary()?),
        })
    }
}

impl<'a> Arbitrary<'a> for Properties<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Properties {
            message_id: u.arbitrary()?,
            user_id: u.arbitrary()?,
            to: u.arbitrary()?,
            subject: u.arbitrary()?,
            reply_to: u.arbitrary()?,
            correlation_id: u.arbitrary()?,
            content_type: opt_symbol(u)?,
            content_encoding: opt_symbol(u)?,
            absolute_expiry_time: u.arbitrary()?,
            creation_time: u.arbitrary()?,
            group_id: u.arbitrary()?,
            group_sequence: u.arbitrary()?,
            reply_to_group_id: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for Body<'a> {
    /// One data section or an amqp-value holding a scalar.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.arbitrary()? {
            Body::Data(DataSections::one(u.arbitrary()?))
        } else {
            Body::Value(u.arbitrary()?)
        })
    }
}

impl<'a> Arbitrary<'a> for Message<'a> {
    /// A message with or without header, properties and body (the map
    /// sections are left out).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Message {
            header: u.arbitrary()?,
            properties: u.arbitrary()?,
            body: u.arbitrary()?,
            ..Message::default()
        })
    }
}
