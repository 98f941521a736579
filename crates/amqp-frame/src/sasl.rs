//! The SASL frame bodies (part 5, 5.3.3): mechanisms, init, challenge,
//! response and outcome with its five codes.
//!
//! SASL frames are frames of type `0x01` after an `AMQP 3 1 0 0` header;
//! their channel is ignored. The initial response and the response carry
//! credentials and are redacted in `Debug`.
//!
//! ```
//! use amqp_frame::sasl::{SaslCode, SaslFrame, SaslInit};
//!
//! let init = SaslInit {
//!     mechanism: "PLAIN",
//!     initial_response: Some(b"\0user\0secret"),
//!     hostname: Some("broker"),
//! };
//! let mut buf = [0u8; 64];
//! let n = init.encode_to_slice(&mut buf).unwrap();
//! let (back, used) = SaslFrame::decode(&buf[..n]).unwrap();
//! assert_eq!((back, used), (SaslFrame::Init(init), n));
//! assert!(!format!("{init:?}").contains("secret"));
//! assert!(SaslCode::SYS_TEMP.is_temporary());
//! ```

use core::fmt;

use iotcodec_core::{Reader, Writer};

use crate::composite::{
    composite_api, from_variant, read_head, DecodeComposite, Enc, EncodeComposite, ListReader,
    Visit, F,
};
use crate::error::{DecodeError, EncodeError};
use crate::restricted::Symbols;
use crate::types::Budget;

/// `sasl-code` (part 5, 5.3.3.6), an open ubyte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SaslCode(pub u8);

impl SaslCode {
    /// 0: authentication succeeded.
    pub const OK: Self = Self(0);
    /// 1: bad credentials.
    pub const AUTH: Self = Self(1);
    /// 2: a system error, unspecified.
    pub const SYS: Self = Self(2);
    /// 3: a system error that will not go away.
    pub const SYS_PERM: Self = Self(3);
    /// 4: a transient system error.
    pub const SYS_TEMP: Self = Self(4);

    /// Whether authentication succeeded.
    pub const fn is_ok(self) -> bool {
        self.0 == 0
    }

    /// Whether trying again later may succeed (`sys-temp`).
    pub const fn is_temporary(self) -> bool {
        self.0 == 4
    }
}

/// `sasl-mechanisms` (part 5, 5.3.3.1): what the server offers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SaslMechanisms<'a> {
    /// The mechanisms, in the server's order of preference (mandatory: at
    /// least one).
    pub mechanisms: Symbols<'a>,
}

impl<'a> DecodeComposite<'a> for SaslMechanisms<'a> {
    const NAME: &'static str = "sasl-mechanisms";
    const CODE: u64 = 0x40;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let mechanisms = l.symbols("sasl-server-mechanisms");
        if mechanisms.is_empty() {
            l.missing("sasl-server-mechanisms");
        }
        Ok(Self { mechanisms })
    }
}

impl EncodeComposite for SaslMechanisms<'_> {
    const CODE: u64 = 0x40;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        if self.mechanisms.is_empty() {
            return Err(EncodeError::Invalid(
                "sasl-server-mechanisms is mandatory (part 5, 5.3.3.1)",
            ));
        }
        v.field(F::Syms(&self.mechanisms), false)
    }
}

composite_api!(SaslMechanisms<'a>);

/// `sasl-init` (part 5, 5.3.3.2): the client's choice and first response.
/// The initial response is redacted in `Debug`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SaslInit<'a> {
    /// The chosen mechanism (mandatory).
    pub mechanism: &'a str,
    /// The initial response (credentials, for PLAIN).
    pub initial_response: Option<&'a [u8]>,
    /// The host the client connects to.
    pub hostname: Option<&'a str>,
}

impl fmt::Debug for SaslInit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SaslInit")
            .field("mechanism", &self.mechanism)
            .field(
                "initial_response",
                &self.initial_response.map(|_| "<redacted>"),
            )
            .field("hostname", &self.hostname)
            .finish()
    }
}

impl<'a> DecodeComposite<'a> for SaslInit<'a> {
    const NAME: &'static str = "sasl-init";
    const CODE: u64 = 0x41;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let mechanism = l.symbol("mechanism");
        Ok(Self {
            mechanism: l.required("mechanism", mechanism),
            initial_response: l.binary("initial-response"),
            hostname: l.string("hostname"),
        })
    }
}

impl EncodeComposite for SaslInit<'_> {
    const CODE: u64 = 0x41;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Sym(self.mechanism), false)?;
        v.field(F::opt(self.initial_response, F::Bin), false)?;
        v.field(F::opt(self.hostname, F::Str), false)
    }
}

composite_api!(SaslInit<'a>);

/// `sasl-challenge` (part 5, 5.3.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaslChallenge<'a> {
    /// The challenge (mandatory).
    pub challenge: &'a [u8],
}

impl<'a> DecodeComposite<'a> for SaslChallenge<'a> {
    const NAME: &'static str = "sasl-challenge";
    const CODE: u64 = 0x42;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let c = l.binary("challenge");
        Ok(Self {
            challenge: l.required("challenge", c),
        })
    }
}

impl EncodeComposite for SaslChallenge<'_> {
    const CODE: u64 = 0x42;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Bin(self.challenge), false)
    }
}

