//! The datagram driver with a toy protocol: stop-and-wait delivery of
//! numbered datagrams, retransmitted every 300 ms until acknowledged, over
//! the default bad link (30 % loss, 30 % duplication, reordering).

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::BytesMut;
use iotcodec_core::{Instant, Transmit};
use iotcodec_testkit::{DatagramMachine, DatagramSim, LinkConfig};

const RETRY: Duration = Duration::from_millis(300);

/// A sender of `total` numbered datagrams to `server`, or a receiver.
enum Toy {
    Sender {
        server: u8,
        total: u32,
        next: u32,
        retry_at: Option<Instant>,
        send_now: bool,
    },
    Receiver {
        /// Per sender: the next number expected, and what arrived in order.
        peers: BTreeMap<u8, (u32, Vec<u32>)>,
        acks: Vec<(u8, u32)>,
    },
}

impl Toy {
    fn sender(server: u8, total: u32) -> Self {
        Self::Sender {
            server,
            total,
            next: 0,
            retry_at: None,
            send_now: total > 0,
        }
    }

    fn receiver() -> Self {
        Self::Receiver {
            peers: BTreeMap::new(),
            acks: Vec::new(),
        }
    }

    fn delivered(&self, from: u8) -> &[u32] {
        match self {
            Self::Receiver { peers, .. } => peers.get(&from).map_or(&[], |(_, v)| v),
            Self::Sender { .. } => panic!("not a receiver"),
        }
    }

    fn done(&self) -> bool {
        matches!(self, Self::Sender { total, next, .. } if next == total)
    }
}

impl DatagramMachine<u8> for Toy {
    fn handle_datagram(&mut self, _now: Instant, from: u8, datagram: &[u8]) {
        let n = u32::from_be_bytes(datagram.try_into().expect("4 bytes"));
        match self {
            Self::Sender {
                next,
                total,
                retry_at,
                send_now,
                ..
            } => {
                if n == *next {
                    *next += 1;
                    *retry_at = None;
                    *send_now = *next < *total;
                }
            }
            Self::Receiver { peers, acks } => {
                let (expected, got) = peers.entry(from).or_default();
                if n == *expected {
                    got.push(n);
                    *expected += 1;
                }
                assert!(n < *expected, "{n} before {expected}: stop-and-wait broken");
                acks.push((from, n));
            }
        }
    }

    fn poll_transmit(&mut self, now: Instant, buf: &mut BytesMut) -> Option<Transmit<u8>> {
        let (to, n) = match self {
            Self::Sender {
                server,
                next,
                retry_at,
                send_now,
                ..
            } => {
                if !*send_now {
                    return None;
                }
                *send_now = false;
                *retry_at = Some(now + RETRY);
                (*server, *next)
            }
            Self::Receiver { acks, .. } => acks.pop()?,
        };
        buf.extend_from_slice(&n.to_be_bytes());
        Some(Transmit::new(to, 4))
    }

    fn poll_timeout(&self) -> Option<Instant> {
        match self {
            Self::Sender { retry_at, .. } => *retry_at,
            Self::Receiver { .. } => None,
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        if let Self::Sender {
            retry_at, send_now, ..
        } = self
        {
            assert!(retry_at.is_some_and(|t| t <= now), "woken early");
            *retry_at = None;
            *send_now = true;
        }
    }
}

#[test]
fn every_datagram_arrives_once_in_order_over_a_bad_link() {
    for seed in 0..20 {
        let mut sim = DatagramSim::new(LinkConfig::default(), seed);
        sim.add(1, Toy::sender(9, 25));
        sim.add(2, Toy::sender(9, 10));
        sim.add(9, Toy::receiver());
        let mut hooks = 0u64;
        let report = sim.run(|sim| {
            hooks += 1;
            assert!(sim.now() >= Instant::ZERO);
            None
        });
        assert_eq!(
            hooks, report.steps,
            "seed {seed}: one hook a step, plus the first"
        );
        assert_eq!(sim.machine(&9).delivered(1), (0..25).collect::<Vec<_>>());
        assert_eq!(sim.machine(&9).delivered(2), (0..10).collect::<Vec<_>>());
        assert!(sim.machine(&1).done() && sim.machine(&2).done());
        assert_eq!(sim.link().in_flight(), 0);
        assert!(
            report.link.lost > 0 && report.link.duplicated > 0,
            "{report:?}"
        );
        assert_eq!(report.undeliverable, 0);
    }
}

#[test]
fn a_seed_replays_exactly() {
    let run = |seed| {
        let mut sim = DatagramSim::new(LinkConfig::default(), seed);
        sim.add(1, Toy::sender(2, 30));
        sim.add(2, Toy::receiver());
        let mut trace = Vec::new();
        let report = sim.run(|sim| {
            trace.push(sim.now());
            None
        });
        (report, trace)
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5).1, run(6).1);
}

