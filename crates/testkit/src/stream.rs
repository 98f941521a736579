//! Two byte-stream machines joined by two seeded pipes, on a virtual clock:
//! [`StreamPair`].
//!
//! Each direction is a pipe that keeps the bytes in order but delays them
//! (a seeded delay per write, never overtaking earlier bytes) and hands them
//! to the receiver in seeded chunks: a chunk may end inside a write or span
//! several, so the machines see arbitrary splits of the stream.
//!
//! A connection can break at any byte ([`Cut`]): at a given or seeded offset
//! in one direction, the bytes from that offset on are lost, and so are the
//! bytes the other direction sends after the break. The bytes written before
//! the cut still arrive; then the pair reports a [`Disconnect`]
//! ([`StreamPair::disconnected`]) to the hook, which may call
//! [`StreamPair::reconnect`] (after telling the machines, or replacing them
//! through [`StreamPair::a_mut`] / [`StreamPair::b_mut`]).
//!
//! Every step does one thing: hand one chunk to a receiver, break the
//! connection, or move the clock to the next thing that happens (a chunk
//! arriving, the break, a machine's timer, the hook's wake-up) and fire the
//! timers due. After every call into a machine its
//! [`StreamMachine::poll_transmit`] is drained into its pipe, and after every
//! step the hook runs.
//!
//! ```
//! use bytes::BytesMut;
//! use iotcodec_core::Instant;
//! use iotcodec_testkit::{Cut, Side, StreamConfig, StreamMachine, StreamPair};
//!
//! /// Sends what it is given and keeps what it receives.
//! #[derive(Default)]
//! struct Sink {
//!     to_send: Vec<u8>,
//!     received: Vec<u8>,
//!     chunks: usize,
//! }
//!
//! impl StreamMachine for Sink {
//!     fn handle_input(&mut self, _now: Instant, bytes: &[u8]) {
//!         self.received.extend_from_slice(bytes);
//!         self.chunks += 1;
//!     }
//!     fn poll_transmit(&mut self, _now: Instant, buf: &mut BytesMut) -> Option<usize> {
//!         if self.to_send.is_empty() {
//!             return None;
//!         }
//!         buf.extend_from_slice(&self.to_send);
//!         Some(core::mem::take(&mut self.to_send).len())
//!     }
//!     fn poll_timeout(&self) -> Option<Instant> {
//!         None
//!     }
//!     fn handle_timeout(&mut self, _now: Instant) {}
//! }
//!
//! let config = StreamConfig { max_chunk: 3, ..StreamConfig::default() };
//! let mut pair = StreamPair::new(Sink::default(), Sink::default(), config, Cut::Never, 9);
//! pair.a_mut().to_send = b"hello, world".to_vec();
//! pair.run(|_| None);
//! assert_eq!(pair.b().received, b"hello, world");
//! assert!(pair.b().chunks >= 4); // in pieces of at most 3 bytes
//!
//! // the same, with the connection broken at byte 5 from A
//! let cut = Cut::at(Side::A, 5);
//! let mut pair = StreamPair::new(Sink::default(), Sink::default(), config, cut, 9);
//! pair.a_mut().to_send = b"hello, world".to_vec();
//! let mut told = 0;
//! pair.run(|pair| {
//!     if pair.disconnected().is_some() && told == 0 {
//!         told += 1;
//!     }
//!     None
//! });
//! assert_eq!(pair.b().received, b"hello");
//! assert_eq!(told, 1);
//! ```
//!
//! # Replaying a failing seed
//!
//! Delays, chunk sizes and seeded cuts come from the seed given to
//! [`StreamPair::new`]; a failure message names it ([`StreamPair::seed`]
//! gives it to the hook's own assertions), and running the test body with
//! that seed replays the run exactly.

use std::collections::VecDeque;
use std::time::Duration;

use bytes::BytesMut;
use iotcodec_core::{Instant, Rng};

use crate::datagram::{DEFAULT_MAX_STEPS, MAX_TRANSMITS_AT_ONCE};
use crate::machine::StreamMachine;

/// One end of a [`StreamPair`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The first machine given to [`StreamPair::new`].
    A,
    /// The second machine given to [`StreamPair::new`].
    B,
}

impl Side {
    /// The other end.
    pub fn peer(self) -> Self {
        match self {
            Self::A => Self::B,
            Self::B => Self::A,
        }
    }
}