composite_api!(SaslChallenge<'a>);

/// `sasl-response` (part 5, 5.3.3.4), redacted in `Debug`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SaslResponse<'a> {
    /// The response (mandatory).
    pub response: &'a [u8],
}

impl fmt::Debug for SaslResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SaslResponse")
            .field("response", &"<redacted>")
            .finish()
    }
}

impl<'a> DecodeComposite<'a> for SaslResponse<'a> {
    const NAME: &'static str = "sasl-response";
    const CODE: u64 = 0x43;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let r = l.binary("response");
        Ok(Self {
            response: l.required("response", r),
        })
    }
}

impl EncodeComposite for SaslResponse<'_> {
    const CODE: u64 = 0x43;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Bin(self.response), false)
    }
}

composite_api!(SaslResponse<'a>);

/// `sasl-outcome` (part 5, 5.3.3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaslOutcome<'a> {
    /// The result (mandatory).
    pub code: SaslCode,
    /// Extra data for the client on success.
    pub additional_data: Option<&'a [u8]>,
}

impl<'a> DecodeComposite<'a> for SaslOutcome<'a> {
    const NAME: &'static str = "sasl-outcome";
    const CODE: u64 = 0x44;
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let code = l.ubyte("code");
        Ok(Self {
            code: SaslCode(l.required("code", code)),
            additional_data: l.binary("additional-data"),
        })
    }
}

impl EncodeComposite for SaslOutcome<'_> {
    const CODE: u64 = 0x44;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Ubyte(self.code.0), false)?;
        v.field(F::opt(self.additional_data, F::Bin), false)
    }
}

composite_api!(SaslOutcome<'a>);

/// The body of a SASL frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SaslFrame<'a> {
    /// `sasl-mechanisms`.
    Mechanisms(SaslMechanisms<'a>),
    /// `sasl-init`.
    Init(SaslInit<'a>),
    /// `sasl-challenge`.
    Challenge(SaslChallenge<'a>),
    /// `sasl-response`.
    Response(SaslResponse<'a>),
    /// `sasl-outcome`.
    Outcome(SaslOutcome<'a>),
}

from_variant!(SaslFrame; Mechanisms => SaslMechanisms, Init => SaslInit, Challenge => SaslChallenge, Response => SaslResponse, Outcome => SaslOutcome);

impl<'a> SaslFrame<'a> {
    /// The name in the specification (`"sasl-init"`, ...).
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Mechanisms(_) => "sasl-mechanisms",
            Self::Init(_) => "sasl-init",
            Self::Challenge(_) => "sasl-challenge",
            Self::Response(_) => "sasl-response",
            Self::Outcome(_) => "sasl-outcome",
        }
    }

    /// The descriptor code (`0x40` to `0x44`).
    pub const fn code(&self) -> u64 {
        match self {
            Self::Mechanisms(_) => 0x40,
            Self::Init(_) => 0x41,
            Self::Challenge(_) => 0x42,
            Self::Response(_) => 0x43,
            Self::Outcome(_) => 0x44,
        }
    }

    pub(crate) fn read(r: &mut Reader<'a>, budget: Budget) -> Result<Self, DecodeError> {
        let (code, b) = read_head(r, budget, "sasl-frame")?;
        Ok(match code {
            Some(0x40) => Self::Mechanisms(SaslMechanisms::read_body(r, b)?),
            Some(0x41) => Self::Init(SaslInit::read_body(r, b)?),
            Some(0x42) => Self::Challenge(SaslChallenge::read_body(r, b)?),
            Some(0x43) => Self::Response(SaslResponse::read_body(r, b)?),
            Some(0x44) => Self::Outcome(SaslOutcome::read_body(r, b)?),
            Some(0x10..=0x18) => {
                return Err(DecodeError::WrongFrameType {
                    body: "performative",
                })
            }
            _ => {
                return Err(DecodeError::UnexpectedDescriptor {
                    expected: "sasl-frame",
                })
            }
        })
    }

    /// Decodes a SASL frame body from the start of `buf`, returning it and
    /// the bytes it used.
    pub fn decode(buf: &'a [u8]) -> Result<(Self, usize), DecodeError> {
        let mut r = Reader::new(buf);
        let v = Self::read(&mut r, Budget::DEFAULT)?;
        Ok((v, r.position()))
    }

    fn inner(&self) -> &dyn Enc {
        match self {
            Self::Mechanisms(x) => x,
            Self::Init(x) => x,
            Self::Challenge(x) => x,
            Self::Response(x) => x,
            Self::Outcome(x) => x,
        }
    }

    /// The number of bytes [`SaslFrame::encode_to_slice`] writes.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.inner().enc_len()
    }

    /// Encodes into the start of `buf`, returning the bytes written.
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        crate::composite::to_slice(self.inner(), buf)
    }

    crate::buf::encode_to_buf!();
}

impl Enc for SaslFrame<'_> {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        self.inner().enc_len()
    }
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.inner().enc(w)
    }
    fn plan(&self) -> Result<crate::composite::Planned, EncodeError> {
        self.inner().plan()
    }
    fn enc_planned(
        &self,
        p: crate::composite::Planned,
        w: &mut Writer<'_>,
    ) -> Result<(), EncodeError> {
        self.inner().enc_planned(p, w)
    }
}
