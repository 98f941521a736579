//! The messaging layer's definitions (part 3): delivery states and
//! outcomes, sources and targets, and messages with their sections.
//!
//! # Messages
//!
//! A message is the bytes of a delivery: the payloads of all its transfer
//! frames, concatenated in order (a delivery split over several frames is
//! decoded from the concatenation; [`Message::decode`] does not care where
//! the frame boundaries were). It is a sequence of sections whose order
//! part 3, 3.2 fixes:
//!
//! ```text
//! [header] [delivery-annotations] [message-annotations] [properties]
//! [application-properties] body [footer]
//! body = data+ | amqp-sequence+ | amqp-value
//! ```
//!
//! Each section appears at most once (data and amqp-sequence sections may
//! repeat, but not mix), in that order; anything else is a
//! [`DecodeError::SectionOrder`]. A message without a body section decodes
//! with [`Message::body`] `None`: part 3 requires a body, but Qpid Proton
//! sends a message whose body is unset without one, so this decoder
//! accepts it.
//!
//! Decoding borrows: data sections, sequences and values stay in the input
//! and are iterated lazily; nothing is allocated.
//!
//! ```
//! use amqp_frame::messaging::{Body, DataSections, Header, Message, Properties, MessageId};
//!
//! let msg = Message {
//!     header: Some(Header { durable: Some(true), ..Header::default() }),
//!     properties: Some(Properties {
//!         message_id: Some(MessageId::Str("m-1")),
//!         subject: Some("temperature"),
//!         ..Properties::default()
//!     }),
//!     body: Some(Body::Data(DataSections::one(b"21.5"))),
//!     ..Message::default()
//! };
//! let mut buf = [0u8; 64];
//! let n = msg.encode_to_slice(&mut buf).unwrap();
//! let back = Message::decode(&buf[..n]).unwrap();
//! assert_eq!(back, msg);
//! let Some(Body::Data(d)) = back.body else { panic!() };
//! assert_eq!(d.iter().next(), Some(&b"21.5"[..]));
//! ```

use core::fmt;

use iotcodec_core::{Reader, Writer};

use crate::codec::{
    composite_api, descriptor_len, put_descriptor, put_var, read_head, read_map, var_len,
    DecodeComposite, Enc, EncodeComposite, ListReader, Visit, F,
};
use crate::error::{DecodeError, EncodeError};
use crate::restricted::{Annotations, ApplicationProperties, Fields, Symbols};
use crate::transactions::{Coordinator, Declared, TransactionalState};
use crate::transport::{from_variant, nest, Error};
use crate::types::{code, decode, Budget, Limits, List, Map, Value};

macro_rules! empty_composite {
    ($(#[$m:meta])* $t:ident, $name:literal, $code:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $t;

        impl<'a> DecodeComposite<'a> for $t {
            const NAME: &'static str = $name;
            const CODE: u64 = $code;
            fn read_fields(_: &mut ListReader<'a>) -> Result<Self, DecodeError> {
                Ok(Self)
            }
        }

        impl EncodeComposite for $t {
            const CODE: u64 = $code;
            fn visit<V: Visit>(&self, _: &mut V) -> Result<(), EncodeError> {
                Ok(())
            }
        }

        composite_api!($t);
    };
}

/// `received` (part 3, 3.4.1): how much of a delivery arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Received {
    /// The section number (mandatory).
    pub section_number: u32,
    /// The offset within it (mandatory).
    pub section_offset: u64,
}

impl<'a> DecodeComposite<'a> for Received {
    const NAME: &'static str = "received";
    const CODE: u64 = 0x23;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let n = l.uint("section-number");
        let section_number = l.required("section-number", n);
        let o = l.ulong("section-offset");
        Ok(Self {
            section_number,
            section_offset: l.required("section-offset", o),
        })
    }
}

impl EncodeComposite for Received {
    const CODE: u64 = 0x23;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Uint(self.section_number), false)?;
        v.field(F::Ulong(self.section_offset), false)
    }
}

composite_api!(Received);

empty_composite!(
    /// `accepted` (part 3, 3.4.2).
    Accepted,
    "accepted",
    0x24
);

empty_composite!(
    /// `released` (part 3, 3.4.4).
    Released,
    "released",
    0x26
);

/// `rejected` (part 3, 3.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rejected<'a> {
    /// Why.
    pub error: Option<Error<'a>>,
}

impl<'a> DecodeComposite<'a> for Rejected<'a> {
    const NAME: &'static str = "rejected";
    const CODE: u64 = 0x25;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            error: l.nested(Error::read),
        })
    }
}

impl EncodeComposite for Rejected<'_> {
    const CODE: u64 = 0x25;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(nest(&self.error), false)
    }
}

composite_api!(Rejected<'a>);

/// `modified` (part 3, 3.4.5).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Modified<'a> {
    /// Count the delivery as failed.
    pub delivery_failed: Option<bool>,
    /// Do not deliver it here again.
    pub undeliverable_here: Option<bool>,
    /// Annotations to merge into the message.
    pub message_annotations: Option<Fields<'a>>,
}

impl<'a> DecodeComposite<'a> for Modified<'a> {
    const NAME: &'static str = "modified";
    const CODE: u64 = 0x27;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            delivery_failed: l.bool("delivery-failed"),
            undeliverable_here: l.bool("undeliverable-here"),
            message_annotations: l.fields("message-annotations"),
        })
    }
}

