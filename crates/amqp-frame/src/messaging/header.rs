//! The `header` section (part 3, 3.2.1): the message's transport headers.

use crate::composite::{composite_api, DecodeComposite, EncodeComposite, ListReader, Visit, F};
use crate::error::{DecodeError, EncodeError};

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
