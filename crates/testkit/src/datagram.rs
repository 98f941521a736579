//! Machines over datagrams, joined by one seeded [`Link`], on a virtual
//! clock: [`DatagramSim`].
//!
//! The simulation owns the machines (two or more, each at its own address)
//! and the link. Every step does one thing: deliver one datagram that has
//! arrived, or move the clock to the earliest of the link's next delivery,
//! the machines' [`DatagramMachine::poll_timeout`] and the time the test
//! asked to be woken at, and fire the timers due. After every call into a
//! machine, the simulation drains its [`DatagramMachine::poll_transmit`]
//! into the link. After every step it calls the test's hook, which drains
//! the machines' events, checks invariants and issues commands; the hook
//! returns when it wants to be woken next (its own timers: a delayed answer,
//! the next request).
//!
//! [`DatagramSim::run`] returns once nothing more can happen (no datagram in
//! flight, no timer, no wake-up), and panics, naming the seed, when that
//! takes more than [`DatagramSim::with_max_steps`] steps (a livelock).
//!
//! ```
//! use bytes::BytesMut;
//! use iotcodec_core::{Instant, Transmit};
//! use iotcodec_testkit::{DatagramMachine, DatagramSim, LinkConfig};
//!
//! /// Counts the pings it gets and answers each with a pong.
//! #[derive(Default)]
//! struct Node {
//!     pings: u32,
//!     pongs: u32,
//!     out: Vec<(u8, &'static [u8])>,
//! }
//!
//! impl DatagramMachine<u8> for Node {
//!     fn handle_datagram(&mut self, _now: Instant, from: u8, datagram: &[u8]) {
//!         match datagram {
//!             b"ping" => {
//!                 self.pings += 1;
//!                 self.out.push((from, b"pong"));
//!             }
//!             _ => self.pongs += 1,
//!         }
//!     }
//!     fn poll_transmit(&mut self, _now: Instant, buf: &mut BytesMut) -> Option<Transmit<u8>> {
//!         let (to, bytes) = self.out.pop()?;
//!         buf.extend_from_slice(bytes);
//!         Some(Transmit::new(to, bytes.len()))
//!     }
//!     fn poll_timeout(&self) -> Option<Instant> {
//!         None
//!     }
//!     fn handle_timeout(&mut self, _now: Instant) {}
//! }
//!
//! // a perfect link: every ping gets its pong
//! let link = LinkConfig { loss: 0.0, duplicate: 0.0, ..LinkConfig::default() };
//! let mut sim = DatagramSim::new(link, 42);
//! sim.add(1, Node::default());
//! sim.add(2, Node::default());
//! let mut sent = 0;
//! let report = sim.run(|sim| {
//!     // the hook: the test's application logic, after every step
//!     if sent < 10 {
//!         sim.machine_mut(&1).out.push((2, b"ping"));
//!         sent += 1;
//!     }
//!     None // no timer of our own
//! });
//! assert_eq!(sim.machine(&2).pings, 10);
//! assert_eq!(sim.machine(&1).pongs, 10);
//! assert_eq!(report.link.delivered, 20);
//! ```
//!
//! # Replaying a failing seed
//!
//! The link's losses, duplicates and delays come from the seed given to
//! [`DatagramSim::new`], and the machines are seeded by the test; nothing
//! reads a real clock or a global random source. A failure message names the
//! seed ([`DatagramSim::seed`] gives it to the hook's own assertions), and
//! running the test body with that one seed replays the run step for step.

use core::fmt::Debug;

use bytes::BytesMut;
use iotcodec_core::Instant;

use crate::link::{Link, LinkConfig, LinkStats};
use crate::machine::DatagramMachine;

/// Steps a simulation may take before it is declared a livelock.
pub const DEFAULT_MAX_STEPS: u64 = 1_000_000;

/// Transmits one machine may produce in one go (between two inputs) before
/// it is declared to transmit forever.
pub const MAX_TRANSMITS_AT_ONCE: usize = 100_000;

/// What a finished [`DatagramSim::run`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatagramReport {
    /// Steps taken (deliveries and clock moves).
    pub steps: u64,
    /// The virtual time when everything went quiet.
    pub now: Instant,
    /// What the link did.
    pub link: LinkStats,
    /// Datagrams that arrived for an address no machine has (dropped).
    pub undeliverable: u64,
}

/// Two or more datagram machines of type `M` at addresses `A`, over one
/// seeded [`Link`], on a virtual clock. Machines of different types go in
/// as one enum implementing [`DatagramMachine`].
#[derive(Debug)]
pub struct DatagramSim<A, M> {
    seed: u64,
    now: Instant,
    link: Link<A>,
    nodes: Vec<(A, M)>,
    buf: BytesMut,
    steps: u64,
    max_steps: u64,
    undeliverable: u64,
}

