//! The AMQP 1.0 definitions as data: every composite type with its
//! descriptor and fields, the described restricted types (message sections),
//! the restricted types with choices, and the primitive encodings.
//!
//! These tables are what the typed codec implements (the field names in
//! [`DecodeError`](crate::DecodeError)s come from here, and the crate's own
//! tests check every composite's decoder against its table: defaults,
//! mandatory fields, field count and field types). The test
//! `tests/spec_xml.rs` checks the tables themselves against the OASIS XML
//! shipped by Debian's `amqp-specs` package (`/usr/share/amqp/specs/1-0/`),
//! so that neither can drift from the specification.

/// One field of a composite type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldDef {
    /// The field's name, e.g. `"max-frame-size"`.
    pub name: &'static str,
    /// Its type as the XML names it (`"uint"`, `"handle"`, `"*"`, ...).
    pub ty: &'static str,
    /// For `*` fields (and restricted ones): the archetype the value must
    /// provide (`"address"`, `"delivery-state"`, ...).
    pub requires: Option<&'static str>,
    /// The default the XML gives, as written there.
    pub default: Option<&'static str>,
    /// Whether the field must be present.
    pub mandatory: bool,
    /// Whether the field holds a single value or an array of them.
    pub multiple: bool,
}

/// A composite type: a described list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompositeDef {
    /// The type's name, e.g. `"open"`.
    pub name: &'static str,
    /// The numeric descriptor (domain 0).
    pub code: u64,
    /// The symbolic descriptor, e.g. `"amqp:open:list"`.
    pub symbol: &'static str,
    /// The section of the specification defining it.
    pub section: &'static str,
    /// The fields in wire order.
    pub fields: &'static [FieldDef],
}

/// A described restricted type: the message sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DescribedDef {
    /// The type's name, e.g. `"data"`.
    pub name: &'static str,
    /// The numeric descriptor.
    pub code: u64,
    /// The symbolic descriptor.
    pub symbol: &'static str,
    /// The type it restricts (`"binary"`, `"annotations"`, `"*"`, ...).
    pub source: &'static str,
    /// The section of the specification defining it.
    pub section: &'static str,
}

/// A restricted type with named choices (an enumeration or a set of
/// symbols). The codec keeps such values open: unknown values decode and
/// round-trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RestrictedDef {
    /// The type's name, e.g. `"sender-settle-mode"`.
    pub name: &'static str,
    /// The type it restricts.
    pub source: &'static str,
    /// `(choice name, value as written in the XML)`.
    pub choices: &'static [(&'static str, &'static str)],
}

/// One primitive encoding of `types.xml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncodingDef {
    /// The primitive type, e.g. `"uint"`.
    pub ty: &'static str,
    /// The encoding's name, when the XML gives one (`"smalluint"`).
    pub name: Option<&'static str>,
    /// The format code.
    pub code: u8,
    /// `"fixed"`, `"variable"`, `"compound"` or `"array"`.
    pub category: &'static str,
    /// The width in bytes (of the value, or of the size field).
    pub width: u8,
}

const fn f(name: &'static str, ty: &'static str) -> FieldDef {
    FieldDef {
        name,
        ty,
        requires: None,
        default: None,
        mandatory: false,
        multiple: false,
    }
}

impl FieldDef {
    const fn mandatory(mut self) -> Self {
        self.mandatory = true;
        self
    }
    const fn multiple(mut self) -> Self {
        self.multiple = true;
        self
    }
    const fn default(mut self, d: &'static str) -> Self {
        self.default = Some(d);
        self
    }
    const fn requires(mut self, r: &'static str) -> Self {
        self.requires = Some(r);
        self
    }
}

const fn c(
    name: &'static str,
    code: u64,
    symbol: &'static str,
    section: &'static str,
    fields: &'static [FieldDef],
) -> CompositeDef {
    CompositeDef {
        name,
        code,
        symbol,
        section,
        fields,
    }
}