impl EncodeComposite for Modified<'_> {
    const CODE: u64 = 0x27;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::opt(self.delivery_failed, F::Bool), false)?;
        v.field(F::opt(self.undeliverable_here, F::Bool), false)?;
        v.field(nest(&self.message_annotations), false)
    }
}

composite_api!(Modified<'a>);

/// A terminal delivery state (part 3, 3.4, and part 4's `declared`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome<'a> {
    /// `accepted`.
    Accepted,
    /// `rejected`.
    Rejected(Rejected<'a>),
    /// `released`.
    Released,
    /// `modified`.
    Modified(Modified<'a>),
    /// `declared` (a transaction coordinator's answer to `declare`).
    Declared(Declared<'a>),
}

impl<'a> Outcome<'a> {
    pub(crate) fn read(r: &mut Reader<'a>, budget: Budget) -> Result<Self, DecodeError> {
        let (code, b) = read_head(r, budget, "outcome")?;
        Ok(match code {
            Some(0x24) => {
                Accepted::read_body(r, b)?;
                Self::Accepted
            }
            Some(0x25) => Self::Rejected(Rejected::read_body(r, b)?),
            Some(0x26) => {
                Released::read_body(r, b)?;
                Self::Released
            }
            Some(0x27) => Self::Modified(Modified::read_body(r, b)?),
            Some(0x33) => Self::Declared(Declared::read_body(r, b)?),
            _ => {
                return Err(DecodeError::UnexpectedDescriptor {
                    expected: "outcome",
                })
            }
        })
    }

    fn inner(&self) -> &dyn Enc {
        match self {
            Self::Accepted => &Accepted,
            Self::Rejected(x) => x,
            Self::Released => &Released,
            Self::Modified(x) => x,
            Self::Declared(x) => x,
        }
    }
}

impl Enc for Outcome<'_> {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        self.inner().enc_len()
    }
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.inner().enc(w)
    }
    fn plan(&self) -> Result<crate::codec::Planned, EncodeError> {
        self.inner().plan()
    }
    fn enc_planned(&self, p: crate::codec::Planned, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.inner().enc_planned(p, w)
    }
}

/// The state of a delivery (part 3, 3.4; part 4, 4.5.5 and 4.5.6).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DeliveryState<'a> {
    /// `received`.
    Received(Received),
    /// `accepted`.
    Accepted,
    /// `rejected`.
    Rejected(Rejected<'a>),
    /// `released`.
    Released,
    /// `modified`.
    Modified(Modified<'a>),
    /// `declared`.
    Declared(Declared<'a>),
    /// `transactional-state`.
    Transactional(TransactionalState<'a>),
}

impl<'a> DeliveryState<'a> {
    pub(crate) fn read(r: &mut Reader<'a>, budget: Budget) -> Result<Self, DecodeError> {
        let (code, b) = read_head(r, budget, "delivery-state")?;
        Ok(match code {
            Some(0x23) => Self::Received(Received::read_body(r, b)?),
            Some(0x24) => {
                Accepted::read_body(r, b)?;
                Self::Accepted
            }
            Some(0x25) => Self::Rejected(Rejected::read_body(r, b)?),
            Some(0x26) => {
                Released::read_body(r, b)?;
                Self::Released
            }
            Some(0x27) => Self::Modified(Modified::read_body(r, b)?),
            Some(0x33) => Self::Declared(Declared::read_body(r, b)?),
            Some(0x34) => Self::Transactional(TransactionalState::read_body(r, b)?),
            _ => {
                return Err(DecodeError::UnexpectedDescriptor {
                    expected: "delivery-state",
                })
            }
        })
    }

    /// Whether this is a terminal state (an outcome).
    pub const fn is_outcome(&self) -> bool {
        !matches!(self, Self::Received(_) | Self::Transactional(_))
    }

    fn inner(&self) -> &dyn Enc {
        match self {
            Self::Received(x) => x,
            Self::Accepted => &Accepted,
            Self::Rejected(x) => x,
            Self::Released => &Released,
            Self::Modified(x) => x,
            Self::Declared(x) => x,
            Self::Transactional(x) => x,
        }
    }

    /// Decodes one from the start of `buf`, returning it and the bytes used.
    pub fn decode(buf: &'a [u8]) -> Result<(Self, usize), DecodeError> {
        let mut r = Reader::new(buf);
        let v = Self::read(&mut r, Budget::new(Limits::DEFAULT))?;
        Ok((v, r.position()))
    }

    /// The number of bytes [`DeliveryState::encode_to_slice`] writes.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.inner().enc_len()
    }

    /// Encodes into the start of `buf`, returning the bytes written.
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        crate::codec::to_slice(self.inner(), buf)
    }

    crate::codec::encode_to_buf!();
}

impl<'a> From<Outcome<'a>> for DeliveryState<'a> {
    fn from(o: Outcome<'a>) -> Self {
        match o {
            Outcome::Accepted => DeliveryState::Accepted,
            Outcome::Rejected(x) => DeliveryState::Rejected(x),
            Outcome::Released => DeliveryState::Released,
            Outcome::Modified(x) => DeliveryState::Modified(x),
            Outcome::Declared(x) => DeliveryState::Declared(x),
        }
    }
}

