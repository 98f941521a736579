//! Errors of the AMQP type-system codec.

use iotcodec_core::{BufferTooSmall, UnexpectedEnd};

/// Why bytes could not be decoded as AMQP values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended inside a value.
    #[error("input ends {needed} byte(s) too early")]
    UnexpectedEnd {
        /// How many more bytes were needed.
        needed: usize,
    },
    /// A format code that AMQP 1.0 does not define.
    #[error("unknown format code {code:#04x}")]
    UnknownFormatCode {
        /// The offending byte.
        code: u8,
    },
    /// A descriptor that is neither a ulong nor a symbol.
    #[error("unsupported descriptor format code {code:#04x}")]
    UnsupportedDescriptor {
        /// The descriptor's format code.
        code: u8,
    },
    /// A `boolean` (0x56) byte other than 0 or 1.
    #[error("invalid boolean byte {value:#04x}")]
    InvalidBoolean {
        /// The byte found.
        value: u8,
    },
    /// A `char` that is not a Unicode scalar value.
    #[error("invalid char code point {code_point:#x}")]
    InvalidChar {
        /// The UTF-32 code point found.
        code_point: u32,
    },
    /// A string that is not valid UTF-8.
    #[error("string is not valid UTF-8")]
    InvalidUtf8,
    /// A symbol that is not ASCII.
    #[error("symbol is not ASCII")]
    InvalidSymbol,
    /// A compound's size field is too small to hold its count field.
    #[error("compound size {size} cannot hold its count field")]
    SizeTooSmall {
        /// The declared size.
        size: u32,
    },
    /// A compound claims more elements than its bytes could hold.
    #[error("element count {count} exceeds the {available} byte(s) present")]
    CountExceedsSize {
        /// The declared element count.
        count: u32,
        /// The bytes available for the elements.
        available: usize,
    },
    /// The elements of a compound did not consume exactly its declared size.
    #[error("compound declared {declared} byte(s) of elements but they used {consumed}")]
    SizeMismatch {
        /// Bytes declared for the elements.
        declared: usize,
        /// Bytes the declared number of elements actually used.
        consumed: usize,
    },
    /// A map with an odd number of elements.
    #[error("map has an odd element count {count}")]
    OddMapCount {
        /// The declared element count.
        count: u32,
    },
    /// Compound or described values nested deeper than [`DecodeOptions::max_depth`](crate::DecodeOptions::max_depth).
    #[error("values nested deeper than the limit of {limit}")]
    DepthExceeded {
        /// The configured limit.
        limit: u32,
    },
    /// An array of zero-width elements claims more than
    /// [`DecodeOptions::max_zero_width_elements`](crate::DecodeOptions::max_zero_width_elements).
    #[error("array of {count} zero-width elements exceeds the limit of {limit}")]
    TooManyZeroWidthElements {
        /// The declared element count.
        count: u32,
        /// The configured limit.
        limit: u32,
    },
    /// Eight bytes at a frame boundary that start like a protocol header
    /// but do not spell `AMQP` (part 2, 2.2).
    #[error("not an AMQP protocol header")]
    NotAmqpHeader,
    /// A frame whose SIZE field is below the 8-byte frame header (part 2, 2.3.1).
    #[error("frame size {size} is smaller than the 8-byte frame header")]
    FrameTooSmall {
        /// The declared frame size.
        size: u32,
    },
    /// A frame larger than the negotiated maximum frame size (part 2, 2.7.1).
    #[error("frame size {size} exceeds the maximum frame size {max}")]
    FrameTooLarge {
        /// The declared frame size.
        size: u32,
        /// The maximum the decoder was given.
        max: u32,
    },
    /// A data offset below 2, or pointing past the end of the frame (part 2, 2.3.1).
    #[error("data offset {doff} is invalid for a frame of {size} byte(s)")]
    InvalidDataOffset {
        /// The DOFF field (in 4-byte words).
        doff: u8,
        /// The declared frame size.
        size: u32,
    },
    /// A frame type other than AMQP (0x00) or SASL (0x01) (part 2, 2.3.1).
    #[error("unknown frame type {frame_type:#04x}")]
    UnknownFrameType {
        /// The TYPE field.
        frame_type: u8,
    },
    /// A frame body that does not start with a described value (part 2, 2.3.2).
    #[error("frame body does not start with a described performative")]
    PerformativeNotDescribed,
    /// A described value whose descriptor is none of those allowed here
    /// (`expected` names what was expected: `"performative"`,
    /// `"sasl-frame"`, `"delivery-state"`, `"section"`, ...).
    #[error("unexpected descriptor where a {expected} was expected")]
    UnexpectedDescriptor {
        /// What the position allows.
        expected: &'static str,
    },
    /// A composite type whose described value is not a list (part 1, 1.4).
    #[error("{composite} is not encoded as a list")]
    NotAList {
        /// The composite type's name, as in the specification.
        composite: &'static str,
    },
    /// A mandatory field that is absent or null.
    #[error("mandatory field {field} of {composite} is missing")]
    MissingField {
        /// The composite type's name.
        composite: &'static str,
        /// The field's name.
        field: &'static str,
    },
    /// A field whose value has the wrong type or an invalid value.
    #[error("field {field} of {composite} has an invalid value")]
    InvalidField {
        /// The composite type's name.
        composite: &'static str,
        /// The field's name.
        field: &'static str,
    },
    /// A composite list with more elements than the type has fields.
    #[error("{composite} has {count} fields, more than its definition")]
    TooManyFields {
        /// The composite type's name.
        composite: &'static str,
        /// The element count received.
        count: u32,
    },
    /// Bytes after a performative that does not carry a payload (only
    /// `transfer` does; part 2, 2.3.2), or after a SASL frame's body.
    #[error("{performative} frame carries {len} unexpected payload byte(s)")]
    UnexpectedPayload {
        /// The performative's name.
        performative: &'static str,
        /// The payload's length.
        len: usize,
    },
    /// An AMQP performative in a SASL frame or a SASL body in an AMQP frame.
    #[error("{body} in a frame of the wrong type")]
    WrongFrameType {
        /// The body's name.
        body: &'static str,
    },
    /// Bytes left over after the one item a buffer must hold exactly
    /// (`OwnedFrame::from_bytes`).
    #[error("{len} byte(s) after the frame")]
    TrailingBytes {
        /// How many bytes were left over.
        len: usize,
    },
    /// A message section out of the order of part 3, 3.2, repeated, or a
    /// body mixing section kinds.
    #[error("message section {section} out of order or repeated")]
    SectionOrder {
        /// The offending section's name.
        section: &'static str,
    },
}

