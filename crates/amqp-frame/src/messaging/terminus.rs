//! Sources, targets and termini (part 3, 3.5): `source`, `target`, the
//! terminus durability and expiry policies, distribution modes, lifetime
//! policies of dynamic nodes, and [`LinkTarget`] (a target or a
//! transaction coordinator, part 4, 4.5.1).

use iotcodec_core::{Reader, Writer};

use super::delivery_state::Outcome;
use crate::composite::{
    composite_api, from_variant, nest, read_head, DecodeComposite, Enc, EncodeComposite,
    ListReader, Visit, F,
};
use crate::error::{DecodeError, EncodeError};
use crate::restricted::{lazy_for, Fields, Symbols};
use crate::transactions::Coordinator;
use crate::types::{code, Budget, Map};

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
        let (code, b) = read_head(&mut r, Budget::DEFAULT, "lifetime-policy")?;
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

lazy_for!(Source);
lazy_for!(LinkTarget);
