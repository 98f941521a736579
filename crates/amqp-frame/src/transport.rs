//! The transport layer's definitions (part 2): the nine performatives with
//! every field, the error type and its conditions, and the restricted types
//! they use.
//!
//! Every type decodes from a described list borrowing from the input:
//!
//! * omitted trailing fields and `null`s take the field's **default** (an
//!   omitted `max-frame-size` is 4294967295), so the struct holds the value
//!   that applies, not a "maybe";
//! * fields without a default are `Option`s;
//! * a missing mandatory field, a field of the wrong type and a list with
//!   more elements than the type has fields are [`DecodeError`]s naming the
//!   composite, the field and (through [`DecodeError::rule`]) the section;
//! * `multiple` fields accept a single value or an array ([`Symbols`]);
//! * restricted types with choices are open newtypes with constants
//!   ([`SenderSettleMode`], [`ErrorCondition`], ...), so unknown values
//!   round-trip.
//!
//! Encoding writes the shortest constructors and leaves out trailing fields
//! that are absent or hold their default; a default in the middle of the
//! list is written as its value. Decoding canonical bytes (such as the
//! benchmark workloads) and encoding again gives the same bytes.
//!
//! Sequence numbers (`transfer-number`, `delivery-number`, `sequence-no`)
//! are plain `u32`s here: their RFC 1982 arithmetic belongs to the session
//! and link state machines.

use core::fmt;

use iotcodec_core::{Reader, Writer};

use crate::composite::{
    composite_api, from_variant, nest, read_head, DecodeComposite, Enc, EncodeComposite,
    ListReader, Planned, Visit, F,
};
use crate::error::{DecodeError, EncodeError};
use crate::messaging::{DeliveryState, LinkTarget, Source};
use crate::restricted::{lazy_for, Fields, Lazy, Symbols};
use crate::types::{Budget, Map};

pub use crate::definitions::{Error, ErrorCondition};

/// The largest delivery tag allowed (part 2, 2.8.7).
pub const MAX_DELIVERY_TAG: usize = 32;

/// `role` (part 2, 2.8.1): which end of a link this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// `false`.
    Sender,
    /// `true`.
    Receiver,
}

impl Role {
    /// The role encoded as `b`.
    pub const fn from_bool(b: bool) -> Self {
        if b {
            Self::Receiver
        } else {
            Self::Sender
        }
    }

    /// The boolean on the wire.
    pub const fn as_bool(self) -> bool {
        matches!(self, Self::Receiver)
    }
}

/// `sender-settle-mode` (part 2, 2.8.2), an open ubyte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SenderSettleMode(pub u8);

impl SenderSettleMode {
    /// 0: the sender sends every delivery unsettled.
    pub const UNSETTLED: Self = Self(0);
    /// 1: the sender sends every delivery settled.
    pub const SETTLED: Self = Self(1);
    /// 2: either (the default).
    pub const MIXED: Self = Self(2);
}

impl Default for SenderSettleMode {
    fn default() -> Self {
        Self::MIXED
    }
}

/// `receiver-settle-mode` (part 2, 2.8.3), an open ubyte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReceiverSettleMode(pub u8);

impl ReceiverSettleMode {
    /// 0: the receiver settles first (the default).
    pub const FIRST: Self = Self(0);
    /// 1: the receiver settles after the sender.
    pub const SECOND: Self = Self(1);
}

impl Default for ReceiverSettleMode {
    fn default() -> Self {
        Self::FIRST
    }
}

/// Reads an optional `error` field.
fn error_field<'a>(l: &mut ListReader<'a>) -> Option<Error<'a>> {
    l.nested(Error::read)
}

/// `open` (part 2, 2.7.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Open<'a> {
    /// The container's id (mandatory).
    pub container_id: &'a str,
    /// The host the peer connects to.
    pub hostname: Option<&'a str>,
    /// The largest frame the sender accepts; default 4294967295.
    pub max_frame_size: u32,
    /// The highest channel number; default 65535.
    pub channel_max: u16,
    /// Idle time-out in milliseconds.
    pub idle_time_out: Option<u32>,
    /// Locales for outgoing text.
    pub outgoing_locales: Symbols<'a>,
    /// Locales accepted for incoming text.
    pub incoming_locales: Symbols<'a>,
    /// Extensions the sender supports.
    pub offered_capabilities: Symbols<'a>,
    /// Extensions the sender wants.
    pub desired_capabilities: Symbols<'a>,
    /// Connection properties.
    pub properties: Option<Fields<'a>>,
}