/// Every composite type of AMQP 1.0 (33: transport 10, messaging 13,
/// security 5, transactions 5).
pub const COMPOSITES: &[CompositeDef] = &[
    // transport.xml
    c(
        "open",
        0x10,
        "amqp:open:list",
        "2.7.1",
        &[
            f("container-id", "string").mandatory(),
            f("hostname", "string"),
            f("max-frame-size", "uint").default("4294967295"),
            f("channel-max", "ushort").default("65535"),
            f("idle-time-out", "milliseconds"),
            f("outgoing-locales", "ietf-language-tag").multiple(),
            f("incoming-locales", "ietf-language-tag").multiple(),
            f("offered-capabilities", "symbol").multiple(),
            f("desired-capabilities", "symbol").multiple(),
            f("properties", "fields"),
        ],
    ),
    c(
        "begin",
        0x11,
        "amqp:begin:list",
        "2.7.2",
        &[
            f("remote-channel", "ushort"),
            f("next-outgoing-id", "transfer-number").mandatory(),
            f("incoming-window", "uint").mandatory(),
            f("outgoing-window", "uint").mandatory(),
            f("handle-max", "handle").default("4294967295"),
            f("offered-capabilities", "symbol").multiple(),
            f("desired-capabilities", "symbol").multiple(),
            f("properties", "fields"),
        ],
    ),
    c(
        "attach",
        0x12,
        "amqp:attach:list",
        "2.7.3",
        &[
            f("name", "string").mandatory(),
            f("handle", "handle").mandatory(),
            f("role", "role").mandatory(),
            f("snd-settle-mode", "sender-settle-mode").default("mixed"),
            f("rcv-settle-mode", "receiver-settle-mode").default("first"),
            f("source", "*").requires("source"),
            f("target", "*").requires("target"),
            f("unsettled", "map"),
            f("incomplete-unsettled", "boolean").default("false"),
            f("initial-delivery-count", "sequence-no"),
            f("max-message-size", "ulong"),
            f("offered-capabilities", "symbol").multiple(),
            f("desired-capabilities", "symbol").multiple(),
            f("properties", "fields"),
        ],
    ),
    c(
        "flow",
        0x13,
        "amqp:flow:list",
        "2.7.4",
        &[
            f("next-incoming-id", "transfer-number"),
            f("incoming-window", "uint").mandatory(),
            f("next-outgoing-id", "transfer-number").mandatory(),
            f("outgoing-window", "uint").mandatory(),
            f("handle", "handle"),
            f("delivery-count", "sequence-no"),
            f("link-credit", "uint"),
            f("available", "uint"),
            f("drain", "boolean").default("false"),
            f("echo", "boolean").default("false"),
            f("properties", "fields"),
        ],
    ),
    c(
        "transfer",
        0x14,
        "amqp:transfer:list",
        "2.7.5",
        &[
            f("handle", "handle").mandatory(),
            f("delivery-id", "delivery-number"),
            f("delivery-tag", "delivery-tag"),
            f("message-format", "message-format"),
            f("settled", "boolean"),
            f("more", "boolean").default("false"),
            f("rcv-settle-mode", "receiver-settle-mode"),
            f("state", "*").requires("delivery-state"),
            f("resume", "boolean").default("false"),
            f("aborted", "boolean").default("false"),
            f("batchable", "boolean").default("false"),
        ],
    ),
    c(
        "disposition",
        0x15,
        "amqp:disposition:list",
        "2.7.6",
        &[
            f("role", "role").mandatory(),
            f("first", "delivery-number").mandatory(),
            f("last", "delivery-number"),
            f("settled", "boolean").default("false"),
            f("state", "*").requires("delivery-state"),
            f("batchable", "boolean").default("false"),
        ],
    ),
    c(
        "detach",
        0x16,
        "amqp:detach:list",
        "2.7.7",
        &[
            f("handle", "handle").mandatory(),
            f("closed", "boolean").default("false"),
            f("error", "error"),
        ],
    ),
    c(
        "end",
        0x17,
        "amqp:end:list",
        "2.7.8",
        &[f("error", "error")],
    ),
    c(
        "close",
        0x18,
        "amqp:close:list",
        "2.7.9",
        &[f("error", "error")],
    ),
    c(
        "error",
        0x1d,
        "amqp:error:list",
        "2.8.14",
        &[
            f("condition", "symbol")
                .mandatory()
                .requires("error-condition"),
            f("description", "string"),
            f("info", "fields"),
        ],
    ),
    // messaging.xml
    c(
        "header",
        0x70,
        "amqp:header:list",
        "3.2.1",
        &[
            f("durable", "boolean"),
            f("priority", "ubyte"),
            f("ttl", "milliseconds"),
            f("first-acquirer", "boolean"),
            f("delivery-count", "uint"),
        ],
    ),
    c(
        "properties",
        0x73,
        "amqp:properties:list",
        "3.2.4",
        &[
            f("message-id", "*").requires("message-id"),
            f("user-id", "binary"),
            f("to", "*").requires("address"),
            f("subject", "string"),
            f("reply-to", "*").requires("address"),
            f("correlation-id", "*").requires("message-id"),
            f("content-type", "symbol"),
            f("content-encoding", "symbol"),
            f("absolute-expiry-time", "timestamp"),
            f("creation-time", "timestamp"),
            f("group-id", "string"),
            f("group-sequence", "sequence-no"),
            f("reply-to-group-id", "string"),
        ],
    ),
    c(
        "received",
        0x23,
        "amqp:received:list",
        "3.4.1",
        &[
            f("section-number", "uint").mandatory(),
            f("section-offset", "ulong").mandatory(),
        ],
    ),
    c("accepted", 0x24, "amqp:accepted:list", "3.4.2", &[]),
    c(
        "rejected",
        0x25,
        "amqp:rejected:list",
        "3.4.3",
        &[f("error", "error")],
    ),
    c("released", 0x26, "amqp:released:list", "3.4.4", &[]),
    c(
        "modified",
        0x27,
        "amqp:modified:list",
        "3.4.5",
        &[
            f("delivery-failed", "boolean"),
            f("undeliverable-here", "boolean"),
            f("message-annotations", "fields"),
        ],
    ),
    c(
        "source",
        0x28,
        "amqp:source:list",
        "3.5.3",
        &[
            f("address", "*").requires("address"),
            f("durable", "terminus-durability").default("none"),
            f("expiry-policy", "terminus-expiry-policy").default("session-end"),
            f("timeout", "seconds").default("0"),
            f("dynamic", "boolean").default("false"),
            f("dynamic-node-properties", "node-properties"),
            f("distribution-mode", "symbol").requires("distribution-mode"),
            f("filter", "filter-set"),
            f("default-outcome", "*").requires("outcome"),
            f("outcomes", "symbol").multiple(),
            f("capabilities", "symbol").multiple(),
        ],
    ),
    c(
        "target",
        0x29,
        "amqp:target:list",
        "3.5.4",
        &[
            f("address", "*").requires("address"),
            f("durable", "terminus-durability").default("none"),
            f("expiry-policy", "terminus-expiry-policy").default("session-end"),
            f("timeout", "seconds").default("0"),
            f("dynamic", "boolean").default("false"),
            f("dynamic-node-properties", "node-properties"),
            f("capabilities", "symbol").multiple(),
        ],
    ),
    c(
        "delete-on-close",
        0x2b,
        "amqp:delete-on-close:list",
        "3.5.10",
        &[],
    ),
    c(
        "delete-on-no-links",
        0x2c,
        "amqp:delete-on-no-links:list",
        "3.5.11",
        &[],
    ),
    c(
        "delete-on-no-messages",
        0x2d,
        "amqp:delete-on-no-messages:list",
        "3.5.12",
        &[],
    ),
    c(
        "delete-on-no-links-or-messages",
        0x2e,
        "amqp:delete-on-no-links-or-messages:list",
        "3.5.13",
        &[],
    ),
    // security.xml
    c(
        "sasl-mechanisms",
        0x40,
        "amqp:sasl-mechanisms:list",
        "5.3.3.1",
        &[f("sasl-server-mechanisms", "symbol").mandatory().multiple()],
    ),
    c(
        "sasl-init",
        0x41,
        "amqp:sasl-init:list",
        "5.3.3.2",
        &[
            f("mechanism", "symbol").mandatory(),
            f("initial-response", "binary"),
            f("hostname", "string"),
        ],
    ),
    c(
        "sasl-challenge",
        0x42,
        "amqp:sasl-challenge:list",
        "5.3.3.3",
        &[f("challenge", "binary").mandatory()],
    ),
    c(
        "sasl-response",
        0x43,
        "amqp:sasl-response:list",
        "5.3.3.4",
        &[f("response", "binary").mandatory()],
    ),
    c(
        "sasl-outcome",
        0x44,
        "amqp:sasl-outcome:list",
        "5.3.3.5",
        &[
            f("code", "sasl-code").mandatory(),
            f("additional-data", "binary"),
        ],
    ),
    // transactions.xml
    c(
        "coordinator",
        0x30,
        "amqp:coordinator:list",
        "4.5.1",
        &[f("capabilities", "symbol")
            .requires("txn-capability")
            .multiple()],
    ),
    c(
        "declare",
        0x31,
        "amqp:declare:list",
        "4.5.2",
        &[f("global-id", "*").requires("global-tx-id")],
    ),
    c(
        "discharge",
        0x32,
        "amqp:discharge:list",
        "4.5.3",
        &[
            f("txn-id", "*").mandatory().requires("txn-id"),
            f("fail", "boolean"),
        ],
    ),
    c(
        "declared",
        0x33,
        "amqp:declared:list",
        "4.5.5",
        &[f("txn-id", "*").mandatory().requires("txn-id")],
    ),
    c(
        "transactional-state",
        0x34,
        "amqp:transactional-state:list",
        "4.5.6",
        &[
            f("txn-id", "*").mandatory().requires("txn-id"),
            f("outcome", "*").requires("outcome"),
        ],
    ),
];