impl DecodeError {
    /// The section of the AMQP 1.0 specification the bytes break: the
    /// framing rule, or the section defining the composite type or message
    /// section at fault (`"2.7.1"` for a bad `open`, `"3.2"` for section
    /// order). Errors of the primitive type system return `None`.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            Self::NotAmqpHeader => Some("2.2"),
            Self::FrameTooSmall { .. }
            | Self::InvalidDataOffset { .. }
            | Self::UnknownFrameType { .. } => Some("2.3.1"),
            Self::FrameTooLarge { .. } => Some("2.7.1"),
            Self::PerformativeNotDescribed
            | Self::UnexpectedPayload { .. }
            | Self::WrongFrameType { .. } => Some("2.3.2"),
            Self::NotAList { .. } => Some("1.4"),
            Self::MissingField { composite, .. }
            | Self::InvalidField { composite, .. }
            | Self::TooManyFields { composite, .. } => Some(crate::spec::section_of(composite)),
            Self::UnexpectedDescriptor { expected } => Some(crate::spec::section_of(expected)),
            Self::SectionOrder { .. } => Some("3.2"),
            _ => None,
        }
    }
}

impl From<UnexpectedEnd> for DecodeError {
    fn from(e: UnexpectedEnd) -> Self {
        Self::UnexpectedEnd { needed: e.needed }
    }
}

