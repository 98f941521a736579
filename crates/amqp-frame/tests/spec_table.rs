//! Every composite's decoder against its row in `amqp_frame::spec` (the
//! table `tests/spec_xml.rs` checks against the OASIS XML): descriptor
//! code and symbol, field count, mandatory fields, defaults, `multiple`
//! fields and field types. The inputs are written by the independent
//! encoder in `common`, not by the crate.

mod common;

use amqp_frame::spec::{self, CompositeDef, FieldDef, COMPOSITES, RESTRICTED};
use amqp_frame::DecodeError;
use common::*;

/// Types whose nested value is a described composite: a wrong value is
/// refused as an unexpected descriptor rather than an invalid field.
fn nested(f: &FieldDef) -> bool {
    f.ty == "error"
        || matches!(
            f.requires,
            Some("source" | "target" | "delivery-state" | "outcome")
        )
}

/// A valid sample for field `f` (single symbols and arrays alternate for
/// `multiple` fields).
fn field_sample(f: &FieldDef, k: u64) -> Vec<u8> {
    if f.multiple {
        return if k % 2 == 0 {
            sym("a")
        } else {
            sym_array(&["a", "bb"])
        };
    }
    sample(f.ty, f.requires, k)
}

/// All fields set to samples number `k`.
fn full(c: &CompositeDef, k: u64) -> Vec<Vec<u8>> {
    c.fields.iter().map(|f| field_sample(f, k)).collect()
}

/// Mandatory fields set, the others `null`, trailing nulls left out.
fn minimal(c: &CompositeDef) -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = c
        .fields
        .iter()
        .map(|f| {
            if f.mandatory {
                field_sample(f, 0)
            } else {
                null()
            }
        })
        .collect();
    while v.last() == Some(&null()) {
        v.pop();
    }
    v
}

/// The encoding of the default `lit` of a field of type `ty`, through the
/// choices of restricted types.
fn default_value(ty: &str, lit: &str) -> Vec<u8> {
    let (source, value) = match RESTRICTED.iter().find(|r| r.name == ty) {
        Some(r) => {
            let (_, v) = r
                .choices
                .iter()
                .find(|(name, _)| *name == lit)
                .unwrap_or_else(|| panic!("{ty} has no choice {lit}"));
            (r.source, *v)
        }
        None => (ty, lit),
    };
    match source {
        "uint" | "handle" | "seconds" | "milliseconds" => uint(value.parse().unwrap()),
        "ushort" => ushort(value.parse().unwrap()),
        "ubyte" => ubyte(value.parse().unwrap()),
        "boolean" => boolean(value == "true"),
        "symbol" => sym(value),
        other => panic!("no default encoding for {other}"),
    }
}

#[test]
fn the_table_has_every_composite() {
    assert_eq!(COMPOSITES.len(), 33);
    for c in COMPOSITES {
        assert_eq!(
            spec::composite_by_code(c.code).map(|d| d.name),
            Some(c.name)
        );
        assert_eq!(spec::code_of_symbol(c.symbol), Some(c.code));
        assert_eq!(spec::section_of(c.name), c.section);
    }
}

#[test]
fn full_lists_decode_and_reencode() {
    for c in COMPOSITES {
        for k in 0..4 {
            let bytes = composite(c.code, &full(c, k));
            let (dbg, out) = decode_any(c.name, &bytes)
                .unwrap_or_else(|e| panic!("{} sample {k}: {e:?}", c.name));
            let (dbg2, out2) = decode_any(c.name, &out).unwrap();
            assert_eq!(dbg2, dbg, "{}", c.name);
            assert_eq!(out2, out, "{}: re-encoding is not stable", c.name);
        }
    }
}

#[test]
fn minimal_lists_reencode_to_the_same_bytes() {
    for c in COMPOSITES {
        let bytes = composite(c.code, &minimal(c));
        let (_, out) = decode_any(c.name, &bytes).unwrap_or_else(|e| panic!("{}: {e:?}", c.name));
        assert_eq!(out, bytes, "{}", c.name);
        if c.fields.iter().all(|f| !f.mandatory) {
            assert_eq!(bytes, [0x00, 0x53, c.code as u8, 0x45], "{}", c.name);
        }
    }
}

