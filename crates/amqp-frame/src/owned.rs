//! Owned forms (feature `alloc`).
