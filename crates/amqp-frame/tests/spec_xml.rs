//! The definitions in `amqp_frame::spec` (which the typed codec implements
//! and `tests/spec_table.rs` checks the decoders against) checked against
//! the OASIS AMQP 1.0 XML: every composite's descriptor code and symbol,
//! every field's name, type, requires, default, mandatory and multiple
//! flag, the described sections, the restricted types' choices, the 39
//! primitive encodings, and the crate's constants.
//!
//! The XML comes from Debian's `amqp-specs` package
//! (`/usr/share/amqp/specs/1-0/*.bare.xml`, or `$AMQP_SPECS_DIR`), which a
//! machine with only Rust does not have, so the test is `#[ignore]`d in
//! plain `cargo test`; `scripts/real-peers.sh` installs the package and
//! runs it with `--ignored`.

extern crate alloc;

use alloc::collections::BTreeMap;

use amqp_frame::spec::{COMPOSITES, ENCODINGS, RESTRICTED, SECTIONS};

/// One XML element: its tag and attributes.
#[derive(Debug, Clone)]
struct El {
    tag: String,
    attrs: BTreeMap<String, String>,
    self_closing: bool,
    closing: bool,
}

impl El {
    fn get(&self, k: &str) -> Option<&str> {
        self.attrs.get(k).map(String::as_str)
    }
}

/// The elements of `xml` in order (comments and the prolog skipped). The
/// AMQP XML is plain: no CDATA, no entities in the attributes used here.
fn elements(xml: &str) -> Vec<El> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix("!--") {
            rest = &r[r.find("-->").expect("unterminated comment") + 3..];
            continue;
        }
        let end = rest.find('>').expect("unterminated tag");
        let inner = &rest[..end];
        rest = &rest[end + 1..];
        if inner.starts_with('?') {
            continue;
        }
        let closing = inner.starts_with('/');
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_start_matches('/').trim_end_matches('/');
        let (tag, mut attrs_src) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let mut attrs = BTreeMap::new();
        loop {
            attrs_src = attrs_src.trim_start();
            let Some(eq) = attrs_src.find("=\"") else {
                break;
            };
            let key = attrs_src[..eq].trim().to_owned();
            let after = &attrs_src[eq + 2..];
            let close = after.find('"').expect("unterminated attribute");
            attrs.insert(key, after[..close].to_owned());
            attrs_src = &after[close + 1..];
        }
        out.push(El {
            tag: tag.to_owned(),
            attrs,
            self_closing,
            closing,
        });
    }
    out
}

/// A `<type>` with what it contains.
#[derive(Debug, Default)]
struct XType {
    name: String,
    class: String,
    source: Option<String>,
    descriptor: Option<(String, u64)>,
    fields: Vec<El>,
    choices: Vec<(String, String)>,
    encodings: Vec<El>,
}

fn types(xml: &str) -> Vec<XType> {
    let mut out = Vec::new();
    let mut cur: Option<XType> = None;
    for el in elements(xml) {
        match (el.tag.as_str(), el.closing) {
            ("type", false) => {
                let t = XType {
                    name: el.get("name").unwrap().to_owned(),
                    class: el.get("class").unwrap().to_owned(),
                    source: el.get("source").map(str::to_owned),
                    ..XType::default()
                };
                if el.self_closing {
                    out.push(t);
                } else {
                    cur = Some(t);
                }
            }
            ("type", true) => out.push(cur.take().expect("</type> without <type>")),
            ("descriptor", _) => {
                let t = cur.as_mut().expect("descriptor outside a type");
                let code = el.get("code").unwrap();
                let (domain, id) = code.split_once(':').unwrap();
                let hex = |s: &str| u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap();
                t.descriptor = Some((
                    el.get("name").unwrap().to_owned(),
                    hex(domain) << 32 | hex(id),
                ));
            }
            ("field", _) => cur.as_mut().expect("field outside a type").fields.push(el),
            ("choice", _) => cur.as_mut().expect("choice outside a type").choices.push((
                el.get("name").unwrap().to_owned(),
                el.get("value").unwrap().to_owned(),
            )),
            ("encoding", _) => cur
                .as_mut()
                .expect("encoding outside a type")
                .encodings
                .push(el),
            _ => {}
        }
    }
    out
}

