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
//! [`DecodeError::SectionOrder`](crate::DecodeError::SectionOrder). A message without a body section decodes
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

mod body;
pub(crate) mod delivery_state;
mod header;
mod message;
mod properties;
mod terminus;

pub use body::{Body, DataIter, DataSections, SequenceSections};
pub use delivery_state::{
    Accepted, DeliveryState, Modified, Outcome, Received, Rejected, Released,
};
pub use header::Header;
pub use message::Message;
pub use properties::{MessageId, Properties};
pub use terminus::{
    DistributionMode, LifetimePolicy, LinkTarget, Source, Target, TerminusDurability,
    TerminusExpiryPolicy,
};
