//! The stream driver with a toy protocol: A sends numbered records (4-byte
//! number, 1-byte length, that many bytes), one every 10 ms and at most four
//! unacknowledged; B acknowledges each with its 4-byte number. After a
//! disconnect A resends from the first record not acknowledged, and a new B
//! carries on from the next record it expects, dropping repeats.

use std::time::Duration;

use bytes::BytesMut;
use iotcodec_core::Instant;
use iotcodec_testkit::{Cut, Side, StreamConfig, StreamMachine, StreamPair, StreamReport};

const PACE: Duration = Duration::from_millis(10);
const WINDOW: u32 = 4;

fn record(n: u32) -> Vec<u8> {
    let len = (n % 7) as u8;
    let mut r = n.to_be_bytes().to_vec();
    r.push(len);
    r.extend((0..len).map(|i| i ^ n as u8));
    r
}

struct Sender {
    total: u32,
    next: u32,
    acked: u32,
    send_at: Option<Instant>,
    input: Vec<u8>,
}

impl Sender {
    fn new(total: u32) -> Self {
        Self {
            total,
            next: 0,
            acked: 0,
            send_at: Some(Instant::ZERO),
            input: Vec::new(),
        }
    }

    /// A new connection: resend what was not acknowledged.
    fn reconnected(&mut self, now: Instant) {
        self.next = self.acked;
        self.input.clear();
        self.send_at = (self.next < self.total).then_some(now);
    }
}

impl StreamMachine for Sender {
    fn handle_input(&mut self, now: Instant, bytes: &[u8]) {
        assert!(!bytes.is_empty(), "an empty chunk");
        self.input.extend_from_slice(bytes);
        while self.input.len() >= 4 {
            let n = u32::from_be_bytes(self.input[..4].try_into().unwrap());
            self.input.drain(..4);
            assert_eq!(n, self.acked, "acknowledgements out of order");
            self.acked += 1;
            if self.send_at.is_none() && self.next < self.total {
                self.send_at = Some(now);
            }
        }
    }

    fn poll_transmit(&mut self, now: Instant, buf: &mut BytesMut) -> Option<usize> {
        if self.send_at? > now || self.next - self.acked >= WINDOW {
            return None;
        }
        let r = record(self.next);
        buf.extend_from_slice(&r);
        self.next += 1;
        self.send_at = (self.next < self.total).then_some(now + PACE);
        Some(r.len())
    }

    fn poll_timeout(&self) -> Option<Instant> {
        // blocked by the window: woken by an acknowledgement, not a timer
        self.send_at.filter(|_| self.next - self.acked < WINDOW)
    }

    fn handle_timeout(&mut self, now: Instant) {
        assert!(self.send_at.is_some_and(|t| t <= now), "woken early");
    }
}

struct Receiver {
    expected: u32,
    delivered: Vec<u32>,
    input: Vec<u8>,
    acks: Vec<u8>,
}

impl Receiver {
    fn resume(expected: u32) -> Self {
        Self {
            expected,
            delivered: Vec::new(),
            input: Vec::new(),
            acks: Vec::new(),
        }
    }
}

impl StreamMachine for Receiver {
    fn handle_input(&mut self, _now: Instant, bytes: &[u8]) {
        assert!(!bytes.is_empty(), "an empty chunk");
        self.input.extend_from_slice(bytes);
        while self.input.len() >= 5 {
            let n = u32::from_be_bytes(self.input[..4].try_into().unwrap());
            let len = usize::from(self.input[4]);
            if self.input.len() < 5 + len {
                break;
            }
            assert_eq!(&self.input[..5 + len], record(n), "garbled record");
            self.input.drain(..5 + len);
            assert!(n <= self.expected, "record {n} before {}", self.expected);
            if n == self.expected {
                self.delivered.push(n);
                self.expected += 1;
            }
            self.acks.extend_from_slice(&n.to_be_bytes());
        }
    }

    fn poll_transmit(&mut self, _now: Instant, buf: &mut BytesMut) -> Option<usize> {
        if self.acks.is_empty() {
            return None;
        }
        buf.extend_from_slice(&self.acks);
        Some(core::mem::take(&mut self.acks).len())
    }

    fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    fn handle_timeout(&mut self, _now: Instant) {}
}

/// What one run saw.
struct Run {
    report: StreamReport,
    delivered: Vec<u32>,
    disconnects: Vec<iotcodec_testkit::Disconnect>,
    trace: Vec<Instant>,
}