impl<A: Clone + PartialEq + Debug, M: DatagramMachine<A>> DatagramSim<A, M> {
    /// An empty simulation at [`Instant::ZERO`], over a link misbehaving as
    /// `link` says, driven by `seed`.
    pub fn new(link: LinkConfig, seed: u64) -> Self {
        Self {
            seed,
            now: Instant::ZERO,
            link: Link::new(link, seed),
            nodes: Vec::new(),
            buf: BytesMut::new(),
            steps: 0,
            max_steps: DEFAULT_MAX_STEPS,
            undeliverable: 0,
        }
    }

    /// Sets how many steps [`DatagramSim::run`] may take before it panics
    /// (default [`DEFAULT_MAX_STEPS`]).
    #[must_use]
    pub fn with_max_steps(mut self, max_steps: u64) -> Self {
        self.max_steps = max_steps;
        self
    }

    /// Adds `machine` at `addr`.
    ///
    /// # Panics
    /// When a machine already has that address.
    pub fn add(&mut self, addr: A, machine: M) {
        assert!(
            self.index(&addr).is_none(),
            "two machines at address {addr:?}"
        );
        self.nodes.push((addr, machine));
    }

    fn index(&self, addr: &A) -> Option<usize> {
        self.nodes.iter().position(|(a, _)| a == addr)
    }

    /// The seed the link was built with.
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

    /// The link between the machines.
    pub fn link(&self) -> &Link<A> {
        &self.link
    }

    /// The machine at `addr`.
    ///
    /// # Panics
    /// When no machine has that address.
    pub fn machine(&self, addr: &A) -> &M {
        let i = self
            .index(addr)
            .unwrap_or_else(|| panic!("no machine at {addr:?}"));
        &self.nodes[i].1
    }

    /// The machine at `addr`, to issue commands and drain events.
    ///
    /// # Panics
    /// When no machine has that address.
    pub fn machine_mut(&mut self, addr: &A) -> &mut M {
        let i = self
            .index(addr)
            .unwrap_or_else(|| panic!("no machine at {addr:?}"));
        &mut self.nodes[i].1
    }

    /// Every machine with its address, in the order they were added.
    pub fn machines_mut(&mut self) -> impl Iterator<Item = (&A, &mut M)> {
        self.nodes.iter_mut().map(|(a, m)| (&*a, m))
    }

    /// Drains every machine's outgoing datagrams into the link.
    fn flush(&mut self) {
        let now = self.now;
        for (addr, machine) in &mut self.nodes {
            for polls in 0.. {
                assert!(
                    polls < MAX_TRANSMITS_AT_ONCE,
                    "seed {}: {addr:?} transmits forever at {now}",
                    self.seed
                );
                self.buf.clear();
                let Some(t) = machine.poll_transmit(now, &mut self.buf) else {
                    break;
                };
                assert_eq!(
                    t.len,
                    self.buf.len(),
                    "seed {}: {addr:?} said it appended {} bytes but appended {}",
                    self.seed,
                    t.len,
                    self.buf.len()
                );
                self.link.send(now, addr.clone(), t.destination, &self.buf);
            }
        }
    }

    /// Takes one step: delivers one datagram due now or, when none is, moves
    /// the clock to the next thing that happens (`wake` included) and fires
    /// the timers due then. Returns `false` when nothing can happen any more.
    pub fn step(&mut self, wake: Option<Instant>) -> bool {
        self.steps += 1;
        assert!(
            self.steps <= self.max_steps,
            "seed {}: still busy after {} steps at {} (livelock?)",
            self.seed,
            self.max_steps,
            self.now
        );
        if let Some(d) = self.link.deliver(self.now) {
            match self.index(&d.to) {
                Some(i) => self.nodes[i].1.handle_datagram(self.now, d.from, &d.bytes),
                None => self.undeliverable += 1,
            }
            self.flush();
            return true;
        }
        let next = self
            .nodes
            .iter()
            .filter_map(|(_, m)| m.poll_timeout())
            .chain([self.link.next_delivery(), wake].into_iter().flatten())
            .min();
        let Some(next) = next else {
            return false;
        };
        // an overdue timer fires now: the clock never goes back
        self.now = self.now.max(next);
        let now = self.now;
        for (_, machine) in &mut self.nodes {
            if machine.poll_timeout().is_some_and(|t| t <= now) {
                machine.handle_timeout(now);
            }
        }
        self.flush();
        true
    }

    /// Runs until nothing more can happen, calling `hook` first and after
    /// every step. The hook drains events and issues commands through
    /// [`DatagramSim::machine_mut`], and returns when it next wants to be
    /// called although nothing else happens (or `None`).
    ///
    /// # Panics
    /// When the run takes more than the step cap, or a machine reports a
    /// datagram length other than what it appended.
    pub fn run(&mut self, mut hook: impl FnMut(&mut Self) -> Option<Instant>) -> DatagramReport {
        let mut wake = hook(self);
        self.flush();
        while self.step(wake) {
            wake = hook(self);
            self.flush();
        }
        DatagramReport {
            steps: self.steps,
            now: self.now,
            link: self.link.stats(),
            undeliverable: self.undeliverable,
        }
    }
}
