//! `iotcodec`: decode and round-trip MQTT, MQTT-SN, CoAP and AMQP captures.
//!
//! Exit status: 0 when every packet decoded (or re-encoded identically), 1
//! when any input was rejected, left incomplete or differs, 2 for usage
//! errors.

use std::io::{Read, Write};
use std::process::ExitCode;

use iotcodec::{first_difference, hex, inspect, Item, Outcome, Proto};
use serde_json::json;

const USAGE: &str = "\
usage: iotcodec decode    <PROTO> [--hex HEX | --file PATH] [--json]
       iotcodec roundtrip <PROTO> [--hex HEX | --file PATH] [--json]

PROTO is one of: mqtt3 (MQTT 3.1 and 3.1.1), mqtt5, mqtt-sn, coap, coap-tcp, amqp.
Stream protocols (mqtt3, mqtt5, coap-tcp, amqp) decode every packet in the
input; datagram protocols (coap, mqtt-sn) decode the input as one datagram.
Without --hex or --file the raw bytes are read from standard input. HEX may
contain spaces, colons and newlines between bytes.

decode     prints one line per packet (--json: one JSON object per packet).
roundtrip  decodes each packet, encodes it again and says whether the bytes
           are identical or where they first differ.

Exit status: 0 all good, 1 input rejected/incomplete/different, 2 usage error.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Decode,
    Roundtrip,
}

#[derive(Debug)]
struct Args {
    mode: Mode,
    proto: Proto,
    input: Input,
    json: bool,
}

#[derive(Debug)]
enum Input {
    Hex(String),
    File(String),
    Stdin,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let mode = match it.next().map(String::as_str) {
        Some("decode") => Mode::Decode,
        Some("roundtrip") => Mode::Roundtrip,
        Some(other) => return Err(format!("unknown command '{other}'")),
        None => return Err("missing command".to_owned()),
    };
    let proto = it
        .next()
        .ok_or("missing protocol")?
        .parse::<Proto>()
        .map_err(|e| e.to_string())?;
    let mut input = Input::Stdin;
    let mut json = false;
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--hex" | "--file" if !matches!(input, Input::Stdin) => {
                return Err("give at most one of --hex and --file".to_owned())
            }
            "--hex" => input = Input::Hex(it.next().ok_or("--hex needs a value")?.clone()),
            "--file" => input = Input::File(it.next().ok_or("--file needs a path")?.clone()),
            other => return Err(format!("unexpected argument '{other}'")),
        }
    }
    Ok(Args {
        mode,
        proto,
        input,
        json,
    })
}

/// Parses hex digits, allowing whitespace, `:` and `-` between bytes and an
/// optional `0x` prefix.
fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    let s = s.trim();
    let s = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let digits: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b':' && *b != b'-')
        .collect();
    if digits.len() % 2 != 0 {
        return Err("hex input has an odd number of digits".to_owned());
    }
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).map_err(|_| "hex input is not ASCII")?;
            u8::from_str_radix(text, 16).map_err(|_| format!("'{text}' is not a hex byte"))
        })
        .collect()
}

fn read_input(input: &Input) -> Result<Vec<u8>, String> {
    match input {
        Input::Hex(h) => parse_hex(h),
        Input::File(path) => std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}")),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok(buf)
        }
    }
}

/// Formats one item; returns the line and whether it counts as success.
fn render(item: &Item, input: &[u8], mode: Mode, as_json: bool) -> (String, bool) {
    let off = item.offset;
    match &item.outcome {
        Outcome::Packet {
            len,
            text,
            json,
            reencoded,
        } => {
            if mode == Mode::Decode {
                let line = if as_json {
                    json!({"ok": true, "offset": off, "len": len, "packet": json}).to_string()
                } else {
                    format!("@{off} [{len} B] {text}")
                };
                return (line, true);
            }
            let original = &input[off..off + len];
            let verdict = match reencoded {
                Ok(bytes) => match first_difference(original, bytes) {
                    None => Ok(()),
                    Some(at) => Err(format!("differs at byte {at} (re-encoded: {})", hex(bytes))),
                },
                Err(e) => Err(format!("cannot re-encode: {e}")),
            };
            let ok = verdict.is_ok();
            let line = if as_json {
                let mut j = json!({"ok": ok, "offset": off, "len": len, "identical": ok});
                match (&verdict, reencoded) {
                    (Err(_), Ok(bytes)) => {
                        j["differs_at"] = first_difference(original, bytes).into();
                        j["reencoded"] = hex(bytes).into();
                    }
                    (Err(e), Err(_)) => j["error"] = e.as_str().into(),
                    _ => {}
                }
                j.to_string()
            } else {
                match verdict {
                    Ok(()) => format!("@{off} [{len} B] {text}: identical"),
                    Err(e) => format!("@{off} [{len} B] {text}: {e}"),
                }
            };
            (line, ok)
        }
        Outcome::Error { message, rule } => {
            let line = if as_json {
                json!({"ok": false, "offset": off, "error": message, "rule": rule}).to_string()
            } else {
                match rule {
                    Some(r) => format!("@{off} error: {message} [{r}]"),
                    None => format!("@{off} error: {message}"),
                }
            };
            (line, false)
        }
        Outcome::Incomplete { needed } => {
            let line = if as_json {
                json!({"ok": false, "offset": off, "error": "incomplete", "needed": needed})
                    .to_string()
            } else {
                match needed {
                    Some(n) => format!("@{off} incomplete: {n} more byte(s) needed"),
                    None => format!("@{off} incomplete: more bytes needed"),
                }
            };
            (line, false)
        }
    }
}

fn run(args: &[String]) -> Result<bool, (String, u8)> {
    if matches!(
        args.first().map(String::as_str),
        Some("help" | "--help" | "-h")
    ) {
        println!("{USAGE}");
        return Ok(true);
    }
    let args = parse_args(args).map_err(|e| (format!("iotcodec: {e}\n\n{USAGE}"), 2))?;
    let input = read_input(&args.input).map_err(|e| (format!("iotcodec: {e}"), 2))?;
    let items = inspect(args.proto, &input);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut all_ok = true;
    if items.is_empty() {
        // An empty stream holds no packet; that is not an error.
        let _ = writeln!(out, "no packets");
    }
    for item in &items {
        let (line, ok) = render(item, &input, args.mode, args.json);
        all_ok &= ok;
        let _ = writeln!(out, "{line}");
    }
    Ok(all_ok)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err((msg, code)) => {
            eprintln!("{msg}");
            ExitCode::from(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_forms() {
        assert_eq!(parse_hex("c0 00"), Ok(vec![0xc0, 0]));
        assert_eq!(parse_hex("0xC0:00\n"), Ok(vec![0xc0, 0]));
        assert!(parse_hex("c").is_err());
        assert!(parse_hex("zz").is_err());
        assert_eq!(parse_hex(""), Ok(vec![]));
    }

    #[test]
    fn args() {
        let a = |v: &[&str]| parse_args(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let ok = a(&["decode", "mqtt5", "--hex", "c000", "--json"]).unwrap();
        assert_eq!(ok.mode, Mode::Decode);
        assert_eq!(ok.proto, Proto::Mqtt5);
        assert!(ok.json);
        assert!(a(&["decode"]).is_err());
        assert!(a(&["explode", "mqtt3"]).is_err());
        assert!(a(&["decode", "mqtt9"]).is_err());
        assert!(a(&["decode", "coap", "--hex", "00", "--file", "x"]).is_err());
        assert!(a(&["roundtrip", "amqp", "--bogus"]).is_err());
    }
}