impl Enc for DeliveryState<'_> {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        self.inner().enc_len()
    }
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.inner().enc(w)
    }
    fn plan(&self) -> Result<crate::codec::Planned, EncodeError> {
        self.inner().plan()
    }
    fn enc_planned(&self, p: crate::codec::Planned, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.inner().enc_planned(p, w)
    }
}

/// `terminus-durability` (part 3, 3.5.5), an open uint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TerminusDurability(pub u32);

impl TerminusDurability {
    /// 0: nothing is durable (the default).
    pub const NONE: Self = Self(0);
    /// 1: the configuration is durable.
    pub const CONFIGURATION: Self = Self(1);
    /// 2: configuration and unsettled state are durable.
    pub const UNSETTLED_STATE: Self = Self(2);
}

/// `terminus-expiry-policy` (part 3, 3.5.6), an open symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TerminusExpiryPolicy<'a>(pub &'a str);

impl TerminusExpiryPolicy<'static> {
    /// `link-detach`.
    pub const LINK_DETACH: Self = Self("link-detach");
    /// `session-end` (the default).
    pub const SESSION_END: Self = Self("session-end");
    /// `connection-close`.
    pub const CONNECTION_CLOSE: Self = Self("connection-close");
    /// `never`.
    pub const NEVER: Self = Self("never");
}

impl Default for TerminusExpiryPolicy<'_> {
    fn default() -> Self {
        TerminusExpiryPolicy::SESSION_END
    }
}

/// A distribution mode symbol (part 3, 3.5.7), open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DistributionMode<'a>(pub &'a str);

impl DistributionMode<'static> {
    /// `move`: messages are taken from the node.
    pub const MOVE: Self = Self("move");
    /// `copy`: messages stay on the node.
    pub const COPY: Self = Self("copy");
}

/// `source` (part 3, 3.5.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source<'a> {
    /// The node's address.
    pub address: Option<&'a str>,
    /// Default [`TerminusDurability::NONE`].
    pub durable: TerminusDurability,
    /// Default [`TerminusExpiryPolicy::SESSION_END`].
    pub expiry_policy: TerminusExpiryPolicy<'a>,
    /// Seconds; default 0.
    pub timeout: u32,
    /// Whether the node is created on demand; default `false`.
    pub dynamic: bool,
    /// Properties of a dynamically created node.
    pub dynamic_node_properties: Option<Fields<'a>>,
    /// `move` or `copy`.
    pub distribution_mode: Option<DistributionMode<'a>>,
    /// Filters (a `filter-set` map, kept as is).
    pub filter: Option<Map<'a>>,
    /// The outcome of deliveries settled without one.
    pub default_outcome: Option<Outcome<'a>>,
    /// The outcomes the node supports.
    pub outcomes: Symbols<'a>,
    /// Node capabilities.
    pub capabilities: Symbols<'a>,
}

impl Default for Source<'_> {
    fn default() -> Self {
        Self {
            address: None,
            durable: TerminusDurability::NONE,
            expiry_policy: TerminusExpiryPolicy::SESSION_END,
            timeout: 0,
            dynamic: false,
            dynamic_node_properties: None,
            distribution_mode: None,
            filter: None,
            default_outcome: None,
            outcomes: Symbols::EMPTY,
            capabilities: Symbols::EMPTY,
        }
    }
}

impl<'a> DecodeComposite<'a> for Source<'a> {
    const NAME: &'static str = "source";
    const CODE: u64 = 0x28;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            address: l.string("address"),
            durable: TerminusDurability(l.uint("durable").unwrap_or(0)),
            expiry_policy: l
                .symbol("expiry-policy")
                .map_or(TerminusExpiryPolicy::SESSION_END, TerminusExpiryPolicy),
            timeout: l.uint("timeout").unwrap_or(0),
            dynamic: l.bool("dynamic").unwrap_or(false),
            dynamic_node_properties: l.fields("dynamic-node-properties"),
            distribution_mode: l.symbol("distribution-mode").map(DistributionMode),
            filter: l.map("filter"),
            default_outcome: l.nested(Outcome::read),
            outcomes: l.symbols("outcomes"),
            capabilities: l.symbols("capabilities"),
        })
    }
}

impl EncodeComposite for Source<'_> {
    const CODE: u64 = 0x28;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::opt(self.address, F::Str), false)?;
        v.field(
            F::Uint(self.durable.0),
            self.durable == TerminusDurability::NONE,
        )?;
        v.field(
            F::Sym(self.expiry_policy.0),
            self.expiry_policy == TerminusExpiryPolicy::SESSION_END,
        )?;
        v.field(F::Uint(self.timeout), self.timeout == 0)?;
        v.field(F::Bool(self.dynamic), !self.dynamic)?;
        v.field(nest(&self.dynamic_node_properties), false)?;
        v.field(F::opt(self.distribution_mode, |d| F::Sym(d.0)), false)?;
        v.field(F::map(&self.filter), false)?;
        v.field(nest(&self.default_outcome), false)?;
        v.field(F::Syms(&self.outcomes), false)?;
        v.field(F::Syms(&self.capabilities), false)
    }
}