fn load() -> (Vec<XType>, Vec<El>) {
    let dir =
        std::env::var("AMQP_SPECS_DIR").unwrap_or_else(|_| "/usr/share/amqp/specs/1-0".into());
    let mut all = Vec::new();
    let mut defs = Vec::new();
    for f in [
        "types",
        "transport",
        "messaging",
        "security",
        "transactions",
    ] {
        let path = format!("{dir}/{f}.bare.xml");
        let xml = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e} (install Debian's amqp-specs)"));
        all.extend(types(&xml));
        defs.extend(elements(&xml).into_iter().filter(|e| e.tag == "definition"));
    }
    (all, defs)
}

#[test]
#[ignore = "needs Debian's amqp-specs XML; scripts/real-peers.sh installs it and runs this"]
fn composites_match_the_xml() {
    let (types, _) = load();
    let xml: Vec<&XType> = types.iter().filter(|t| t.class == "composite").collect();
    assert_eq!(xml.len(), 33);
    assert_eq!(COMPOSITES.len(), xml.len());
    for x in xml {
        let c = COMPOSITES
            .iter()
            .find(|c| c.name == x.name)
            .unwrap_or_else(|| panic!("{} missing from spec::COMPOSITES", x.name));
        let (symbol, code) = x.descriptor.as_ref().expect("composite without descriptor");
        assert_eq!(
            (c.symbol, c.code),
            (symbol.as_str(), *code),
            "{} descriptor",
            c.name
        );
        assert_eq!(c.fields.len(), x.fields.len(), "{} field count", c.name);
        for (f, xf) in c.fields.iter().zip(&x.fields) {
            let at = format!("{}.{}", c.name, f.name);
            assert_eq!(Some(f.name), xf.get("name"), "{at} name");
            assert_eq!(Some(f.ty), xf.get("type"), "{at} type");
            assert_eq!(f.requires, xf.get("requires"), "{at} requires");
            assert_eq!(f.default, xf.get("default"), "{at} default");
            assert_eq!(
                f.mandatory,
                xf.get("mandatory") == Some("true"),
                "{at} mandatory"
            );
            assert_eq!(
                f.multiple,
                xf.get("multiple") == Some("true"),
                "{at} multiple"
            );
        }
    }
}

#[test]
#[ignore = "needs Debian's amqp-specs XML; scripts/real-peers.sh installs it and runs this"]
fn sections_and_restricted_types_match_the_xml() {
    let (types, defs) = load();
    let described: Vec<&XType> = types
        .iter()
        .filter(|t| t.class == "restricted" && t.descriptor.is_some())
        .collect();
    assert_eq!(SECTIONS.len(), described.len());
    for x in described {
        let s = SECTIONS
            .iter()
            .find(|s| s.name == x.name)
            .unwrap_or_else(|| panic!("{} missing from spec::SECTIONS", x.name));
        let (symbol, code) = x.descriptor.as_ref().unwrap();
        assert_eq!((s.symbol, s.code), (symbol.as_str(), *code), "{}", s.name);
        assert_eq!(Some(s.source), x.source.as_deref(), "{} source", s.name);
    }
    let with_choices: Vec<&XType> = types.iter().filter(|t| !t.choices.is_empty()).collect();
    assert_eq!(RESTRICTED.len(), with_choices.len());
    for x in with_choices {
        let r = RESTRICTED
            .iter()
            .find(|r| r.name == x.name)
            .unwrap_or_else(|| panic!("{} missing from spec::RESTRICTED", x.name));
        assert_eq!(Some(r.source), x.source.as_deref(), "{} source", r.name);
        let ours: Vec<(String, String)> = r
            .choices
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(ours, x.choices, "{} choices", r.name);
    }
    let min = defs
        .iter()
        .find(|d| d.get("name") == Some("MIN-MAX-FRAME-SIZE"))
        .and_then(|d| d.get("value"))
        .unwrap();
    assert_eq!(
        min.parse::<u32>().unwrap(),
        amqp_frame::frame::MIN_MAX_FRAME_SIZE
    );
}

#[test]
#[ignore = "needs Debian's amqp-specs XML; scripts/real-peers.sh installs it and runs this"]
fn encodings_match_the_xml() {
    let (types, _) = load();
    let xml: Vec<(String, &El)> = types
        .iter()
        .filter(|t| t.class == "primitive")
        .flat_map(|t| t.encodings.iter().map(|e| (t.name.clone(), e)))
        .collect();
    assert_eq!(xml.len(), 39);
    assert_eq!(ENCODINGS.len(), xml.len());
    for (e, (ty, x)) in ENCODINGS.iter().zip(&xml) {
        assert_eq!(e.ty, ty, "{e:?}");
        assert_eq!(e.name, x.get("name"), "{e:?}");
        let code = u8::from_str_radix(x.get("code").unwrap().trim_start_matches("0x"), 16).unwrap();
        assert_eq!(e.code, code, "{e:?}");
        assert_eq!(Some(e.category), x.get("category"), "{e:?}");
        assert_eq!(e.width.to_string(), x.get("width").unwrap(), "{e:?}");
    }
}