/// The described restricted types: the message sections (part 3, 3.2).
pub const SECTIONS: &[DescribedDef] = &[
    DescribedDef {
        name: "delivery-annotations",
        code: 0x71,
        symbol: "amqp:delivery-annotations:map",
        source: "annotations",
        section: "3.2.2",
    },
    DescribedDef {
        name: "message-annotations",
        code: 0x72,
        symbol: "amqp:message-annotations:map",
        source: "annotations",
        section: "3.2.3",
    },
    DescribedDef {
        name: "application-properties",
        code: 0x74,
        symbol: "amqp:application-properties:map",
        source: "map",
        section: "3.2.5",
    },
    DescribedDef {
        name: "data",
        code: 0x75,
        symbol: "amqp:data:binary",
        source: "binary",
        section: "3.2.6",
    },
    DescribedDef {
        name: "amqp-sequence",
        code: 0x76,
        symbol: "amqp:amqp-sequence:list",
        source: "list",
        section: "3.2.7",
    },
    DescribedDef {
        name: "amqp-value",
        code: 0x77,
        symbol: "amqp:amqp-value:*",
        source: "*",
        section: "3.2.8",
    },
    DescribedDef {
        name: "footer",
        code: 0x78,
        symbol: "amqp:footer:map",
        source: "annotations",
        section: "3.2.9",
    },
];