composite_api!(Source<'a>);

/// `target` (part 3, 3.5.4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target<'a> {
    /// The node's address.
    pub address: Option<&'a str>,
    /// Default [`TerminusDurability::NONE`].
    pub durable: TerminusDurability,
    /// Default [`TerminusExpiryPolicy::SESSION_END`].
    pub expiry_policy: TerminusExpiryPolicy<'a>,
    /// Seconds; default 0.
    pub timeout: u32,
    /// Whether the node is created on demand; default `false`.
    pub dynamic: bool,
    /// Properties of a dynamically created node.
    pub dynamic_node_properties: Option<Fields<'a>>,
    /// Node capabilities.
    pub capabilities: Symbols<'a>,
}

impl Default for Target<'_> {
    fn default() -> Self {
        Self {
            address: None,
            durable: TerminusDurability::NONE,
            expiry_policy: TerminusExpiryPolicy::SESSION_END,
            timeout: 0,
            dynamic: false,
            dynamic_node_properties: None,
            capabilities: Symbols::EMPTY,
        }
    }
}

impl<'a> DecodeComposite<'a> for Target<'a> {
    const NAME: &'static str = "target";
    const CODE: u64 = 0x29;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            address: l.string("address"),
            durable: TerminusDurability(l.uint("durable").unwrap_or(0)),
            expiry_policy: l
                .symbol("expiry-policy")
                .map_or(TerminusExpiryPolicy::SESSION_END, TerminusExpiryPolicy),
            timeout: l.uint("timeout").unwrap_or(0),
            dynamic: l.bool("dynamic").unwrap_or(false),
            dynamic_node_properties: l.fields("dynamic-node-properties"),
            capabilities: l.symbols("capabilities"),
        })
    }
}

impl EncodeComposite for Target<'_> {
    const CODE: u64 = 0x29;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::opt(self.address, F::Str), false)?;
        v.field(
            F::Uint(self.durable.0),
            self.durable == TerminusDurability::NONE,
        )?;
        v.field(
            F::Sym(self.expiry_policy.0),
            self.expiry_policy == TerminusExpiryPolicy::SESSION_END,
        )?;
        v.field(F::Uint(self.timeout), self.timeout == 0)?;
        v.field(F::Bool(self.dynamic), !self.dynamic)?;
        v.field(nest(&self.dynamic_node_properties), false)?;
        v.field(F::Syms(&self.capabilities), false)
    }
}

composite_api!(Target<'a>);

/// What an `attach`'s target field holds: a target, or a transaction
/// coordinator (part 4, 4.5.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LinkTarget<'a> {
    /// `target`.
    Target(Target<'a>),
    /// `coordinator`.
    Coordinator(Coordinator<'a>),
}

impl<'a> LinkTarget<'a> {
    pub(crate) fn read(r: &mut Reader<'a>, budget: Budget) -> Result<Self, DecodeError> {
        let (code, b) = read_head(r, budget, "target")?;
        Ok(match code {
            Some(0x29) => Self::Target(Target::read_body(r, b)?),
            Some(0x30) => Self::Coordinator(Coordinator::read_body(r, b)?),
            _ => return Err(DecodeError::UnexpectedDescriptor { expected: "target" }),
        })
    }

    /// The target, if this is one.
    pub const fn as_target(&self) -> Option<&Target<'a>> {
        match self {
            Self::Target(t) => Some(t),
            Self::Coordinator(_) => None,
        }
    }
}

impl Enc for LinkTarget<'_> {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        match self {
            Self::Target(t) => t.enc_len(),
            Self::Coordinator(c) => c.enc_len(),
        }
    }
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self {
            Self::Target(t) => t.enc(w),
            Self::Coordinator(c) => c.enc(w),
        }
    }
}

from_variant!(LinkTarget, Target, Coordinator);

/// A lifetime policy of a dynamic node (part 3, 3.5.10 to 3.5.13), found
/// in `dynamic-node-properties` under `lifetime-policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifetimePolicy {
    /// `delete-on-close` (0x2b).
    DeleteOnClose,
    /// `delete-on-no-links` (0x2c).
    DeleteOnNoLinks,
    /// `delete-on-no-messages` (0x2d).
    DeleteOnNoMessages,
    /// `delete-on-no-links-or-messages` (0x2e).
    DeleteOnNoLinksOrMessages,
}

impl LifetimePolicy {
    /// The descriptor code.
    pub const fn code(self) -> u64 {
        match self {
            Self::DeleteOnClose => 0x2b,
            Self::DeleteOnNoLinks => 0x2c,
            Self::DeleteOnNoMessages => 0x2d,
            Self::DeleteOnNoLinksOrMessages => 0x2e,
        }
    }