impl<'a> Open<'a> {
    /// An `open` with `container_id` and every other field absent or at
    /// its default.
    pub const fn new(container_id: &'a str) -> Self {
        Self {
            container_id,
            hostname: None,
            max_frame_size: u32::MAX,
            channel_max: u16::MAX,
            idle_time_out: None,
            outgoing_locales: Symbols::EMPTY,
            incoming_locales: Symbols::EMPTY,
            offered_capabilities: Symbols::EMPTY,
            desired_capabilities: Symbols::EMPTY,
            properties: None,
        }
    }
}

impl<'a> DecodeComposite<'a> for Open<'a> {
    const NAME: &'static str = "open";
    const CODE: u64 = 0x10;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let container_id = l.string("container-id");
        Ok(Self {
            container_id: l.required("container-id", container_id),
            hostname: l.string("hostname"),
            max_frame_size: l.uint("max-frame-size").unwrap_or(u32::MAX),
            channel_max: l.ushort("channel-max").unwrap_or(u16::MAX),
            idle_time_out: l.uint("idle-time-out"),
            outgoing_locales: l.symbols("outgoing-locales"),
            incoming_locales: l.symbols("incoming-locales"),
            offered_capabilities: l.symbols("offered-capabilities"),
            desired_capabilities: l.symbols("desired-capabilities"),
            properties: l.fields("properties"),
        })
    }
}

impl EncodeComposite for Open<'_> {
    const CODE: u64 = 0x10;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Str(self.container_id), false)?;
        v.field(F::opt(self.hostname, F::Str), false)?;
        v.field(
            F::Uint(self.max_frame_size),
            self.max_frame_size == u32::MAX,
        )?;
        v.field(F::Ushort(self.channel_max), self.channel_max == u16::MAX)?;
        v.field(F::opt(self.idle_time_out, F::Uint), false)?;
        v.field(F::Syms(&self.outgoing_locales), false)?;
        v.field(F::Syms(&self.incoming_locales), false)?;
        v.field(F::Syms(&self.offered_capabilities), false)?;
        v.field(F::Syms(&self.desired_capabilities), false)?;
        v.field(nest(&self.properties), false)
    }
}

composite_api!(Open<'a>);
lazy_for!(Open);

/// `begin` (part 2, 2.7.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Begin<'a> {
    /// The channel of the peer's session this answers.
    pub remote_channel: Option<u16>,
    /// The transfer-id of the first transfer the sender will send (mandatory).
    pub next_outgoing_id: u32,
    /// The sender's incoming window (mandatory).
    pub incoming_window: u32,
    /// The sender's outgoing window (mandatory).
    pub outgoing_window: u32,
    /// The highest handle; default 4294967295.
    pub handle_max: u32,
    /// Extensions the sender supports.
    pub offered_capabilities: Symbols<'a>,
    /// Extensions the sender wants.
    pub desired_capabilities: Symbols<'a>,
    /// Session properties.
    pub properties: Option<Fields<'a>>,
}

impl<'a> DecodeComposite<'a> for Begin<'a> {
    const NAME: &'static str = "begin";
    const CODE: u64 = 0x11;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let remote_channel = l.ushort("remote-channel");
        let next_outgoing_id = l.uint("next-outgoing-id");
        let next_outgoing_id = l.required("next-outgoing-id", next_outgoing_id);
        let incoming_window = l.uint("incoming-window");
        let incoming_window = l.required("incoming-window", incoming_window);
        let outgoing_window = l.uint("outgoing-window");
        let outgoing_window = l.required("outgoing-window", outgoing_window);
        Ok(Self {
            remote_channel,
            next_outgoing_id,
            incoming_window,
            outgoing_window,
            handle_max: l.uint("handle-max").unwrap_or(u32::MAX),
            offered_capabilities: l.symbols("offered-capabilities"),
            desired_capabilities: l.symbols("desired-capabilities"),
            properties: l.fields("properties"),
        })
    }
}