/// How the pipes delay and split the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamConfig {
    /// Shortest one-way delay of a write.
    pub min_delay: Duration,
    /// Longest one-way delay of a write (later bytes never overtake earlier
    /// ones).
    pub max_delay: Duration,
    /// The largest chunk handed to a receiver at once; each chunk's size is
    /// drawn from `1..=max_chunk`.
    pub max_chunk: usize,
}

impl Default for StreamConfig {
    fn default() -> Self {
        Self {
            min_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(50),
            max_chunk: 64,
        }
    }
}

/// Where a connection breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// It does not.
    Never,
    /// When `side` is about to send byte number `byte` (counted from 0 on
    /// this connection): it and every later byte are lost.
    At {
        /// The sender whose stream is cut.
        side: Side,
        /// The first byte lost.
        byte: u64,
    },
    /// At a side and a byte offset below `within` drawn from the seed when
    /// the connection opens.
    Seeded {
        /// The cut falls in the first `within` bytes of the side drawn.
        within: u64,
    },
}

impl Cut {
    /// [`Cut::At`] `side` and `byte`.
    pub fn at(side: Side, byte: u64) -> Self {
        Self::At { side, byte }
    }
}

/// A connection that broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disconnect {
    /// When the break reached both ends.
    pub at: Instant,
    /// The side whose stream was cut and the first byte of its stream lost
    /// (the other side's bytes after the break are lost too); `None` when
    /// the test broke the connection with [`StreamPair::disconnect`].
    pub cut: Option<(Side, u64)>,
    /// Bytes A's peer received on this connection.
    pub delivered_a_to_b: u64,
    /// Bytes B's peer received on this connection.
    pub delivered_b_to_a: u64,
}

/// One direction of the connection.
#[derive(Debug, Default)]
struct Pipe {
    /// Writes in order, each with its arrival time (non-decreasing).
    segments: VecDeque<(Instant, Vec<u8>)>,
    /// Bytes of the head segment already handed over.
    head_taken: usize,
    written: u64,
    delivered: u64,
    lost: u64,
}

impl Pipe {
    fn next_arrival(&self) -> Option<Instant> {
        self.segments.front().map(|&(t, _)| t)
    }

    fn last_arrival(&self) -> Option<Instant> {
        self.segments.back().map(|&(t, _)| t)
    }

    /// Up to `max` bytes that arrived by `now`, across segments.
    fn take(&mut self, now: Instant, max: usize, out: &mut Vec<u8>) {
        out.clear();
        while out.len() < max {
            let Some((t, seg)) = self.segments.front() else {
                break;
            };
            if *t > now {
                break;
            }
            let n = (max - out.len()).min(seg.len() - self.head_taken);
            out.extend_from_slice(&seg[self.head_taken..self.head_taken + n]);
            self.head_taken += n;
            if self.head_taken == seg.len() {
                self.segments.pop_front();
                self.head_taken = 0;
            }
        }
        self.delivered += out.len() as u64;
    }