    /// The name in the specification.
    pub const fn name(self) -> &'static str {
        match self {
            Self::DeleteOnClose => "delete-on-close",
            Self::DeleteOnNoLinks => "delete-on-no-links",
            Self::DeleteOnNoMessages => "delete-on-no-messages",
            Self::DeleteOnNoLinksOrMessages => "delete-on-no-links-or-messages",
        }
    }

    /// Decodes one from the start of `buf`, returning it and the bytes used.
    pub fn decode(buf: &[u8]) -> Result<(Self, usize), DecodeError> {
        let mut r = Reader::new(buf);
        let (code, b) = read_head(&mut r, Budget::new(Limits::DEFAULT), "lifetime-policy")?;
        let p = match code {
            Some(0x2b) => Self::DeleteOnClose,
            Some(0x2c) => Self::DeleteOnNoLinks,
            Some(0x2d) => Self::DeleteOnNoMessages,
            Some(0x2e) => Self::DeleteOnNoLinksOrMessages,
            _ => {
                return Err(DecodeError::UnexpectedDescriptor {
                    expected: "lifetime-policy",
                })
            }
        };
        ListReader::open(&mut r, b, p.name())?.finish()?;
        Ok((p, r.position()))
    }

    /// The encoding: the descriptor and an empty list (4 bytes).
    pub const fn to_bytes(self) -> [u8; 4] {
        [
            code::DESCRIBED,
            code::SMALLULONG,
            self.code() as u8,
            code::LIST0,
        ]
    }
}

/// `header` (part 3, 3.2.1). The XML gives these fields no defaults; the
/// prose does (durable false, priority 4, first-acquirer false,
/// delivery-count 0), which the accessors apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Header {
    /// Whether the message is durable.
    pub durable: Option<bool>,
    /// Its priority.
    pub priority: Option<u8>,
    /// Time to live, milliseconds.
    pub ttl: Option<u32>,
    /// Whether this is the first acquirer.
    pub first_acquirer: Option<bool>,
    /// Earlier unsuccessful delivery attempts.
    pub delivery_count: Option<u32>,
}

impl Header {
    /// `durable`, `false` when absent.
    pub fn is_durable(&self) -> bool {
        self.durable.unwrap_or(false)
    }

    /// `priority`, 4 when absent.
    pub fn priority_or_default(&self) -> u8 {
        self.priority.unwrap_or(4)
    }
}

impl<'a> DecodeComposite<'a> for Header {
    const NAME: &'static str = "header";
    const CODE: u64 = 0x70;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            durable: l.bool("durable"),
            priority: l.ubyte("priority"),
            ttl: l.uint("ttl"),
            first_acquirer: l.bool("first-acquirer"),
            delivery_count: l.uint("delivery-count"),
        })
    }
}

impl EncodeComposite for Header {
    const CODE: u64 = 0x70;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::opt(self.durable, F::Bool), false)?;
        v.field(F::opt(self.priority, F::Ubyte), false)?;
        v.field(F::opt(self.ttl, F::Uint), false)?;
        v.field(F::opt(self.first_acquirer, F::Bool), false)?;
        v.field(F::opt(self.delivery_count, F::Uint), false)
    }
}

composite_api!(Header);

/// A message id or correlation id (part 3, 3.2.11 to 3.2.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageId<'a> {
    /// `message-id-ulong`.
    Ulong(u64),
    /// `message-id-uuid`.
    Uuid([u8; 16]),
    /// `message-id-binary`.
    Binary(&'a [u8]),
    /// `message-id-string`.
    Str(&'a str),
}

impl<'a> MessageId<'a> {
    fn from_value(v: Value<'a>) -> Option<Self> {
        Some(match v {
            Value::Ulong(x) => Self::Ulong(x),
            Value::Uuid(u) => Self::Uuid(u),
            Value::Binary(b) => Self::Binary(b),
            Value::Str(s) => Self::Str(s),
            _ => return None,
        })
    }
}

fn id_field<'x, 'a>(id: &'x Option<MessageId<'a>>) -> F<'x, 'a> {
    match id {
        None => F::Null,
        Some(MessageId::Ulong(x)) => F::Ulong(*x),
        Some(MessageId::Uuid(u)) => F::Uuid(u),
        Some(MessageId::Binary(b)) => F::Bin(b),
        Some(MessageId::Str(s)) => F::Str(s),
    }
}

/// `properties` (part 3, 3.2.4): the message's immutable properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Properties<'a> {
    /// The message id.
    pub message_id: Option<MessageId<'a>>,
    /// The creating user's id.
    pub user_id: Option<&'a [u8]>,
    /// The destination address.
    pub to: Option<&'a str>,
    /// The subject.
    pub subject: Option<&'a str>,
    /// Where to reply.
    pub reply_to: Option<&'a str>,
    /// The id of the message this relates to.
    pub correlation_id: Option<MessageId<'a>>,
    /// MIME content type.
    pub content_type: Option<&'a str>,
    /// MIME content encoding.
    pub content_encoding: Option<&'a str>,
    /// Absolute expiry, ms since the Unix epoch.
    pub absolute_expiry_time: Option<i64>,
    /// Creation time, ms since the Unix epoch.
    pub creation_time: Option<i64>,
    /// The group the message belongs to.
    pub group_id: Option<&'a str>,
    /// Its position in the group.
    pub group_sequence: Option<u32>,
    /// The group replies belong to.
    pub reply_to_group_id: Option<&'a str>,
}

