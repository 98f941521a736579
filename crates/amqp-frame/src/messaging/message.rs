//! The message (part 3, 3.2): its sections in their fixed order, decoded
//! and encoded as one. The annotation sections (delivery-annotations,
//! message-annotations, footer: 3.2.2, 3.2.3, 3.2.10) and
//! application-properties (3.2.5) are maps held in the restricted types
//! [`Annotations`] and [`ApplicationProperties`].

use iotcodec_core::{Reader, Writer};

use super::body::{Body, DataSections, SequenceSections, AMQP_VALUE, DATA, SEQUENCE};
use super::header::Header;
use super::properties::Properties;
use crate::composite::{descriptor_len, put_descriptor, read_head, read_map, DecodeComposite, Enc};
use crate::error::{DecodeError, EncodeError};
use crate::options::DecodeOptions;
use crate::restricted::{Annotations, ApplicationProperties};
use crate::types::{decode, Budget, Map, Value};

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
    /// Decodes a whole message (all of `bytes`) with the default
    /// [`DecodeOptions`].
    #[inline]
    pub fn decode(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        Self::decode_with(bytes, &DecodeOptions::new())
    }

    /// Decodes a whole message under `options` (its frame size limit does
    /// not apply: a message may span several frames).
    #[inline]
    pub fn decode_with(bytes: &'a [u8], options: &DecodeOptions) -> Result<Self, DecodeError> {
        let budget = Budget::new(options);
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
                        Body::Data(DataSections::encoded(bytes, count))
                    } else {
                        Body::Sequence(SequenceSections::encoded(bytes, count, budget))
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
                v.write_to(w)?;
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

    crate::buf::encode_to_buf!();
}

impl Enc for Message<'_> {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        self.encoded_len()
    }
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.write(w)
    }
}