/// Sends `total` records with the first connection cut as `first`, each
/// later one as `later`, reconnecting at once after every break.
fn run(total: u32, config: StreamConfig, first: Cut, later: Cut, seed: u64) -> Run {
    let mut pair = StreamPair::new(Sender::new(total), Receiver::resume(0), config, first, seed);
    let mut delivered = Vec::new();
    let mut disconnects = Vec::new();
    let mut trace = Vec::new();
    let report = pair.run(|pair| {
        trace.push(pair.now());
        delivered.append(&mut pair.b_mut().delivered);
        if let Some(d) = pair.disconnected() {
            disconnects.push(d);
            assert!(disconnects.len() < 1_000, "seed {seed}: no progress");
            // a new receiver for the new connection, carrying on
            let expected = pair.b().expected;
            *pair.b_mut() = Receiver::resume(expected);
            let now = pair.now();
            pair.a_mut().reconnected(now);
            pair.reconnect(later);
        }
        None
    });
    delivered.append(&mut pair.b_mut().delivered);
    assert_eq!(pair.a().acked, total, "seed {seed}: not all acknowledged");
    Run {
        report,
        delivered,
        disconnects,
        trace,
    }
}

fn small_chunks() -> StreamConfig {
    StreamConfig {
        max_chunk: 3,
        ..StreamConfig::default()
    }
}

#[test]
fn records_arrive_in_order_in_any_split() {
    for seed in 0..30 {
        let config = StreamConfig {
            max_chunk: 1 + seed as usize % 9,
            ..StreamConfig::default()
        };
        let r = run(40, config, Cut::Never, Cut::Never, seed);
        assert_eq!(r.delivered, (0..40).collect::<Vec<_>>(), "seed {seed}");
        assert!(r.disconnects.is_empty());
        assert_eq!((r.report.connections, r.report.lost), (1, 0));
        // paced by the sender's timer
        assert!(r.report.now >= Instant::ZERO + PACE * 39, "seed {seed}");
    }
}

#[test]
fn a_seed_replays_exactly() {
    let trace = |seed| {
        run(
            20,
            small_chunks(),
            Cut::Seeded { within: 80 },
            Cut::Never,
            seed,
        )
        .trace
    };
    assert_eq!(trace(11), trace(11));
    assert_ne!(trace(11), trace(12));
}

#[test]
fn a_cut_at_every_byte_of_either_side() {
    const TOTAL: u32 = 6;
    let seed = 4;
    // how many bytes each side writes on an unbroken connection
    let whole = |side| {
        let mut pair = StreamPair::new(
            Sender::new(TOTAL),
            Receiver::resume(0),
            small_chunks(),
            Cut::Never,
            seed,
        );
        pair.run(|_| None);
        pair.delivered(side)
    };
    for side in [Side::A, Side::B] {
        let written = whole(side);
        assert!(written > 0);
        for byte in 0..=written + 1 {
            let r = run(TOTAL, small_chunks(), Cut::at(side, byte), Cut::Never, seed);
            assert_eq!(
                r.delivered,
                (0..TOTAL).collect::<Vec<_>>(),
                "{side:?} {byte}"
            );
            if byte < written {
                // told once, after exactly the bytes before the cut arrived
                assert_eq!(r.disconnects.len(), 1, "{side:?} {byte}");
                let d = r.disconnects[0];
                assert_eq!(d.cut, Some((side, byte)));
                let got = match side {
                    Side::A => d.delivered_a_to_b,
                    Side::B => d.delivered_b_to_a,
                };
                assert_eq!(got, byte, "{side:?} {byte}");
                assert_eq!(r.report.connections, 2);
                assert!(r.report.lost > 0);
            } else {
                assert!(r.disconnects.is_empty(), "{side:?} {byte}");
                assert_eq!(r.report.connections, 1);
            }
        }
    }
}

#[test]
fn seeded_cuts_on_every_connection_still_complete() {
    let mut breaks = 0;
    for seed in 0..40 {
        let cut = Cut::Seeded { within: 60 };
        let r = run(15, small_chunks(), cut, cut, seed);
        assert_eq!(r.delivered, (0..15).collect::<Vec<_>>(), "seed {seed}");
        assert_eq!(r.report.connections, r.disconnects.len() as u64 + 1);
        breaks += r.disconnects.len();
    }
    assert!(breaks > 40, "too few breaks to test anything: {breaks}");
}

#[test]
fn the_test_can_break_the_connection() {
    let mut pair = StreamPair::new(
        Sender::new(50),
        Receiver::resume(0),
        StreamConfig::default(),
        Cut::Never,
        8,
    );
    let mut told = None;
    pair.run(|pair| {
        if pair.now() >= Instant::from_millis(100) && pair.is_connected() && told.is_none() {
            pair.disconnect();
        }
        if let Some(d) = pair.disconnected() {
            told.get_or_insert(d);
        }
        None
    });
    let d = told.expect("told of the break");
    assert_eq!(d.cut, None);
    assert!(d.at >= Instant::from_millis(100));
    // never reconnected: the sender stalls at its window
    let got = pair.b().delivered.len() as u32;
    assert!(got < 50 && pair.a().acked <= got);
    assert!(pair.disconnected().is_some());
}