impl<'a> DecodeComposite<'a> for Properties<'a> {
    const NAME: &'static str = "properties";
    const CODE: u64 = 0x73;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let message_id = l.value().map(MessageId::from_value);
        let message_id = message_id.and_then(|m| l.check("message-id", m));
        let user_id = l.binary("user-id");
        let to = l.string("to");
        let subject = l.string("subject");
        let reply_to = l.string("reply-to");
        let correlation_id = l.value().map(MessageId::from_value);
        let correlation_id = correlation_id.and_then(|m| l.check("correlation-id", m));
        Ok(Self {
            message_id,
            user_id,
            to,
            subject,
            reply_to,
            correlation_id,
            content_type: l.symbol("content-type"),
            content_encoding: l.symbol("content-encoding"),
            absolute_expiry_time: l.timestamp("absolute-expiry-time"),
            creation_time: l.timestamp("creation-time"),
            group_id: l.string("group-id"),
            group_sequence: l.uint("group-sequence"),
            reply_to_group_id: l.string("reply-to-group-id"),
        })
    }
}

impl EncodeComposite for Properties<'_> {
    const CODE: u64 = 0x73;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(id_field(&self.message_id), false)?;
        v.field(F::opt(self.user_id, F::Bin), false)?;
        v.field(F::opt(self.to, F::Str), false)?;
        v.field(F::opt(self.subject, F::Str), false)?;
        v.field(F::opt(self.reply_to, F::Str), false)?;
        v.field(id_field(&self.correlation_id), false)?;
        v.field(F::opt(self.content_type, F::Sym), false)?;
        v.field(F::opt(self.content_encoding, F::Sym), false)?;
        v.field(F::opt(self.absolute_expiry_time, F::Ts), false)?;
        v.field(F::opt(self.creation_time, F::Ts), false)?;
        v.field(F::opt(self.group_id, F::Str), false)?;
        v.field(F::opt(self.group_sequence, F::Uint), false)?;
        v.field(F::opt(self.reply_to_group_id, F::Str), false)
    }
}

composite_api!(Properties<'a>);

const DATA: u64 = 0x75;
const SEQUENCE: u64 = 0x76;
const AMQP_VALUE: u64 = 0x77;

/// One or more `data` sections (part 3, 3.2.6), each a binary.
#[derive(Clone, Copy)]
pub struct DataSections<'a>(DataRepr<'a>);

#[derive(Clone, Copy)]
enum DataRepr<'a> {
    /// The validated sections as they were decoded.
    Encoded {
        bytes: &'a [u8],
        count: u32,
    },
    One(&'a [u8]),
    Slices(&'a [&'a [u8]]),
}

impl<'a> DataSections<'a> {
    /// A single data section.
    pub const fn one(data: &'a [u8]) -> Self {
        Self(DataRepr::One(data))
    }

    /// One data section per slice (at least one is needed in a message).
    pub const fn from_slices(sections: &'a [&'a [u8]]) -> Self {
        Self(DataRepr::Slices(sections))
    }

    /// The number of sections.
    pub fn len(&self) -> usize {
        match self.0 {
            DataRepr::Encoded { count, .. } => count as usize,
            DataRepr::One(_) => 1,
            DataRepr::Slices(s) => s.len(),
        }
    }

    /// Whether there are none (never, for a decoded message).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each section's bytes, in order.
    pub fn iter(&self) -> DataIter<'a> {
        DataIter(match self.0 {
            DataRepr::Encoded { bytes, count } => DataIterRepr::Encoded {
                r: Reader::new(bytes),
                left: count,
            },
            DataRepr::One(b) => DataIterRepr::One(Some(b)),
            DataRepr::Slices(s) => DataIterRepr::Slices(s.iter()),
        })
    }

    /// The total bytes of all sections' data.
    pub fn total_len(&self) -> usize {
        self.iter().map(<[u8]>::len).sum()
    }

    fn encoded_len(&self) -> Result<usize, EncodeError> {
        let mut n = 0usize;
        for d in self.iter() {
            n = n
                .checked_add(descriptor_len(DATA) + var_len(d.len())?)
                .ok_or(EncodeError::TooLarge)?;
        }
        Ok(n)
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        for d in self.iter() {
            put_descriptor(w, DATA)?;
            put_var(w, code::VBIN8, code::VBIN32, d)?;
        }
        Ok(())
    }
}

impl PartialEq for DataSections<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for DataSections<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Iterator over [`DataSections`].
#[derive(Debug, Clone)]
pub struct DataIter<'a>(DataIterRepr<'a>);

#[derive(Debug, Clone)]
enum DataIterRepr<'a> {
    Encoded { r: Reader<'a>, left: u32 },
    One(Option<&'a [u8]>),
    Slices(core::slice::Iter<'a, &'a [u8]>),
}

impl<'a> Iterator for DataIter<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        match &mut self.0 {
            DataIterRepr::Encoded { r, left } => {
                *left = left.checked_sub(1)?;
                // Validated when the message was decoded.
                let (_, b) = read_head(r, Budget::new(Limits::DEFAULT), "data").ok()?;
                match decode::value(r, b).ok()? {
                    Value::Binary(d) => Some(d),
                    _ => None,
                }
            }
            DataIterRepr::One(b) => b.take(),
            DataIterRepr::Slices(it) => it.next().copied(),
        }
    }
}

/// One or more `amqp-sequence` sections (part 3, 3.2.7), each a list.
#[derive(Clone, Copy)]
pub struct SequenceSections<'a>(SeqSecRepr<'a>);