#[test]
fn the_hook_is_woken_when_it_asks() {
    // the sender starts idle; the hook starts it at 10 s
    let mut sim = DatagramSim::new(LinkConfig::default(), 3);
    sim.add(1, Toy::sender(2, 0));
    sim.add(2, Toy::receiver());
    let start = Instant::from_secs(10);
    let mut started = false;
    sim.run(|sim| {
        if started {
            return None;
        }
        if sim.now() < start {
            return Some(start);
        }
        started = true;
        *sim.machine_mut(&1) = Toy::sender(2, 3);
        None
    });
    assert!(started);
    assert_eq!(sim.machine(&2).delivered(1), [0, 1, 2]);
    assert!(sim.now() > start);
}

#[test]
fn a_livelock_fails_loudly_naming_the_seed() {
    let perfect = LinkConfig {
        loss: 0.0,
        duplicate: 0.0,
        ..LinkConfig::default()
    };
    let mut sim = DatagramSim::new(perfect, 1).with_max_steps(100);
    sim.add(1, Toy::sender(7, 1));
    // nobody at 7: the sender retries forever, and the cap stops it
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sim.run(|_| None)));
    let msg = *outcome.unwrap_err().downcast::<String>().unwrap();
    assert!(msg.contains("seed 1") && msg.contains("livelock"), "{msg}");
    assert!(sim.link().stats().sent > 1);
}

/// A machine that says it appended more than it did.
struct Liar;

impl DatagramMachine<u8> for Liar {
    fn handle_datagram(&mut self, _: Instant, _: u8, _: &[u8]) {}
    fn poll_transmit(&mut self, _: Instant, buf: &mut BytesMut) -> Option<Transmit<u8>> {
        buf.extend_from_slice(b"ab");
        Some(Transmit::new(1, 3))
    }
    fn poll_timeout(&self) -> Option<Instant> {
        None
    }
    fn handle_timeout(&mut self, _: Instant) {}
}

#[test]
#[should_panic(expected = "said it appended 3 bytes but appended 2")]
fn a_wrong_length_fails_loudly() {
    let mut sim = DatagramSim::new(LinkConfig::default(), 0);
    sim.add(2, Liar);
    sim.run(|_| None);
}

/// A machine that never stops sending.
struct Chatterbox;

impl DatagramMachine<u8> for Chatterbox {
    fn handle_datagram(&mut self, _: Instant, _: u8, _: &[u8]) {}
    fn poll_transmit(&mut self, _: Instant, buf: &mut BytesMut) -> Option<Transmit<u8>> {
        buf.extend_from_slice(b"x");
        Some(Transmit::new(1, 1))
    }
    fn poll_timeout(&self) -> Option<Instant> {
        None
    }
    fn handle_timeout(&mut self, _: Instant) {}
}

#[test]
#[should_panic(expected = "seed 4: 2 transmits forever")]
fn endless_transmits_fail_loudly() {
    let mut sim = DatagramSim::new(LinkConfig::default(), 4);
    sim.add(2, Chatterbox);
    sim.run(|_| None);
}
