//! Exchanges by id in O(1): a slab whose ids carry a generation, so that an
//! id handed out once never names a later exchange in the same slot.

use alloc::vec::Vec;

#[derive(Debug)]
enum Slot<T> {
    Full { generation: u32, value: T },
    Empty { generation: u32 },
}

/// Values by opaque id: the slot index in the low 32 bits, the slot's
/// generation in the high 32. Slots are reused (newest freed first), so
/// memory is the most values held at once.
#[derive(Debug)]
pub(crate) struct Slab<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }
}

fn split(id: u64) -> (usize, u32) {
    ((id & 0xffff_ffff) as usize, (id >> 32) as u32)
}

impl<T> Slab<T> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Stores `value`, returning its id.
    pub(crate) fn insert(&mut self, value: T) -> u64 {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            if let Some(slot) = self.slots.get_mut(index as usize) {
                let generation = match slot {
                    Slot::Empty { generation } => *generation,
                    Slot::Full { generation, .. } => generation.wrapping_add(1),
                };
                *slot = Slot::Full { generation, value };
                return u64::from(generation) << 32 | u64::from(index);
            }
        }
        let index = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        self.slots.push(Slot::Full {
            generation: 0,
            value,
        });
        u64::from(index)
    }

    pub(crate) fn get(&self, id: &u64) -> Option<&T> {
        let (index, generation) = split(*id);
        match self.slots.get(index)? {
            Slot::Full {
                generation: g,
                value,
            } if *g == generation => Some(value),
            _ => None,
        }
    }

    pub(crate) fn get_mut(&mut self, id: &u64) -> Option<&mut T> {
        let (index, generation) = split(*id);
        match self.slots.get_mut(index)? {
            Slot::Full {
                generation: g,
                value,
            } if *g == generation => Some(value),
            _ => None,
        }
    }

    pub(crate) fn contains_key(&self, id: &u64) -> bool {
        self.get(id).is_some()
    }

    pub(crate) fn remove(&mut self, id: &u64) -> Option<T> {
        let (index, generation) = split(*id);
        let slot = self.slots.get_mut(index)?;
        if !matches!(slot, Slot::Full { generation: g, .. } if *g == generation) {
            return None;
        }
        let old = core::mem::replace(
            slot,
            Slot::Empty {
                generation: generation.wrapping_add(1),
            },
        );
        self.len -= 1;
        self.free.push(index as u32);
        match old {
            Slot::Full { value, .. } => Some(value),
            Slot::Empty { .. } => None,
        }
    }

    /// The ids of every value held, in slot order.
    pub(crate) fn ids(&self) -> Vec<u64> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| match slot {
                Slot::Full { generation, .. } => Some(u64::from(*generation) << 32 | i as u64),
                Slot::Empty { .. } => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_not_reused_for_later_values() {
        let mut s = Slab::default();
        let a = s.insert('a');
        let b = s.insert('b');
        assert_eq!((a, b), (0, 1));
        assert_eq!(s.remove(&a), Some('a'));
        assert_eq!(s.remove(&a), None);
        let c = s.insert('c');
        assert_ne!(c, a, "same slot, next generation");
        assert_eq!(c & 0xffff_ffff, a);
        assert_eq!(s.get(&a), None);
        assert_eq!(s.get(&c), Some(&'c'));
        assert_eq!(s.ids(), [c, b]);
        assert_eq!(s.len(), 2);
        assert!(s.contains_key(&b) && !s.contains_key(&a));
    }
}
