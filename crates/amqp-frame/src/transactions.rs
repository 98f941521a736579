//! The transaction types (part 4, 4.5): the coordinator target, the
//! `declare` and `discharge` messages a controller sends it (as amqp-value
//! bodies), and the `declared` and `transactional-state` delivery states.
//!
//! Transaction ids (`txn-id`, part 4, 4.5.4) are binaries; they are checked
//! to be binaries when decoded.

use crate::composite::{composite_api, DecodeComposite, EncodeComposite, ListReader, Visit, F};
use crate::error::{DecodeError, EncodeError};
use crate::restricted::Symbols;
use crate::types::Value;

/// Defined with the other delivery states, which hold them.
pub use crate::messaging::delivery_state::{Declared, TransactionalState};

/// `amqp:local-transactions` (part 4, 4.5.7).
pub const LOCAL_TRANSACTIONS: &str = "amqp:local-transactions";
/// `amqp:distributed-transactions`.
pub const DISTRIBUTED_TRANSACTIONS: &str = "amqp:distributed-transactions";
/// `amqp:promotable-transactions`.
pub const PROMOTABLE_TRANSACTIONS: &str = "amqp:promotable-transactions";
/// `amqp:multi-txns-per-ssn`.
pub const MULTI_TXNS_PER_SSN: &str = "amqp:multi-txns-per-ssn";
/// `amqp:multi-ssns-per-txn`.
pub const MULTI_SSNS_PER_TXN: &str = "amqp:multi-ssns-per-txn";

/// `coordinator` (part 4, 4.5.1): the target of a link to a transaction
/// coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Coordinator<'a> {
    /// The transaction capabilities wanted or offered.
    pub capabilities: Symbols<'a>,
}

impl<'a> DecodeComposite<'a> for Coordinator<'a> {
    const NAME: &'static str = "coordinator";
    const CODE: u64 = 0x30;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            capabilities: l.symbols("capabilities"),
        })
    }
}

impl EncodeComposite for Coordinator<'_> {
    const CODE: u64 = 0x30;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Syms(&self.capabilities), false)
    }
}

composite_api!(Coordinator<'a>);

/// `declare` (part 4, 4.5.2): asks the coordinator for a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Declare<'a> {
    /// A global transaction id (its type is not defined by AMQP 1.0).
    pub global_id: Option<Value<'a>>,
}

impl<'a> DecodeComposite<'a> for Declare<'a> {
    const NAME: &'static str = "declare";
    const CODE: u64 = 0x31;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            global_id: l.value(),
        })
    }
}

impl EncodeComposite for Declare<'_> {
    const CODE: u64 = 0x31;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(self.global_id.as_ref().map_or(F::Null, F::Val), false)
    }
}

composite_api!(Declare<'a>);

/// `discharge` (part 4, 4.5.3): ends a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discharge<'a> {
    /// The transaction (mandatory).
    pub txn_id: &'a [u8],
    /// Whether to roll back instead of committing.
    pub fail: Option<bool>,
}

impl<'a> DecodeComposite<'a> for Discharge<'a> {
    const NAME: &'static str = "discharge";
    const CODE: u64 = 0x32;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let id = l.binary("txn-id");
        Ok(Self {
            txn_id: l.required("txn-id", id),
            fail: l.bool("fail"),
        })
    }
}

impl EncodeComposite for Discharge<'_> {
    const CODE: u64 = 0x32;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Bin(self.txn_id), false)?;
        v.field(F::opt(self.fail, F::Bool), false)
    }
}

composite_api!(Discharge<'a>);