impl EncodeComposite for Begin<'_> {
    const CODE: u64 = 0x11;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::opt(self.remote_channel, F::Ushort), false)?;
        v.field(F::Uint(self.next_outgoing_id), false)?;
        v.field(F::Uint(self.incoming_window), false)?;
        v.field(F::Uint(self.outgoing_window), false)?;
        v.field(F::Uint(self.handle_max), self.handle_max == u32::MAX)?;
        v.field(F::Syms(&self.offered_capabilities), false)?;
        v.field(F::Syms(&self.desired_capabilities), false)?;
        v.field(nest(&self.properties), false)
    }
}

composite_api!(Begin<'a>);
lazy_for!(Begin);

/// `attach` (part 2, 2.7.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attach<'a> {
    /// The link's name (mandatory).
    pub name: &'a str,
    /// The handle the sender uses for the link (mandatory).
    pub handle: u32,
    /// The sender's role on the link (mandatory).
    pub role: Role,
    /// Default [`SenderSettleMode::MIXED`].
    pub snd_settle_mode: SenderSettleMode,
    /// Default [`ReceiverSettleMode::FIRST`].
    pub rcv_settle_mode: ReceiverSettleMode,
    /// Where messages come from ([`Lazy::decode`] gives the [`Source`]).
    pub source: Option<Lazy<'a, Source<'a>>>,
    /// Where messages go: a target or a transaction coordinator
    /// ([`Lazy::decode`] gives the [`LinkTarget`]).
    pub target: Option<Lazy<'a, LinkTarget<'a>>>,
    /// Unsettled delivery state (delivery tag → delivery state).
    pub unsettled: Option<Map<'a>>,
    /// Whether `unsettled` is incomplete; default `false`.
    pub incomplete_unsettled: bool,
    /// The sender's delivery count, for a sender (mandatory there).
    pub initial_delivery_count: Option<u32>,
    /// The largest message the sender accepts.
    pub max_message_size: Option<u64>,
    /// Extensions the sender supports.
    pub offered_capabilities: Symbols<'a>,
    /// Extensions the sender wants.
    pub desired_capabilities: Symbols<'a>,
    /// Link properties.
    pub properties: Option<Fields<'a>>,
}

impl<'a> Attach<'a> {
    /// An `attach` with the mandatory fields and every other field absent
    /// or at its default.
    pub const fn new(name: &'a str, handle: u32, role: Role) -> Self {
        Self {
            name,
            handle,
            role,
            snd_settle_mode: SenderSettleMode::MIXED,
            rcv_settle_mode: ReceiverSettleMode::FIRST,
            source: None,
            target: None,
            unsettled: None,
            incomplete_unsettled: false,
            initial_delivery_count: None,
            max_message_size: None,
            offered_capabilities: Symbols::EMPTY,
            desired_capabilities: Symbols::EMPTY,
            properties: None,
        }
    }
}

impl<'a> DecodeComposite<'a> for Attach<'a> {
    const NAME: &'static str = "attach";
    const CODE: u64 = 0x12;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let name = l.string("name");
        let name = l.required("name", name);
        let handle = l.uint("handle");
        let handle = l.required("handle", handle);
        let role = l.bool("role");
        let role = Role::from_bool(l.required("role", role));
        Ok(Self {
            name,
            handle,
            role,
            snd_settle_mode: l
                .ubyte("snd-settle-mode")
                .map_or(SenderSettleMode::MIXED, SenderSettleMode),
            rcv_settle_mode: l
                .ubyte("rcv-settle-mode")
                .map_or(ReceiverSettleMode::FIRST, ReceiverSettleMode),
            source: l.lazy(Source::read),
            target: l.lazy(LinkTarget::read),
            unsettled: l.map("unsettled"),
            incomplete_unsettled: l.bool("incomplete-unsettled").unwrap_or(false),
            initial_delivery_count: l.uint("initial-delivery-count"),
            max_message_size: l.ulong("max-message-size"),
            offered_capabilities: l.symbols("offered-capabilities"),
            desired_capabilities: l.symbols("desired-capabilities"),
            properties: l.fields("properties"),
        })
    }
}