#[test]
fn mandatory_fields_are_enforced() {
    let mut checked = 0;
    for c in COMPOSITES {
        for (i, f) in c.fields.iter().enumerate() {
            if !f.mandatory {
                continue;
            }
            // null in place
            let mut fields = full(c, 0);
            fields[i] = null();
            let e = decode_any(c.name, &composite(c.code, &fields)).unwrap_err();
            assert_eq!(
                e,
                DecodeError::MissingField {
                    composite: c.name,
                    field: f.name
                }
            );
            assert_eq!(e.rule(), Some(c.section));
            // left out: the list ends before it
            let e = decode_any(c.name, &composite(c.code, &full(c, 0)[..i])).unwrap_err();
            assert_eq!(
                e,
                DecodeError::MissingField {
                    composite: c.name,
                    field: f.name
                }
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 25, "mandatory fields in the XML");
}

#[test]
fn defaults_are_applied() {
    let mut checked = 0;
    for c in COMPOSITES {
        for (i, f) in c.fields.iter().enumerate() {
            let Some(lit) = f.default else { continue };
            let base = minimal(c);
            let with = |v: Vec<u8>| {
                let mut f = base.clone();
                if f.len() <= i {
                    f.resize(i + 1, null());
                }
                f[i] = v;
                f
            };
            let (absent, _) = decode_any(c.name, &composite(c.code, &base)).unwrap();
            let (nulled, _) = decode_any(c.name, &composite(c.code, &with(null()))).unwrap();
            let explicit = with(default_value(f.ty, lit));
            let (given, _) = decode_any(c.name, &composite(c.code, &explicit)).unwrap();
            let (changed, _) =
                decode_any(c.name, &composite(c.code, &with(field_sample(f, 0)))).unwrap();
            assert_eq!(absent, given, "{}.{} default {lit}", c.name, f.name);
            assert_eq!(absent, nulled, "{}.{} null", c.name, f.name);
            if field_sample(f, 0) != default_value(f.ty, lit) {
                assert_ne!(absent, changed, "{}.{} is not read", c.name, f.name);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 23, "fields with defaults in the XML");
}

#[test]
fn wrong_types_are_refused() {
    for c in COMPOSITES {
        for (i, f) in c.fields.iter().enumerate() {
            let Some(bad) = wrong(f.ty, f.requires) else {
                continue;
            };
            let mut fields = full(c, 0);
            fields[i] = bad;
            let e = decode_any(c.name, &composite(c.code, &fields)).unwrap_err();
            if nested(f) {
                assert!(
                    matches!(e, DecodeError::UnexpectedDescriptor { .. }),
                    "{}.{}: {e:?}",
                    c.name,
                    f.name
                );
            } else {
                assert_eq!(
                    e,
                    DecodeError::InvalidField {
                        composite: c.name,
                        field: f.name
                    },
                    "{}.{}",
                    c.name,
                    f.name
                );
            }
        }
    }
}

#[test]
fn more_fields_than_defined_are_refused() {
    for c in COMPOSITES {
        let mut fields = full(c, 0);
        fields.push(null());
        let e = decode_any(c.name, &composite(c.code, &fields)).unwrap_err();
        assert_eq!(
            e,
            DecodeError::TooManyFields {
                composite: c.name,
                count: c.fields.len() as u32 + 1
            }
        );
    }
}

#[test]
fn multiple_fields_take_a_value_or_an_array() {
    let mut checked = 0;
    for c in COMPOSITES {
        for (i, f) in c.fields.iter().enumerate() {
            if !f.multiple {
                continue;
            }
            let mut one = full(c, 0);
            one[i] = sym("only");
            let mut arr = one.clone();
            arr[i] = sym_array(&["only"]);
            let (a, _) = decode_any(c.name, &composite(c.code, &one)).unwrap();
            let (b, b_bytes) = decode_any(c.name, &composite(c.code, &arr)).unwrap();
            assert_eq!(a, b, "{}.{}", c.name, f.name);
            // the array form is kept when encoding
            assert_eq!(b_bytes, composite(c.code, &arr), "{}.{}", c.name, f.name);
            if !f.mandatory {
                let mut empty = one.clone();
                empty[i] = sym_array(&[]);
                let mut nulled = one.clone();
                nulled[i] = null();
                let (e, _) = decode_any(c.name, &composite(c.code, &empty)).unwrap();
                let (n, _) = decode_any(c.name, &composite(c.code, &nulled)).unwrap();
                assert_eq!(e, n, "{}.{}: empty array and null", c.name, f.name);
            }
            // an array of something else is not a symbol field
            let mut bad = one.clone();
            bad[i] = vec![0xe0, 0x04, 0x02, 0x52, 0x01, 0x02];
            assert_eq!(
                decode_any(c.name, &composite(c.code, &bad)).unwrap_err(),
                DecodeError::InvalidField {
                    composite: c.name,
                    field: f.name
                }
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 13, "multiple fields in the XML");
}

#[test]
fn symbolic_descriptors_decode_the_same() {
    for c in COMPOSITES {
        let fields = full(c, 1);
        let numeric = composite(c.code, &fields);
        let mut symbolic = vec![0x00];
        symbolic.extend(sym(c.symbol));
        symbolic.extend(list(&fields));
        let (a, enc) = decode_any(c.name, &numeric).unwrap();
        let (b, enc2) = decode_any(c.name, &symbolic).unwrap();
        assert_eq!(a, b, "{}", c.name);
        // encoding always uses the numeric descriptor
        assert_eq!(enc, enc2);
        assert_eq!(&enc[..3], &[0x00, 0x53, c.code as u8]);
    }
}

#[test]
fn other_descriptors_are_refused() {
    for c in COMPOSITES {
        for other in COMPOSITES.iter().filter(|o| o.code != c.code) {
            let bytes = composite(other.code, &[]);
            let e = decode_any(c.name, &bytes).unwrap_err();
            assert!(
                matches!(e, DecodeError::UnexpectedDescriptor { .. }),
                "{} given {}: {e:?}",
                c.name,
                other.name
            );
        }
        // not described at all, or not a list
        assert!(decode_any(c.name, &[0x45]).is_err());
        if !c.name.starts_with("delete-on") {
            assert_eq!(
                decode_any(c.name, &described(c.code, uint(1))).unwrap_err(),
                DecodeError::NotAList { composite: c.name }
            );
        }
    }
}