/// Why a value could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The output buffer is too small.
    #[error("output buffer too small: {required} bytes required")]
    BufferTooSmall {
        /// Total bytes the write needs.
        required: usize,
    },
    /// A string, binary or compound longer than a 32-bit size allows.
    #[error("value too large for a 32-bit size field")]
    TooLarge,
    /// A symbol holding non-ASCII characters.
    #[error("symbol is not ASCII")]
    InvalidSymbol,
    /// Array elements of different types, or with different descriptors.
    #[error("array elements do not share one constructor")]
    MixedArray,
    /// A value this encoder cannot express.
    #[error("unsupported value: {0}")]
    Unsupported(&'static str),
    /// An extended frame header whose length is not a multiple of 4 or
    /// would not fit a one-byte data offset (at most 1012 bytes).
    #[error("extended frame header of {len} byte(s) is not a multiple of 4 up to 1012")]
    InvalidExtendedHeader {
        /// The extended header's length.
        len: usize,
    },
    /// A field value the specification does not allow: a `fields` map with
    /// a key that is not a symbol, a delivery tag longer than 32 bytes, an
    /// empty mandatory `multiple` field, ... (names the rule).
    #[error("invalid field: {0}")]
    Invalid(&'static str),
    /// A lazily decoded value failed to decode.
    #[error("embedded value failed to decode: {0}")]
    Decode(DecodeError),
}

impl EncodeError {
    /// The section of the AMQP 1.0 specification the value would break,
    /// where there is one: `"2.3.1"` for an extended header that does not
    /// fit the data offset, the section an [`EncodeError::Invalid`] names
    /// (`"2.8.7"` for a delivery tag over 32 bytes), and the rule of the
    /// [`DecodeError`] behind an [`EncodeError::Decode`]. Limits of this
    /// encoder and of the type system return `None`.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            Self::InvalidExtendedHeader { .. } => Some("2.3.1"),
            Self::Invalid(why) => section_in(why),
            Self::Decode(e) => e.rule(),
            _ => None,
        }
    }
}

/// The section number a message ends with, in parentheses: `"2.8.7"` from
/// `"... (part 2, 2.8.7)"` or `"... (2.3.2)"`.
fn section_in(why: &'static str) -> Option<&'static str> {
    let inner = why.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let last = inner[open + 1..].rsplit([' ', ',']).next()?;
    let is_section = !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && last.bytes().next().is_some_and(|b| b.is_ascii_digit());
    is_section.then_some(last)
}

impl From<BufferTooSmall> for EncodeError {
    fn from(e: BufferTooSmall) -> Self {
        Self::BufferTooSmall {
            required: e.required,
        }
    }
}

impl From<DecodeError> for EncodeError {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_rules_name_the_section() {
        let tag = EncodeError::Invalid("delivery-tag longer than 32 bytes (part 2, 2.8.7)");
        assert_eq!(tag.rule(), Some("2.8.7"));
        let payload =
            EncodeError::Invalid("payload after a performative other than transfer (2.3.2)");
        assert_eq!(payload.rule(), Some("2.3.2"));
        assert_eq!(
            EncodeError::Invalid("encoded frame does not decode").rule(),
            None
        );
        assert_eq!(
            EncodeError::InvalidExtendedHeader { len: 3 }.rule(),
            Some("2.3.1")
        );
        let nested = EncodeError::Decode(DecodeError::SectionOrder { section: "header" });
        assert_eq!(nested.rule(), Some("3.2"));
        assert_eq!(EncodeError::TooLarge.rule(), None);
        assert_eq!(EncodeError::BufferTooSmall { required: 9 }.rule(), None);
    }
}