impl EncodeComposite for Attach<'_> {
    const CODE: u64 = 0x12;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Str(self.name), false)?;
        v.field(F::Uint(self.handle), false)?;
        v.field(F::Bool(self.role.as_bool()), false)?;
        v.field(
            F::Ubyte(self.snd_settle_mode.0),
            self.snd_settle_mode == SenderSettleMode::MIXED,
        )?;
        v.field(
            F::Ubyte(self.rcv_settle_mode.0),
            self.rcv_settle_mode == ReceiverSettleMode::FIRST,
        )?;
        v.field(nest(&self.source), false)?;
        v.field(nest(&self.target), false)?;
        v.field(F::map(&self.unsettled), false)?;
        v.field(
            F::Bool(self.incomplete_unsettled),
            !self.incomplete_unsettled,
        )?;
        v.field(F::opt(self.initial_delivery_count, F::Uint), false)?;
        v.field(F::opt(self.max_message_size, F::Ulong), false)?;
        v.field(F::Syms(&self.offered_capabilities), false)?;
        v.field(F::Syms(&self.desired_capabilities), false)?;
        v.field(nest(&self.properties), false)
    }
}

composite_api!(Attach<'a>);
lazy_for!(Attach);

/// `flow` (part 2, 2.7.4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flow<'a> {
    /// The next transfer-id the sender expects (absent before the first
    /// begin was answered).
    pub next_incoming_id: Option<u32>,
    /// The sender's incoming window (mandatory).
    pub incoming_window: u32,
    /// The next transfer-id the sender will send (mandatory).
    pub next_outgoing_id: u32,
    /// The sender's outgoing window (mandatory).
    pub outgoing_window: u32,
    /// The link this flow is about, if any.
    pub handle: Option<u32>,
    /// The link's delivery count.
    pub delivery_count: Option<u32>,
    /// The link credit.
    pub link_credit: Option<u32>,
    /// Messages available at the sender.
    pub available: Option<u32>,
    /// Drain mode; default `false`.
    pub drain: bool,
    /// Whether the peer should answer with its own flow; default `false`.
    pub echo: bool,
    /// Link state properties.
    pub properties: Option<Fields<'a>>,
}

impl<'a> DecodeComposite<'a> for Flow<'a> {
    const NAME: &'static str = "flow";
    const CODE: u64 = 0x13;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let next_incoming_id = l.uint("next-incoming-id");
        let incoming_window = l.uint("incoming-window");
        let incoming_window = l.required("incoming-window", incoming_window);
        let next_outgoing_id = l.uint("next-outgoing-id");
        let next_outgoing_id = l.required("next-outgoing-id", next_outgoing_id);
        let outgoing_window = l.uint("outgoing-window");
        let outgoing_window = l.required("outgoing-window", outgoing_window);
        Ok(Self {
            next_incoming_id,
            incoming_window,
            next_outgoing_id,
            outgoing_window,
            handle: l.uint("handle"),
            delivery_count: l.uint("delivery-count"),
            link_credit: l.uint("link-credit"),
            available: l.uint("available"),
            drain: l.bool("drain").unwrap_or(false),
            echo: l.bool("echo").unwrap_or(false),
            properties: l.fields("properties"),
        })
    }
}

impl EncodeComposite for Flow<'_> {
    const CODE: u64 = 0x13;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::opt(self.next_incoming_id, F::Uint), false)?;
        v.field(F::Uint(self.incoming_window), false)?;
        v.field(F::Uint(self.next_outgoing_id), false)?;
        v.field(F::Uint(self.outgoing_window), false)?;
        v.field(F::opt(self.handle, F::Uint), false)?;
        v.field(F::opt(self.delivery_count, F::Uint), false)?;
        v.field(F::opt(self.link_credit, F::Uint), false)?;
        v.field(F::opt(self.available, F::Uint), false)?;
        v.field(F::Bool(self.drain), !self.drain)?;
        v.field(F::Bool(self.echo), !self.echo)?;
        v.field(nest(&self.properties), false)
    }
}