    /// Drops what would arrive after `at`.
    fn drop_after(&mut self, at: Instant) {
        while self.last_arrival().is_some_and(|t| t > at) {
            if let Some((_, seg)) = self.segments.pop_back() {
                let taken = if self.segments.is_empty() {
                    core::mem::take(&mut self.head_taken)
                } else {
                    0
                };
                self.lost += (seg.len() - taken) as u64;
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum State {
    Open {
        cut: Option<(Side, u64)>,
    },
    /// Cut as `cut` says; the bytes before it arrive until `at`.
    Breaking {
        at: Instant,
        cut: Option<(Side, u64)>,
    },
    Closed(Disconnect),
}

/// What a finished [`StreamPair::run`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamReport {
    /// Steps taken.
    pub steps: u64,
    /// The virtual time when everything went quiet.
    pub now: Instant,
    /// Connections opened ([`StreamPair::new`] and each reconnect).
    pub connections: u64,
    /// Bytes lost to cuts and to writes while disconnected.
    pub lost: u64,
}

/// Two [`StreamMachine`]s joined by a seeded byte-stream connection that may
/// break at any byte, on a virtual clock.
#[derive(Debug)]
pub struct StreamPair<L, R> {
    seed: u64,
    rng: Rng,
    config: StreamConfig,
    now: Instant,
    a: L,
    b: R,
    /// `pipes[0]` carries A's bytes to B, `pipes[1]` B's to A.
    pipes: [Pipe; 2],
    state: State,
    buf: BytesMut,
    chunk: Vec<u8>,
    steps: u64,
    max_steps: u64,
    connections: u64,
    lost: u64,
}

fn pipe_of(side: Side) -> usize {
    match side {
        Side::A => 0,
        Side::B => 1,
    }
}

impl<L: StreamMachine, R: StreamMachine> StreamPair<L, R> {
    /// Machines `a` and `b` connected at [`Instant::ZERO`], the connection
    /// breaking as `cut` says, everything driven by `seed`.
    pub fn new(a: L, b: R, config: StreamConfig, cut: Cut, seed: u64) -> Self {
        assert!(config.max_chunk > 0, "max_chunk must be at least 1");
        assert!(
            config.min_delay <= config.max_delay,
            "min_delay > max_delay"
        );
        let mut pair = Self {
            seed,
            rng: Rng::new(seed),
            config,
            now: Instant::ZERO,
            a,
            b,
            pipes: [Pipe::default(), Pipe::default()],
            state: State::Open { cut: None },
            buf: BytesMut::new(),
            chunk: Vec::new(),
            steps: 0,
            max_steps: DEFAULT_MAX_STEPS,
            connections: 0,
            lost: 0,
        };
        pair.open(cut);
        pair
    }

    /// Sets how many steps [`StreamPair::run`] may take before it panics.
    #[must_use]
    pub fn with_max_steps(mut self, max_steps: u64) -> Self {
        self.max_steps = max_steps;
        self
    }

    fn open(&mut self, cut: Cut) {
        let cut = match cut {
            Cut::Never => None,
            Cut::At { side, byte } => Some((side, byte)),
            Cut::Seeded { within } => {
                let side = if self.rng.next_u32() & 1 == 0 {
                    Side::A
                } else {
                    Side::B
                };
                Some((side, self.rng.range_inclusive(0, within.saturating_sub(1))))
            }
        };
        for p in &mut self.pipes {
            let travelling: usize = p.segments.iter().map(|(_, s)| s.len()).sum();
            self.lost += p.lost + (travelling - p.head_taken) as u64;
            *p = Pipe::default();
        }
        self.state = State::Open { cut };
        self.connections += 1;
    }

    /// The seed everything is drawn from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The virtual time.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Machine A.
    pub fn a(&self) -> &L {
        &self.a
    }

    /// Machine A, to issue commands, drain events or replace it.
    pub fn a_mut(&mut self) -> &mut L {
        &mut self.a
    }

    /// Machine B.
    pub fn b(&self) -> &R {
        &self.b
    }

    /// Machine B, to issue commands, drain events or replace it.
    pub fn b_mut(&mut self) -> &mut R {
        &mut self.b
    }

    /// Bytes `from` wrote and its peer received on this connection.
    pub fn delivered(&self, from: Side) -> u64 {
        self.pipes[pipe_of(from)].delivered
    }

    /// How the connection broke, once it has (until
    /// [`StreamPair::reconnect`]).
    pub fn disconnected(&self) -> Option<Disconnect> {
        match self.state {
            State::Closed(d) => Some(d),
            _ => None,
        }
    }

    /// Whether the connection is up (not breaking, not broken).
    pub fn is_connected(&self) -> bool {
        matches!(self.state, State::Open { .. })
    }

    /// Breaks the connection now: what is still travelling is lost, both
    /// ends are told at once.
    pub fn disconnect(&mut self) {
        if self.is_connected() {
            self.state = State::Breaking {
                at: self.now,
                cut: None,
            };
            for p in &mut self.pipes {
                p.drop_after(self.now);
            }
        }
    }

    /// A new connection between the machines, with fresh pipes, breaking as
    /// `cut` says. The machines are kept: tell them, or replace them, first.
    pub fn reconnect(&mut self, cut: Cut) {
        self.open(cut);
    }

    fn delay(&mut self) -> Duration {
        let lo = self.config.min_delay.as_millis() as u64;
        let hi = self.config.max_delay.as_millis() as u64;
        Duration::from_millis(self.rng.range_inclusive(lo, hi))
    }

    /// Drains both machines' output into their pipes.
    fn flush(&mut self) {
        for side in [Side::A, Side::B] {
            for polls in 0.. {
                assert!(
                    polls < MAX_TRANSMITS_AT_ONCE,
                    "seed {}: {side:?} transmits forever at {}",
                    self.seed,
                    self.now
                );
                self.buf.clear();
                let n = match side {
                    Side::A => self.a.poll_transmit(self.now, &mut self.buf),
                    Side::B => self.b.poll_transmit(self.now, &mut self.buf),
                };
                let Some(n) = n else { break };
                assert_eq!(
                    n,
                    self.buf.len(),
                    "seed {}: {side:?} said it appended {n} bytes but appended {}",
                    self.seed,
                    self.buf.len()
                );
                self.write(side);
            }
        }
    }

    /// Puts `self.buf`, written by `side`, into its pipe.
    fn write(&mut self, side: Side) {
        let len = self.buf.len() as u64;
        let keep = match self.state {
            State::Open {
                cut: Some((s, byte)),
            } if s == side => byte
                .saturating_sub(self.pipes[pipe_of(side)].written)
                .min(len),
            State::Open { .. } => len,
            State::Breaking { .. } | State::Closed(_) => 0,
        };
        self.lost += len - keep;
        if keep > 0 {
            let delay = self.delay();
            let pipe = &mut self.pipes[pipe_of(side)];
            let at = (self.now + delay).max(pipe.last_arrival().unwrap_or(Instant::ZERO));
            pipe.segments
                .push_back((at, self.buf[..keep as usize].to_vec()));
            pipe.written += keep;
        }
        if keep < len {
            if let State::Open {
                cut: Some((s, byte)),
            } = self.state
            {
                // the cut: the bytes before it still arrive, then the break
                let at = self.pipes[pipe_of(s)]
                    .last_arrival()
                    .unwrap_or(self.now)
                    .max(self.now);
                self.pipes[pipe_of(s.peer())].drop_after(at);
                self.state = State::Breaking {
                    at,
                    cut: Some((s, byte)),
                };
            }
        }
    }

    /// Takes one step (see the module docs). Returns `false` when nothing
    /// can happen any more.
    pub fn step(&mut self, wake: Option<Instant>) -> bool {
        self.steps += 1;
        assert!(
            self.steps <= self.max_steps,
            "seed {}: still busy after {} steps at {} (livelock?)",
            self.seed,
            self.max_steps,
            self.now
        );
        // one chunk, from the pipe whose bytes arrived first
        let due = [0, 1]
            .into_iter()
            .filter_map(|i| self.pipes[i].next_arrival().map(|t| (t, i)))
            .filter(|&(t, _)| t <= self.now)
            .min();
        if let Some((_, i)) = due {
            let max = self.rng.range_inclusive(1, self.config.max_chunk as u64) as usize;
            let mut chunk = core::mem::take(&mut self.chunk);
            self.pipes[i].take(self.now, max, &mut chunk);
            if i == 0 {
                self.b.handle_input(self.now, &chunk);
            } else {
                self.a.handle_input(self.now, &chunk);
            }
            self.chunk = chunk;
            self.flush();
            return true;
        }
        if let State::Breaking { at, cut } = self.state {
            if at <= self.now {
                self.state = State::Closed(Disconnect {
                    at: self.now,
                    cut,
                    delivered_a_to_b: self.pipes[0].delivered,
                    delivered_b_to_a: self.pipes[1].delivered,
                });
                return true;
            }
        }
        let breaking = match self.state {
            State::Breaking { at, .. } => Some(at),
            _ => None,
        };
        let next = [
            self.pipes[0].next_arrival(),
            self.pipes[1].next_arrival(),
            breaking,
            self.a.poll_timeout(),
            self.b.poll_timeout(),
            wake,
        ]
        .into_iter()
        .flatten()
        .min();
        let Some(next) = next else {
            return false;
        };
        // an overdue timer fires now: the clock never goes back
        self.now = self.now.max(next);
        if self.a.poll_timeout().is_some_and(|t| t <= self.now) {
            self.a.handle_timeout(self.now);
        }
        if self.b.poll_timeout().is_some_and(|t| t <= self.now) {
            self.b.handle_timeout(self.now);
        }
        self.flush();
        true
    }

    /// Runs until nothing more can happen, calling `hook` first and after
    /// every step. The hook drains events, issues commands, watches
    /// [`StreamPair::disconnected`] and may [`StreamPair::reconnect`]; it
    /// returns when it next wants to be called although nothing else happens
    /// (or `None`).
    ///
    /// # Panics
    /// When the run takes more than the step cap, or a machine reports a
    /// length other than what it appended.
    pub fn run(&mut self, mut hook: impl FnMut(&mut Self) -> Option<Instant>) -> StreamReport {
        let mut wake = hook(self);
        self.flush();
        while self.step(wake) {
            wake = hook(self);
            self.flush();
        }
        StreamReport {
            steps: self.steps,
            now: self.now,
            connections: self.connections,
            lost: self.lost + self.pipes.iter().map(|p| p.lost).sum::<u64>(),
        }
    }
}