/// The restricted types with choices.
pub const RESTRICTED: &[RestrictedDef] = &[
    RestrictedDef {
        name: "role",
        source: "boolean",
        choices: &[("sender", "false"), ("receiver", "true")],
    },
    RestrictedDef {
        name: "sender-settle-mode",
        source: "ubyte",
        choices: &[("unsettled", "0"), ("settled", "1"), ("mixed", "2")],
    },
    RestrictedDef {
        name: "receiver-settle-mode",
        source: "ubyte",
        choices: &[("first", "0"), ("second", "1")],
    },
    RestrictedDef {
        name: "amqp-error",
        source: "symbol",
        choices: &[
            ("internal-error", "amqp:internal-error"),
            ("not-found", "amqp:not-found"),
            ("unauthorized-access", "amqp:unauthorized-access"),
            ("decode-error", "amqp:decode-error"),
            ("resource-limit-exceeded", "amqp:resource-limit-exceeded"),
            ("not-allowed", "amqp:not-allowed"),
            ("invalid-field", "amqp:invalid-field"),
            ("not-implemented", "amqp:not-implemented"),
            ("resource-locked", "amqp:resource-locked"),
            ("precondition-failed", "amqp:precondition-failed"),
            ("resource-deleted", "amqp:resource-deleted"),
            ("illegal-state", "amqp:illegal-state"),
            ("frame-size-too-small", "amqp:frame-size-too-small"),
        ],
    },
    RestrictedDef {
        name: "connection-error",
        source: "symbol",
        choices: &[
            ("connection-forced", "amqp:connection:forced"),
            ("framing-error", "amqp:connection:framing-error"),
            ("redirect", "amqp:connection:redirect"),
        ],
    },
    RestrictedDef {
        name: "session-error",
        source: "symbol",
        choices: &[
            ("window-violation", "amqp:session:window-violation"),
            ("errant-link", "amqp:session:errant-link"),
            ("handle-in-use", "amqp:session:handle-in-use"),
            ("unattached-handle", "amqp:session:unattached-handle"),
        ],
    },
    RestrictedDef {
        name: "link-error",
        source: "symbol",
        choices: &[
            ("detach-forced", "amqp:link:detach-forced"),
            (
                "transfer-limit-exceeded",
                "amqp:link:transfer-limit-exceeded",
            ),
            ("message-size-exceeded", "amqp:link:message-size-exceeded"),
            ("redirect", "amqp:link:redirect"),
            ("stolen", "amqp:link:stolen"),
        ],
    },
    RestrictedDef {
        name: "terminus-durability",
        source: "uint",
        choices: &[
            ("none", "0"),
            ("configuration", "1"),
            ("unsettled-state", "2"),
        ],
    },
    RestrictedDef {
        name: "terminus-expiry-policy",
        source: "symbol",
        choices: &[
            ("link-detach", "link-detach"),
            ("session-end", "session-end"),
            ("connection-close", "connection-close"),
            ("never", "never"),
        ],
    },
    RestrictedDef {
        name: "std-dist-mode",
        source: "symbol",
        choices: &[("move", "move"), ("copy", "copy")],
    },
    RestrictedDef {
        name: "sasl-code",
        source: "ubyte",
        choices: &[
            ("ok", "0"),
            ("auth", "1"),
            ("sys", "2"),
            ("sys-perm", "3"),
            ("sys-temp", "4"),
        ],
    },
    RestrictedDef {
        name: "txn-capability",
        source: "symbol",
        choices: &[
            ("local-transactions", "amqp:local-transactions"),
            ("distributed-transactions", "amqp:distributed-transactions"),
            ("promotable-transactions", "amqp:promotable-transactions"),
            ("multi-txns-per-ssn", "amqp:multi-txns-per-ssn"),
            ("multi-ssns-per-txn", "amqp:multi-ssns-per-txn"),
        ],
    },
    RestrictedDef {
        name: "transaction-error",
        source: "symbol",
        choices: &[
            ("unknown-id", "amqp:transaction:unknown-id"),
            ("transaction-rollback", "amqp:transaction:rollback"),
            ("transaction-timeout", "amqp:transaction:timeout"),
        ],
    },
];