composite_api!(Flow<'a>);

/// `transfer` (part 2, 2.7.5). The message bytes follow it in the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer<'a> {
    /// The link (mandatory).
    pub handle: u32,
    /// The delivery id (mandatory on a delivery's first transfer).
    pub delivery_id: Option<u32>,
    /// The delivery tag, at most 32 bytes (mandatory on the first transfer).
    pub delivery_tag: Option<&'a [u8]>,
    /// The message format (mandatory on the first transfer; 0 is AMQP).
    pub message_format: Option<u32>,
    /// Whether the delivery is settled at the sender.
    pub settled: Option<bool>,
    /// Whether more transfers of the delivery follow; default `false`.
    pub more: bool,
    /// The receiver settle mode for this delivery.
    pub rcv_settle_mode: Option<ReceiverSettleMode>,
    /// The delivery's state at the sender (resuming a delivery, or in a
    /// transaction; [`Lazy::decode`] gives the [`DeliveryState`]).
    pub state: Option<Lazy<'a, DeliveryState<'a>>>,
    /// Whether this resumes an earlier delivery; default `false`.
    pub resume: bool,
    /// Whether the delivery is aborted; default `false`.
    pub aborted: bool,
    /// Whether the sender does not need an answer soon; default `false`.
    pub batchable: bool,
}

impl<'a> Transfer<'a> {
    /// A transfer on `handle` with every other field absent or at its
    /// default.
    pub const fn new(handle: u32) -> Self {
        Self {
            handle,
            delivery_id: None,
            delivery_tag: None,
            message_format: None,
            settled: None,
            more: false,
            rcv_settle_mode: None,
            state: None,
            resume: false,
            aborted: false,
            batchable: false,
        }
    }
}

impl<'a> DecodeComposite<'a> for Transfer<'a> {
    const NAME: &'static str = "transfer";
    const CODE: u64 = 0x14;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let handle = l.uint("handle");
        let handle = l.required("handle", handle);
        let delivery_id = l.uint("delivery-id");
        let delivery_tag = l.binary("delivery-tag");
        if delivery_tag.is_some_and(|t| t.len() > MAX_DELIVERY_TAG) {
            l.invalid("delivery-tag");
        }
        Ok(Self {
            handle,
            delivery_id,
            delivery_tag,
            message_format: l.uint("message-format"),
            settled: l.bool("settled"),
            more: l.bool("more").unwrap_or(false),
            rcv_settle_mode: l.ubyte("rcv-settle-mode").map(ReceiverSettleMode),
            state: l.lazy(DeliveryState::read),
            resume: l.bool("resume").unwrap_or(false),
            aborted: l.bool("aborted").unwrap_or(false),
            batchable: l.bool("batchable").unwrap_or(false),
        })
    }
}

impl EncodeComposite for Transfer<'_> {
    const CODE: u64 = 0x14;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        if self
            .delivery_tag
            .is_some_and(|t| t.len() > MAX_DELIVERY_TAG)
        {
            return Err(EncodeError::Invalid(
                "delivery-tag longer than 32 bytes (part 2, 2.8.7)",
            ));
        }
        v.field(F::Uint(self.handle), false)?;
        v.field(F::opt(self.delivery_id, F::Uint), false)?;
        v.field(F::opt(self.delivery_tag, F::Bin), false)?;
        v.field(F::opt(self.message_format, F::Uint), false)?;
        v.field(F::opt(self.settled, F::Bool), false)?;
        v.field(F::Bool(self.more), !self.more)?;
        v.field(F::opt(self.rcv_settle_mode, |m| F::Ubyte(m.0)), false)?;
        v.field(nest(&self.state), false)?;
        v.field(F::Bool(self.resume), !self.resume)?;
        v.field(F::Bool(self.aborted), !self.aborted)?;
        v.field(F::Bool(self.batchable), !self.batchable)
    }
}

composite_api!(Transfer<'a>);

/// `disposition` (part 2, 2.7.6).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disposition<'a> {
    /// Whether the sender of this frame is the link's sender or receiver (mandatory).
    pub role: Role,
    /// The first delivery-id of the range (mandatory).
    pub first: u32,
    /// The last delivery-id of the range (absent: `first`).
    pub last: Option<u32>,
    /// Whether the deliveries are settled; default `false`.
    pub settled: bool,
    /// Their state.
    pub state: Option<DeliveryState<'a>>,
    /// Whether no answer is needed soon; default `false`.
    pub batchable: bool,
}

