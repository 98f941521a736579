//! Shared pieces of the benchmarks: the workloads and a counting allocator.
//!
//! Every bench binary installs [`CountingAlloc`] as its global allocator with
//! `#[global_allocator] static A: CountingAlloc = CountingAlloc;` and reports
//! heap allocations per operation with [`count_allocs`], next to the timings
//! criterion measures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE_BYTES.fetch_add(by, Ordering::Relaxed) + by;
    PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
}

/// A global allocator that counts allocations and passes everything to the
/// system allocator.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAlloc;

// SAFETY: every method forwards to `System` with the arguments it was given,
// so `System`'s guarantees hold unchanged; the counter is a relaxed atomic
// that never touches the allocated memory.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        grew(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        grew(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        grew(new_size);
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocations (including reallocations) made so far by this process.
pub fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Bytes allocated and not freed yet, by this process.
pub fn live_bytes() -> usize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

/// The most [`live_bytes`] since the last [`reset_peak_bytes`].
pub fn peak_bytes() -> usize {
    PEAK_BYTES.load(Ordering::Relaxed)
}

/// Starts a new peak from what is live now.
pub fn reset_peak_bytes() {
    PEAK_BYTES.store(live_bytes(), Ordering::Relaxed);
}

/// Runs `op` `iters` times and returns the heap allocations per run.
/// Only meaningful when [`CountingAlloc`] is the global allocator.
pub fn count_allocs<R>(iters: u64, mut op: impl FnMut() -> R) -> f64 {
    let before = allocations();
    for _ in 0..iters {
        std::hint::black_box(op());
    }
    (allocations() - before) as f64 / iters.max(1) as f64
}

/// The directory holding the workload files (a copy of the shared
/// `bench-workloads`, digests in `SHA256SUMS`).
pub fn workload_dir() -> PathBuf {
    iotcodec_testkit::workloads::dir()
}

/// The bytes of workload `id` (for example `"m3_pub_qos1"`).
///
/// # Panics
/// When the file is missing: a benchmark without its input cannot run.
pub fn workload(id: &str) -> Vec<u8> {
    iotcodec_testkit::workloads::load(id)
}

/// How many back-to-back copies of a single-packet workload make one timed
/// batch: clamp(65536 / len, 16, 1024), as the workload notes prescribe.
pub fn reps(len: usize) -> usize {
    (65536 / len.max(1)).clamp(16, 1024)
}

/// `reps(len)` copies of `packet`, back to back.
pub fn repeated(packet: &[u8]) -> Vec<u8> {
    packet.repeat(reps(packet.len()))
}

/// Prints one allocation figure in a fixed format that `docs/BENCHMARKS.md`
/// quotes: `allocs/op <group>/<name>: <n>`.
pub fn report_allocs(group: &str, name: &str, per_op: f64) {
    println!("allocs/op {group}/{name}: {per_op:.2}");
}