const fn e(
    ty: &'static str,
    name: Option<&'static str>,
    code: u8,
    category: &'static str,
    width: u8,
) -> EncodingDef {
    EncodingDef {
        ty,
        name,
        code,
        category,
        width,
    }
}

/// The 39 primitive encodings of `types.xml`, in its order.
pub const ENCODINGS: &[EncodingDef] = &[
    e("null", None, 0x40, "fixed", 0),
    e("boolean", None, 0x56, "fixed", 1),
    e("boolean", Some("true"), 0x41, "fixed", 0),
    e("boolean", Some("false"), 0x42, "fixed", 0),
    e("ubyte", None, 0x50, "fixed", 1),
    e("ushort", None, 0x60, "fixed", 2),
    e("uint", None, 0x70, "fixed", 4),
    e("uint", Some("smalluint"), 0x52, "fixed", 1),
    e("uint", Some("uint0"), 0x43, "fixed", 0),
    e("ulong", None, 0x80, "fixed", 8),
    e("ulong", Some("smallulong"), 0x53, "fixed", 1),
    e("ulong", Some("ulong0"), 0x44, "fixed", 0),
    e("byte", None, 0x51, "fixed", 1),
    e("short", None, 0x61, "fixed", 2),
    e("int", None, 0x71, "fixed", 4),
    e("int", Some("smallint"), 0x54, "fixed", 1),
    e("long", None, 0x81, "fixed", 8),
    e("long", Some("smalllong"), 0x55, "fixed", 1),
    e("float", Some("ieee-754"), 0x72, "fixed", 4),
    e("double", Some("ieee-754"), 0x82, "fixed", 8),
    e("decimal32", Some("ieee-754"), 0x74, "fixed", 4),
    e("decimal64", Some("ieee-754"), 0x84, "fixed", 8),
    e("decimal128", Some("ieee-754"), 0x94, "fixed", 16),
    e("char", Some("utf32"), 0x73, "fixed", 4),
    e("timestamp", Some("ms64"), 0x83, "fixed", 8),
    e("uuid", None, 0x98, "fixed", 16),
    e("binary", Some("vbin8"), 0xa0, "variable", 1),
    e("binary", Some("vbin32"), 0xb0, "variable", 4),
    e("string", Some("str8-utf8"), 0xa1, "variable", 1),
    e("string", Some("str32-utf8"), 0xb1, "variable", 4),
    e("symbol", Some("sym8"), 0xa3, "variable", 1),
    e("symbol", Some("sym32"), 0xb3, "variable", 4),
    e("list", Some("list0"), 0x45, "fixed", 0),
    e("list", Some("list8"), 0xc0, "compound", 1),
    e("list", Some("list32"), 0xd0, "compound", 4),
    e("map", Some("map8"), 0xc1, "compound", 1),
    e("map", Some("map32"), 0xd1, "compound", 4),
    e("array", Some("array8"), 0xe0, "array", 1),
    e("array", Some("array32"), 0xf0, "array", 4),
];

