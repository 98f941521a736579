//! Delivery states (part 3, 3.4): `received` and the outcomes `accepted`,
//! `rejected`, `released` and `modified`, plus the two delivery states of
//! part 4 that [`DeliveryState`] holds (4.5.5 `declared`, 4.5.6
//! `transactional-state`; re-exported from [`crate::transactions`]).

use iotcodec_core::{Reader, Writer};

use crate::composite::{
    composite_api, nest, read_head, DecodeComposite, Enc, EncodeComposite, ListReader, Planned,
    Visit, F,
};
use crate::definitions::Error;
use crate::error::{DecodeError, EncodeError};
use crate::restricted::{lazy_for, Fields, Lazy};
use crate::types::Budget;

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
    fn plan(&self) -> Result<Planned, EncodeError> {
        self.inner().plan()
    }
    fn enc_planned(&self, p: Planned, w: &mut Writer<'_>) -> Result<(), EncodeError> {
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
        let v = Self::read(&mut r, Budget::DEFAULT)?;
        Ok((v, r.position()))
    }

    /// The number of bytes [`DeliveryState::encode_to_slice`] writes.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.inner().enc_len()
    }

    /// Encodes into the start of `buf`, returning the bytes written.
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        crate::composite::to_slice(self.inner(), buf)
    }

    crate::buf::encode_to_buf!();
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
    fn plan(&self) -> Result<Planned, EncodeError> {
        self.inner().plan()
    }
    fn enc_planned(&self, p: Planned, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.inner().enc_planned(p, w)
    }
}

lazy_for!(Outcome);
lazy_for!(DeliveryState);

/// `declared` (part 4, 4.5.5): the outcome of a `declare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared<'a> {
    /// The new transaction's id (mandatory).
    pub txn_id: &'a [u8],
}

impl<'a> DecodeComposite<'a> for Declared<'a> {
    const NAME: &'static str = "declared";
    const CODE: u64 = 0x33;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let id = l.binary("txn-id");
        Ok(Self {
            txn_id: l.required("txn-id", id),
        })
    }
}

impl EncodeComposite for Declared<'_> {
    const CODE: u64 = 0x33;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Bin(self.txn_id), false)
    }
}

composite_api!(Declared<'a>);

/// `transactional-state` (part 4, 4.5.6): a delivery's state inside a
/// transaction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransactionalState<'a> {
    /// The transaction (mandatory).
    pub txn_id: &'a [u8],
    /// The provisional outcome ([`Lazy::decode`] gives the [`Outcome`]).
    pub outcome: Option<Lazy<'a, Outcome<'a>>>,
}

impl<'a> DecodeComposite<'a> for TransactionalState<'a> {
    const NAME: &'static str = "transactional-state";
    const CODE: u64 = 0x34;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let id = l.binary("txn-id");
        Ok(Self {
            txn_id: l.required("txn-id", id),
            outcome: l.lazy(Outcome::read),
        })
    }
}

impl EncodeComposite for TransactionalState<'_> {
    const CODE: u64 = 0x34;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Bin(self.txn_id), false)?;
        v.field(nest(&self.outcome), false)
    }
}

composite_api!(TransactionalState<'a>);
