//! The `properties` section (part 3, 3.2.4) and the message ids it holds
//! (3.2.11 to 3.2.14).

use crate::composite::{composite_api, DecodeComposite, EncodeComposite, ListReader, Visit, F};
use crate::error::{DecodeError, EncodeError};
use crate::types::Value;

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