/// The composite type named `name`.
pub fn composite(name: &str) -> Option<&'static CompositeDef> {
    COMPOSITES.iter().find(|c| c.name == name)
}

/// The composite type with descriptor `code`.
pub fn composite_by_code(code: u64) -> Option<&'static CompositeDef> {
    COMPOSITES.iter().find(|c| c.code == code)
}

/// The numeric code of the composite or section whose symbolic descriptor
/// is `symbol` (`"amqp:flow:list"` gives `0x13`).
pub fn code_of_symbol(symbol: &str) -> Option<u64> {
    COMPOSITES
        .iter()
        .map(|c| (c.symbol, c.code))
        .chain(SECTIONS.iter().map(|s| (s.symbol, s.code)))
        .find(|(s, _)| *s == symbol)
        .map(|(_, code)| code)
}

/// The section of the specification defining `name`: a composite, a
/// message section, or one of the archetypes the decoder names in
/// [`DecodeError::UnexpectedDescriptor`](crate::DecodeError) (`"performative"`
/// is 2.7, `"sasl-frame"` 5.3.3, `"delivery-state"` and `"outcome"` 3.4,
/// `"section"` 3.2, `"lifetime-policy"` 3.5.9 (node properties)).
pub fn section_of(name: &str) -> &'static str {
    if let Some(c) = composite(name) {
        return c.section;
    }
    if let Some(s) = SECTIONS.iter().find(|s| s.name == name) {
        return s.section;
    }
    match name {
        "performative" => "2.7",
        "sasl-frame" => "5.3.3",
        "delivery-state" | "outcome" => "3.4",
        "section" => "3.2",
        "lifetime-policy" => "3.5.9",
        "txn-id" => "4.5.4",
        _ => "1",
    }
}