/// The choice `name` of restricted type `ty` in the XML.
fn choice<'a>(types: &'a [XType], ty: &str, name: &str) -> &'a str {
    let t = types.iter().find(|t| t.name == ty).unwrap();
    &t.choices.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
#[ignore = "needs Debian's amqp-specs XML; scripts/real-peers.sh installs it and runs this"]
fn the_crates_constants_match_the_xml() {
    use amqp_frame::messaging::{DistributionMode, TerminusDurability, TerminusExpiryPolicy};
    use amqp_frame::sasl::SaslCode;
    use amqp_frame::transactions as tx;
    use amqp_frame::transport::{ErrorCondition as E, ReceiverSettleMode, SenderSettleMode};
    use amqp_frame::types::code;
    let (types, _) = load();
    let t = &types[..];
    let conditions = [
        (E::INTERNAL_ERROR, "amqp-error", "internal-error"),
        (E::NOT_FOUND, "amqp-error", "not-found"),
        (E::UNAUTHORIZED_ACCESS, "amqp-error", "unauthorized-access"),
        (E::DECODE_ERROR, "amqp-error", "decode-error"),
        (
            E::RESOURCE_LIMIT_EXCEEDED,
            "amqp-error",
            "resource-limit-exceeded",
        ),
        (E::NOT_ALLOWED, "amqp-error", "not-allowed"),
        (E::INVALID_FIELD, "amqp-error", "invalid-field"),
        (E::NOT_IMPLEMENTED, "amqp-error", "not-implemented"),
        (E::RESOURCE_LOCKED, "amqp-error", "resource-locked"),
        (E::PRECONDITION_FAILED, "amqp-error", "precondition-failed"),
        (E::RESOURCE_DELETED, "amqp-error", "resource-deleted"),
        (E::ILLEGAL_STATE, "amqp-error", "illegal-state"),
        (
            E::FRAME_SIZE_TOO_SMALL,
            "amqp-error",
            "frame-size-too-small",
        ),
        (
            E::CONNECTION_FORCED,
            "connection-error",
            "connection-forced",
        ),
        (E::FRAMING_ERROR, "connection-error", "framing-error"),
        (E::CONNECTION_REDIRECT, "connection-error", "redirect"),
        (E::WINDOW_VIOLATION, "session-error", "window-violation"),
        (E::ERRANT_LINK, "session-error", "errant-link"),
        (E::HANDLE_IN_USE, "session-error", "handle-in-use"),
        (E::UNATTACHED_HANDLE, "session-error", "unattached-handle"),
        (E::DETACH_FORCED, "link-error", "detach-forced"),
        (
            E::TRANSFER_LIMIT_EXCEEDED,
            "link-error",
            "transfer-limit-exceeded",
        ),
        (
            E::MESSAGE_SIZE_EXCEEDED,
            "link-error",
            "message-size-exceeded",
        ),
        (E::LINK_REDIRECT, "link-error", "redirect"),
        (E::STOLEN, "link-error", "stolen"),
        (E::TRANSACTION_UNKNOWN_ID, "transaction-error", "unknown-id"),
        (
            E::TRANSACTION_ROLLBACK,
            "transaction-error",
            "transaction-rollback",
        ),
        (
            E::TRANSACTION_TIMEOUT,
            "transaction-error",
            "transaction-timeout",
        ),
    ];
    for (c, ty, name) in conditions {
        assert_eq!(c.0, choice(t, ty, name), "{ty}/{name}");
    }
    let all_conditions: usize = [
        "amqp-error",
        "connection-error",
        "session-error",
        "link-error",
        "transaction-error",
    ]
    .iter()
    .map(|ty| types.iter().find(|x| x.name == *ty).unwrap().choices.len())
    .sum();
    assert_eq!(
        conditions.len(),
        all_conditions,
        "every error condition has a constant"
    );
    for (c, name) in [
        (SaslCode::OK, "ok"),
        (SaslCode::AUTH, "auth"),
        (SaslCode::SYS, "sys"),
        (SaslCode::SYS_PERM, "sys-perm"),
        (SaslCode::SYS_TEMP, "sys-temp"),
    ] {
        assert_eq!(c.0.to_string(), choice(t, "sasl-code", name));
    }
    for (c, name) in [
        (SenderSettleMode::UNSETTLED, "unsettled"),
        (SenderSettleMode::SETTLED, "settled"),
        (SenderSettleMode::MIXED, "mixed"),
    ] {
        assert_eq!(c.0.to_string(), choice(t, "sender-settle-mode", name));
    }
    for (c, name) in [
        (ReceiverSettleMode::FIRST, "first"),
        (ReceiverSettleMode::SECOND, "second"),
    ] {
        assert_eq!(c.0.to_string(), choice(t, "receiver-settle-mode", name));
    }
    for (c, name) in [
        (TerminusDurability::NONE, "none"),
        (TerminusDurability::CONFIGURATION, "configuration"),
        (TerminusDurability::UNSETTLED_STATE, "unsettled-state"),
    ] {
        assert_eq!(c.0.to_string(), choice(t, "terminus-durability", name));
    }
    for (c, name) in [
        (TerminusExpiryPolicy::LINK_DETACH, "link-detach"),
        (TerminusExpiryPolicy::SESSION_END, "session-end"),
        (TerminusExpiryPolicy::CONNECTION_CLOSE, "connection-close"),
        (TerminusExpiryPolicy::NEVER, "never"),
    ] {
        assert_eq!(c.0, choice(t, "terminus-expiry-policy", name));
    }
    for (c, name) in [
        (DistributionMode::MOVE, "move"),
        (DistributionMode::COPY, "copy"),
    ] {
        assert_eq!(c.0, choice(t, "std-dist-mode", name));
    }
    for (c, name) in [
        (tx::LOCAL_TRANSACTIONS, "local-transactions"),
        (tx::DISTRIBUTED_TRANSACTIONS, "distributed-transactions"),
        (tx::PROMOTABLE_TRANSACTIONS, "promotable-transactions"),
        (tx::MULTI_TXNS_PER_SSN, "multi-txns-per-ssn"),
        (tx::MULTI_SSNS_PER_TXN, "multi-ssns-per-txn"),
    ] {
        assert_eq!(c, choice(t, "txn-capability", name));
    }
    // The format code constants of the type system.
    let by_name = |ty: &str, name: Option<&str>| {
        ENCODINGS
            .iter()
            .find(|e| e.ty == ty && e.name == name)
            .unwrap()
            .code
    };
    for (c, ty, name) in [
        (code::NULL, "null", None),
        (code::BOOLEAN, "boolean", None),
        (code::TRUE, "boolean", Some("true")),
        (code::FALSE, "boolean", Some("false")),
        (code::UBYTE, "ubyte", None),
        (code::USHORT, "ushort", None),
        (code::UINT, "uint", None),
        (code::SMALLUINT, "uint", Some("smalluint")),
        (code::UINT0, "uint", Some("uint0")),
        (code::ULONG, "ulong", None),
        (code::SMALLULONG, "ulong", Some("smallulong")),
        (code::ULONG0, "ulong", Some("ulong0")),
        (code::BYTE, "byte", None),
        (code::SHORT, "short", None),
        (code::INT, "int", None),
        (code::SMALLINT, "int", Some("smallint")),
        (code::LONG, "long", None),
        (code::SMALLLONG, "long", Some("smalllong")),
        (code::FLOAT, "float", Some("ieee-754")),
        (code::DOUBLE, "double", Some("ieee-754")),
        (code::DECIMAL32, "decimal32", Some("ieee-754")),
        (code::DECIMAL64, "decimal64", Some("ieee-754")),
        (code::DECIMAL128, "decimal128", Some("ieee-754")),
        (code::CHAR, "char", Some("utf32")),
        (code::TIMESTAMP, "timestamp", Some("ms64")),
        (code::UUID, "uuid", None),
        (code::VBIN8, "binary", Some("vbin8")),
        (code::VBIN32, "binary", Some("vbin32")),
        (code::STR8, "string", Some("str8-utf8")),
        (code::STR32, "string", Some("str32-utf8")),
        (code::SYM8, "symbol", Some("sym8")),
        (code::SYM32, "symbol", Some("sym32")),
        (code::LIST0, "list", Some("list0")),
        (code::LIST8, "list", Some("list8")),
        (code::LIST32, "list", Some("list32")),
        (code::MAP8, "map", Some("map8")),
        (code::MAP32, "map", Some("map32")),
        (code::ARRAY8, "array", Some("array8")),
        (code::ARRAY32, "array", Some("array32")),
    ] {
        assert_eq!(c, by_name(ty, name), "{ty} {name:?}");
    }
}