impl<'a> DecodeComposite<'a> for Disposition<'a> {
    const NAME: &'static str = "disposition";
    const CODE: u64 = 0x15;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let role = l.bool("role");
        let role = Role::from_bool(l.required("role", role));
        let first = l.uint("first");
        let first = l.required("first", first);
        Ok(Self {
            role,
            first,
            last: l.uint("last"),
            settled: l.bool("settled").unwrap_or(false),
            state: l.nested(DeliveryState::read),
            batchable: l.bool("batchable").unwrap_or(false),
        })
    }
}

impl EncodeComposite for Disposition<'_> {
    const CODE: u64 = 0x15;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Bool(self.role.as_bool()), false)?;
        v.field(F::Uint(self.first), false)?;
        v.field(F::opt(self.last, F::Uint), false)?;
        v.field(F::Bool(self.settled), !self.settled)?;
        v.field(nest(&self.state), false)?;
        v.field(F::Bool(self.batchable), !self.batchable)
    }
}

composite_api!(Disposition<'a>);

/// `detach` (part 2, 2.7.7).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detach<'a> {
    /// The link (mandatory).
    pub handle: u32,
    /// Whether the link is closed, not only detached; default `false`.
    pub closed: bool,
    /// Why.
    pub error: Option<Error<'a>>,
}

impl<'a> DecodeComposite<'a> for Detach<'a> {
    const NAME: &'static str = "detach";
    const CODE: u64 = 0x16;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let handle = l.uint("handle");
        Ok(Self {
            handle: l.required("handle", handle),
            closed: l.bool("closed").unwrap_or(false),
            error: error_field(l),
        })
    }
}

impl EncodeComposite for Detach<'_> {
    const CODE: u64 = 0x16;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Uint(self.handle), false)?;
        v.field(F::Bool(self.closed), !self.closed)?;
        v.field(nest(&self.error), false)
    }
}

composite_api!(Detach<'a>);

/// `end` (part 2, 2.7.8).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct End<'a> {
    /// Why.
    pub error: Option<Error<'a>>,
}

impl<'a> DecodeComposite<'a> for End<'a> {
    const NAME: &'static str = "end";
    const CODE: u64 = 0x17;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            error: error_field(l),
        })
    }
}

impl EncodeComposite for End<'_> {
    const CODE: u64 = 0x17;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(nest(&self.error), false)
    }
}

composite_api!(End<'a>);

/// `close` (part 2, 2.7.9).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Close<'a> {
    /// Why.
    pub error: Option<Error<'a>>,
}

impl<'a> DecodeComposite<'a> for Close<'a> {
    const NAME: &'static str = "close";
    const CODE: u64 = 0x18;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            error: error_field(l),
        })
    }
}

impl EncodeComposite for Close<'_> {
    const CODE: u64 = 0x18;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(nest(&self.error), false)
    }
}