#[derive(Clone, Copy)]
enum SeqSecRepr<'a> {
    Encoded {
        bytes: &'a [u8],
        count: u32,
        budget: Budget,
    },
    Lists(&'a [List<'a>]),
}

impl<'a> SequenceSections<'a> {
    /// One section per list.
    pub const fn from_lists(lists: &'a [List<'a>]) -> Self {
        Self(SeqSecRepr::Lists(lists))
    }

    /// The number of sections.
    pub fn len(&self) -> usize {
        match self.0 {
            SeqSecRepr::Encoded { count, .. } => count as usize,
            SeqSecRepr::Lists(l) => l.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each section's list, in order.
    pub fn iter(&self) -> impl Iterator<Item = List<'a>> + 'a {
        let (mut r, mut left, budget, lists) = match self.0 {
            SeqSecRepr::Encoded {
                bytes,
                count,
                budget,
            } => (Reader::new(bytes), count, budget, &[][..]),
            SeqSecRepr::Lists(l) => (Reader::new(&[]), 0, Budget::new(Limits::DEFAULT), l),
        };
        let encoded = core::iter::from_fn(move || {
            left = left.checked_sub(1)?;
            let (_, b) = read_head(&mut r, budget, "amqp-sequence").ok()?;
            decode::value(&mut r, b).ok()?.as_list()
        });
        lists.iter().copied().chain(encoded)
    }

    fn encoded_len(&self) -> Result<usize, EncodeError> {
        let mut n = 0usize;
        for l in self.iter() {
            n = n
                .checked_add(descriptor_len(SEQUENCE) + Value::List(l).encoded_len()?)
                .ok_or(EncodeError::TooLarge)?;
        }
        Ok(n)
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        for l in self.iter() {
            put_descriptor(w, SEQUENCE)?;
            Value::List(l).encode(w)?;
        }
        Ok(())
    }
}

impl PartialEq for SequenceSections<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for SequenceSections<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A message body (part 3, 3.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Body<'a> {
    /// One or more `data` sections.
    Data(DataSections<'a>),
    /// One or more `amqp-sequence` sections.
    Sequence(SequenceSections<'a>),
    /// One `amqp-value` section.
    Value(Value<'a>),
}

/// An AMQP message: its sections, borrowed from the bytes of its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Message<'a> {
    /// `header`.
    pub header: Option<Header>,
    /// `delivery-annotations`.
    pub delivery_annotations: Option<Annotations<'a>>,
    /// `message-annotations`.
    pub message_annotations: Option<Annotations<'a>>,
    /// `properties`.
    pub properties: Option<Properties<'a>>,
    /// `application-properties`.
    pub application_properties: Option<ApplicationProperties<'a>>,
    /// The body (`None` when the message has no body section).
    pub body: Option<Body<'a>>,
    /// `footer`.
    pub footer: Option<Annotations<'a>>,
}

fn section_map<'a>(
    r: &mut Reader<'a>,
    b: Budget,
    name: &'static str,
    check: fn(u8, u8) -> bool,
) -> Result<Map<'a>, DecodeError> {
    read_map(r, b, check).map_err(|e| match e {
        DecodeError::InvalidField { .. } => DecodeError::InvalidField {
            composite: name,
            field: "map",
        },
        e => e,
    })
}

/// Ranks of the sections in the order of part 3, 3.2.
const BODY_RANK: u8 = 6;

impl<'a> Message<'a> {
    /// Decodes a whole message (all of `bytes`) with [`Limits::DEFAULT`].
    #[inline]
    pub fn decode(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        Self::decode_with_limits(bytes, Limits::DEFAULT)
    }

    /// Decodes a whole message under `limits`.
    #[inline]
    pub fn decode_with_limits(bytes: &'a [u8], limits: Limits) -> Result<Self, DecodeError> {
        let budget = Budget::new(limits);
        let mut r = Reader::new(bytes);
        let mut m = Self::default();
        let mut rank = 0u8;
        // The body kind seen (data / sequence / value) and where its
        // sections started.
        let mut body: Option<(u64, usize, u32)> = None;
        let order = |rank: &mut u8, this: u8, section: &'static str| {
            if this <= *rank {
                return Err(DecodeError::SectionOrder { section });
            }
            *rank = this;
            Ok(())
        };
        while !r.is_empty() {
            let start = r.position();
            let (code, b) = read_head(&mut r, budget, "section")?;
            match code {
                Some(0x70) => {
                    order(&mut rank, 1, "header")?;
                    m.header = Some(Header::read_body(&mut r, b)?);
                }
                Some(0x71) => {
                    order(&mut rank, 2, "delivery-annotations")?;
                    let map =
                        section_map(&mut r, b, "delivery-annotations", Annotations::check_codes)?;
                    m.delivery_annotations = Some(Annotations::from_validated(map));
                }
                Some(0x72) => {
                    order(&mut rank, 3, "message-annotations")?;
                    let map =
                        section_map(&mut r, b, "message-annotations", Annotations::check_codes)?;
                    m.message_annotations = Some(Annotations::from_validated(map));
                }
                Some(0x73) => {
                    order(&mut rank, 4, "properties")?;
                    m.properties = Some(Properties::read_body(&mut r, b)?);
                }
                Some(0x74) => {
                    order(&mut rank, 5, "application-properties")?;
                    let map = section_map(
                        &mut r,
                        b,
                        "application-properties",
                        ApplicationProperties::check_codes,
                    )?;
                    m.application_properties = Some(ApplicationProperties::from_validated(map));
                }
                Some(c @ (DATA | SEQUENCE | AMQP_VALUE)) => {
                    let name = match c {
                        DATA => "data",
                        SEQUENCE => "amqp-sequence",
                        _ => "amqp-value",
                    };
                    match &mut body {
                        Some((kind, _, n))
                            if *kind == c && c != AMQP_VALUE && rank == BODY_RANK =>
                        {
                            *n += 1;
                        }
                        Some(_) => return Err(DecodeError::SectionOrder { section: name }),
                        None => {
                            order(&mut rank, BODY_RANK, name)?;
                            body = Some((c, start, 1));
                        }
                    }
                    let v = decode::value(&mut r, b)?;
                    let ok = match c {
                        DATA => matches!(v, Value::Binary(_)),
                        SEQUENCE => matches!(v, Value::List(_)),
                        _ => true,
                    };
                    if !ok {
                        return Err(DecodeError::InvalidField {
                            composite: name,
                            field: if c == DATA { "binary" } else { "list" },
                        });
                    }
                    if c == AMQP_VALUE {
                        m.body = Some(Body::Value(v));
                    }
                }
                Some(0x78) => {
                    order(&mut rank, 7, "footer")?;
                    let map = section_map(&mut r, b, "footer", Annotations::check_codes)?;
                    m.footer = Some(Annotations::from_validated(map));
                }
                _ => {
                    return Err(DecodeError::UnexpectedDescriptor {
                        expected: "section",
                    });
                }
            }
            if let Some((kind, start, count)) = body {
                if rank == BODY_RANK && kind != AMQP_VALUE {
                    let bytes = &bytes[start..r.position()];
                    m.body = Some(if kind == DATA {
                        Body::Data(DataSections(DataRepr::Encoded { bytes, count }))
                    } else {
                        Body::Sequence(SequenceSections(SeqSecRepr::Encoded {
                            bytes,
                            count,
                            budget,
                        }))
                    });
                }
            }
        }
        Ok(m)
    }

    fn body_len(&self) -> Result<usize, EncodeError> {
        match &self.body {
            None => Ok(0),
            Some(Body::Data(d)) => d.encoded_len(),
            Some(Body::Sequence(s)) => s.encoded_len(),
            Some(Body::Value(v)) => Ok(descriptor_len(AMQP_VALUE) + v.encoded_len()?),
        }
    }

    /// The number of bytes [`Message::encode_to_slice`] writes.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        let map = |code: u64, a: Option<&dyn Enc>| -> Result<usize, EncodeError> {
            Ok(match a {
                Some(a) => descriptor_len(code) + a.enc_len()?,
                None => 0,
            })
        };
        let parts = [
            match &self.header {
                Some(h) => h.enc_len()?,
                None => 0,
            },
            map(
                0x71,
                self.delivery_annotations.as_ref().map(|a| a as &dyn Enc),
            )?,
            map(
                0x72,
                self.message_annotations.as_ref().map(|a| a as &dyn Enc),
            )?,
            match &self.properties {
                Some(p) => p.enc_len()?,
                None => 0,
            },
            map(
                0x74,
                self.application_properties.as_ref().map(|a| a as &dyn Enc),
            )?,
            self.body_len()?,
            map(0x78, self.footer.as_ref().map(|a| a as &dyn Enc))?,
        ];
        parts
            .iter()
            .try_fold(0usize, |a, &b| a.checked_add(b))
            .ok_or(EncodeError::TooLarge)
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        fn map(w: &mut Writer<'_>, code: u64, a: Option<&dyn Enc>) -> Result<(), EncodeError> {
            if let Some(a) = a {
                put_descriptor(w, code)?;
                a.enc(w)?;
            }
            Ok(())
        }
        if let Some(h) = &self.header {
            h.enc(w)?;
        }
        map(
            w,
            0x71,
            self.delivery_annotations.as_ref().map(|a| a as &dyn Enc),
        )?;
        map(
            w,
            0x72,
            self.message_annotations.as_ref().map(|a| a as &dyn Enc),
        )?;
        if let Some(p) = &self.properties {
            p.enc(w)?;
        }
        map(
            w,
            0x74,
            self.application_properties.as_ref().map(|a| a as &dyn Enc),
        )?;
        match &self.body {
            None => {}
            Some(Body::Data(d)) => d.write(w)?,
            Some(Body::Sequence(s)) => s.write(w)?,
            Some(Body::Value(v)) => {
                put_descriptor(w, AMQP_VALUE)?;
                v.encode(w)?;
            }
        }
        map(w, 0x78, self.footer.as_ref().map(|a| a as &dyn Enc))
    }

    /// Encodes the sections in order into the start of `buf`, returning
    /// the bytes written (nothing is written on error).
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let len = self.encoded_len()?;
        if buf.len() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        let mut w = Writer::new(buf);
        self.write(&mut w)?;
        Ok(len)
    }

    crate::codec::encode_to_buf!();
}

impl Enc for Message<'_> {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        self.encoded_len()
    }
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.write(w)
    }
}