composite_api!(Close<'a>);

/// Any of the nine performatives (part 2, 2.7).
///
/// `open`, `begin` and `attach` are large (capabilities, properties,
/// terminus) and come once per connection, session or link, so the enum
/// holds them as [`Lazy`] values, validated completely when the frame was
/// decoded and decoded into [`Open`] / [`Begin`] / [`Attach`] by
/// [`Lazy::decode`]. That keeps the enum (and [`TypedFrame`](crate::TypedFrame))
/// under 128 bytes, which compilers move without a `memcpy` call: every
/// frame, however frequent (`flow`, `transfer`, `disposition`), is cheaper
/// to decode and to move.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(clippy::large_enum_variant)] // borrowed views: no allocation to save
pub enum Performative<'a> {
    /// `open` (kept validated but encoded, see [`Performative`]).
    Open(Lazy<'a, Open<'a>>),
    /// `begin` (kept validated but encoded, see [`Performative`]).
    Begin(Lazy<'a, Begin<'a>>),
    /// `attach` (kept validated but encoded, see [`Performative`]).
    Attach(Lazy<'a, Attach<'a>>),
    /// `flow`.
    Flow(Flow<'a>),
    /// `transfer`.
    Transfer(Transfer<'a>),
    /// `disposition`.
    Disposition(Disposition<'a>),
    /// `detach`.
    Detach(Detach<'a>),
    /// `end`.
    End(End<'a>),
    /// `close`.
    Close(Close<'a>),
}

impl<'a> Performative<'a> {
    /// The descriptor code (`0x10` to `0x18`).
    pub const fn code(&self) -> u64 {
        match self {
            Self::Open(_) => 0x10,
            Self::Begin(_) => 0x11,
            Self::Attach(_) => 0x12,
            Self::Flow(_) => 0x13,
            Self::Transfer(_) => 0x14,
            Self::Disposition(_) => 0x15,
            Self::Detach(_) => 0x16,
            Self::End(_) => 0x17,
            Self::Close(_) => 0x18,
        }
    }

    /// The name in the specification (`"open"`, ...).
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Open(_) => "open",
            Self::Begin(_) => "begin",
            Self::Attach(_) => "attach",
            Self::Flow(_) => "flow",
            Self::Transfer(_) => "transfer",
            Self::Disposition(_) => "disposition",
            Self::Detach(_) => "detach",
            Self::End(_) => "end",
            Self::Close(_) => "close",
        }
    }

    #[inline(always)]
    pub(crate) fn read(r: &mut Reader<'a>, budget: Budget) -> Result<Self, DecodeError> {
        let start = r.peek_rest();
        let p0 = r.position();
        let (code, b) = read_head(r, budget, "performative")?;
        // The whole described value, once its list was read and validated.
        let whole = |r: &Reader<'a>| {
            let used = r.position() - p0;
            start.get(..used).unwrap_or(start)
        };
        Ok(match code {
            Some(0x10) => {
                Open::read_body(r, b)?;
                Self::Open(Lazy::encoded(whole(r), budget))
            }
            Some(0x11) => {
                Begin::read_body(r, b)?;
                Self::Begin(Lazy::encoded(whole(r), budget))
            }
            Some(0x12) => {
                Attach::read_body(r, b)?;
                Self::Attach(Lazy::encoded(whole(r), budget))
            }
            Some(0x13) => Self::Flow(Flow::read_body(r, b)?),
            Some(0x14) => Self::Transfer(Transfer::read_body(r, b)?),
            Some(0x15) => Self::Disposition(Disposition::read_body(r, b)?),
            Some(0x16) => Self::Detach(Detach::read_body(r, b)?),
            Some(0x17) => Self::End(End::read_body(r, b)?),
            Some(0x18) => Self::Close(Close::read_body(r, b)?),
            Some(0x40..=0x44) => return Err(DecodeError::WrongFrameType { body: "sasl frame" }),
            _ => {
                return Err(DecodeError::UnexpectedDescriptor {
                    expected: "performative",
                })
            }
        })
    }

    /// Decodes a performative from the start of `buf` with the default
    /// [`DecodeOptions`](crate::DecodeOptions), returning it and the bytes
    /// it used (the rest of a frame body is the payload).
    pub fn decode(buf: &'a [u8]) -> Result<(Self, usize), DecodeError> {
        Self::decode_with(buf, &crate::DecodeOptions::new())
    }

    /// [`Performative::decode`] under `options`.
    pub fn decode_with(
        buf: &'a [u8],
        options: &crate::DecodeOptions,
    ) -> Result<(Self, usize), DecodeError> {
        let mut r = Reader::new(buf);
        let p = Self::read(&mut r, Budget::new(options))?;
        Ok((p, r.position()))
    }

    fn inner(&self) -> &dyn Enc {
        match self {
            Self::Open(x) => x,
            Self::Begin(x) => x,
            Self::Attach(x) => x,
            Self::Flow(x) => x,
            Self::Transfer(x) => x,
            Self::Disposition(x) => x,
            Self::Detach(x) => x,
            Self::End(x) => x,
            Self::Close(x) => x,
        }
    }

    /// The number of bytes [`Performative::encode_to_slice`] writes.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.inner().enc_len()
    }

    /// Encodes into the start of `buf`, returning the bytes written.
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        crate::composite::to_slice(self.inner(), buf)
    }

    crate::buf::encode_to_buf!();
}

impl Enc for Performative<'_> {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        self.inner().enc_len()
    }
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.inner().enc(w)
    }
    fn plan(&self) -> Result<Planned, EncodeError> {
        self.inner().plan()
    }
    fn enc_planned(&self, p: Planned, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.inner().enc_planned(p, w)
    }
}

from_variant!(
    Performative,
    Flow,
    Transfer,
    Disposition,
    Detach,
    End,
    Close
);

impl fmt::Display for Performative<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
