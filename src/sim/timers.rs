//! The timer queue: day buckets with O(1) scheduling and generation-counter
//! cancellation, drained in the canonical order of SPEC §2: time, then the timer's
//! key (chosen by the layer that schedules it: a domain's name number, a profile's,
//! a listing's), then its kind, then its target and generation. Nothing in the order
//! depends on when or how a timer was scheduled.
//!
//! A timer names a target (a dense id in some table), the generation of that target
//! when it was scheduled, a kind and an ordering key. Cancelling is done by the owner
//! bumping its generation: stale timers are skipped when they come due, so cancelling
//! costs nothing here.
//!
//! A bucket holds its timers in 16 bytes each (`Packed`): the bucket gives the day,
//! so a timer keeps only its second of that day. Ten million domains keep about as many
//! timers pending.

use super::time::{DAY, Time};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Bits of a packed key below the second of the day: the key (32) and the kind (8).
const BELOW_SECOND: u32 = 40;

/// One scheduled timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Timer {
    /// When it is due.
    pub at: Time,
    /// The ordering key (high 32 bits of the low 40) and the kind (low 8 bits).
    order: u64,
    /// Dense id of the target (a domain, a profile, ...), interpreted by the kind.
    pub target: u32,
    /// The target's generation when scheduled; a different current generation means
    /// the timer was cancelled.
    pub generation: u32,
}

impl Timer {
    /// What to do; the meaning belongs to the layer that schedules it.
    pub fn kind(&self) -> u8 {
        self.order as u8
    }

    /// The ordering key it was scheduled with.
    pub fn key(&self) -> u32 {
        (self.order >> 8) as u32
    }
}

/// A timer inside a day bucket: `key` packs the second of the bucket's day (bits 40 to
/// 56), the ordering key (bits 8 to 39) and the kind (low 8 bits), so that comparing
/// (`key`, `target`, `generation`) orders a day's timers canonically.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Packed {
    key: u64,
    target: u32,
    generation: u32,
}

impl Packed {
    fn new(second: i64, order: u64, target: u32, generation: u32) -> Packed {
        debug_assert!((0..DAY).contains(&second) && order < 1 << BELOW_SECOND);
        Packed {
            key: ((second as u64) << BELOW_SECOND) | order,
            target,
            generation,
        }
    }

    /// The second of the bucket's day.
    fn second(self) -> i64 {
        (self.key >> BELOW_SECOND) as i64
    }

    /// The full timer, given the day (since the epoch) of its bucket.
    fn unpack(self, day: i64) -> Timer {
        Timer {
            at: Time(day * DAY + self.second()),
            order: self.key & ((1 << BELOW_SECOND) - 1),
            target: self.target,
            generation: self.generation,
        }
    }
}

/// Day-bucketed timer queue.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Timers {
    /// Day index (days since epoch) of `buckets[0]`.
    base_day: i64,
    /// One bucket per day from `base_day`. The front bucket is kept sorted in canonical
    /// order from `head` on while it is being drained.
    buckets: VecDeque<Vec<Packed>>,
    /// Whether the front bucket is currently sorted.
    front_sorted: bool,
    /// Timers of the front bucket before this index have been popped.
    head: usize,
    /// Timers scheduled into the front bucket after it was sorted: a min-heap, so that
    /// scheduling while a day drains never shifts the sorted bucket.
    late: BinaryHeap<Reverse<Packed>>,
    /// Timers scheduled for a time before the front bucket's day (they come due at
    /// once, before every bucketed timer, in canonical order).
    overdue: BinaryHeap<Reverse<Timer>>,
    len: usize,
}

/// Sorts a day's timers into canonical order. A day already in order is left as it is.
/// Otherwise the timers are sorted by their packed key alone (instant, key, kind: one
/// integer comparison), and runs of equal keys (a domain's stale timer beside its
/// rescheduled one, say) are then ordered by target and generation on their own.
/// Comparison sorting beat counting passes here: keys differ in up to 57 bits, so a
/// counting sort of the 16-byte timers took three or four passes, and cost about 1.7
/// times as many instructions at a day of a 100k-domain portfolio.
/// Kept out of line, so that `pop_due`, which runs for every timer, stays small.
#[inline(never)]
fn sort_day(bucket: &mut [Packed]) {
    if bucket.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    bucket.sort_unstable_by_key(|p| p.key);
    let mut start = 0;
    while start < bucket.len() {
        let key = bucket[start].key;
        let end = start + bucket[start..].iter().take_while(|p| p.key == key).count();
        if end - start > 1 {
            bucket[start..end].sort_unstable();
        }
        start = end;
    }
}

impl Timers {
    /// An empty queue whose first bucket is the day of `start`.
    pub fn new(start: Time) -> Timers {
        Timers {
            base_day: start.day_index(),
            ..Timers::default()
        }
    }

    /// Number of timers held, stale ones included.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Checks a decoded queue's own consistency, so that a damaged snapshot is refused
    /// rather than panicking the queue later: the count, the drain position, every
    /// packed instant within its day, and instants on the clock.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let bucketed: usize = self.buckets.iter().map(Vec::len).sum();
        let front = self.buckets.front().map_or(0, Vec::len);
        let held = (self.overdue.len() + self.late.len() + bucketed).checked_sub(self.head);
        if self.head > front || held != Some(self.len) {
            return Err("the timer queue's count does not match its timers".into());
        }
        if !(0..=crate::sim::time::MAX_TIME.0 / DAY).contains(&self.base_day) {
            return Err("the timer queue's clock is off".into());
        }
        let packed_ok = |p: &Packed| p.second() < DAY;
        let ok = self.buckets.iter().flatten().all(packed_ok)
            && self.late.iter().all(|r| packed_ok(&r.0))
            && self
                .overdue
                .iter()
                .all(|r| (0..=crate::sim::time::MAX_TIME.0).contains(&r.0.at.0));
        if !ok {
            return Err("a timer lies off the clock".into());
        }
        Ok(())
    }

    /// True when no timer is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Schedules a timer with its ordering `key` (see the module's doc). A time before
    /// the first bucket comes due at once, still in canonical order.
    pub fn schedule(&mut self, at: Time, key: u32, kind: u8, target: u32, generation: u32) {
        self.len += 1;
        let order = (u64::from(key) << 8) | u64::from(kind);
        let offset = at.day_index() - self.base_day;
        if offset < 0 {
            self.overdue.push(Reverse(Timer {
                at,
                order,
                target,
                generation,
            }));
            return;
        }
        let offset = offset as usize;
        let timer = Packed::new(at.0.rem_euclid(DAY), order, target, generation);
        if offset >= self.buckets.len() {
            self.buckets.resize_with(offset + 1, Vec::new);
        }
        if offset == 0 && self.front_sorted {
            self.late.push(Reverse(timer));
        } else {
            self.buckets[offset].push(timer);
        }
    }

    /// Drops the front bucket once drained (late timers included), moving to the next
    /// day.
    fn advance_front(&mut self) {
        debug_assert!(self.late.is_empty());
        self.buckets.pop_front();
        self.base_day += 1;
        self.front_sorted = false;
        self.head = 0;
    }

    /// Removes and returns the earliest timer due at or before `until`, if any.
    ///
    /// Inlined into its one caller, the timer loop, so that the timer comes back in
    /// registers: returned through memory, it was stored field by field and copied out
    /// in wider loads, which the store buffer cannot forward (5% of a 1M run).
    #[inline(always)]
    pub fn pop_due(&mut self, until: Time) -> Option<Timer> {
        if let Some(Reverse(t)) = self.overdue.peek() {
            if t.at > until {
                return None;
            }
            self.len -= 1;
            return self.overdue.pop().map(|r| r.0);
        }
        loop {
            let head = self.head;
            let front = self.buckets.front_mut()?;
            if front.len() == head && self.late.is_empty() {
                if self.base_day * DAY > until.0 {
                    return None;
                }
                self.advance_front();
                continue;
            }
            if !self.front_sorted {
                sort_day(&mut front[head..]);
                self.front_sorted = true;
            }
            let sorted = front.get(head).copied();
            let late = self.late.peek().map(|r| r.0);
            let (first, from_late) = match (sorted, late) {
                (Some(s), Some(l)) if l < s => (l, true),
                (Some(s), _) => (s, false),
                (None, Some(l)) => (l, true),
                (None, None) => unreachable!("checked above"),
            };
            let timer = first.unpack(self.base_day);
            if timer.at > until {
                return None;
            }
            if from_late {
                self.late.pop();
            } else {
                self.head += 1;
                if self.head == front.len() {
                    front.clear();
                    self.head = 0;
                }
            }
            self.len -= 1;
            return Some(timer);
        }
    }

    /// The target of the timer `ahead` places after the next one in the draining
    /// bucket, if it is sorted and that far (for prefetching what it will touch).
    pub(crate) fn upcoming_target(&self, ahead: usize) -> Option<u32> {
        if !self.front_sorted {
            return None;
        }
        self.buckets
            .front()
            .and_then(|b| b.get(self.head + ahead))
            .map(|t| t.target)
    }

    /// The earliest due time held, if any (stale timers included).
    pub fn peek_time(&mut self) -> Option<Time> {
        if let Some(Reverse(t)) = self.overdue.peek() {
            return Some(t.at);
        }
        while self.late.is_empty() && self.buckets.front().is_some_and(|b| b.len() == self.head) {
            self.advance_front();
        }
        let front = self.buckets.front()?;
        let sorted = if self.front_sorted {
            front.get(self.head).map(|t| t.key)
        } else {
            front.iter().map(|t| t.key).min()
        };
        let late = self.late.peek().map(|r| r.0.key);
        let key = sorted.into_iter().chain(late).min()?;
        Some(Time(self.base_day * DAY + (key >> BELOW_SECOND) as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drains_in_time_then_key_order_whatever_the_scheduling_order() {
        let start = Time::DEFAULT_START;
        let mut q = Timers::new(start);
        q.schedule(start.add_days(3), 9, 0, 1, 0);
        q.schedule(start.add_secs(10), 5, 0, 2, 0);
        q.schedule(start.add_days(3), 3, 0, 3, 0);
        q.schedule(start.add_secs(10), 4, 0, 4, 0);
        q.schedule(start.add_days(400), 1, 0, 5, 0);
        let mut got = vec![];
        while let Some(t) = q.pop_due(start.add_days(3)) {
            got.push(t.target);
            if t.target == 4 {
                // Scheduled while draining the same day: still in canonical order.
                q.schedule(start.add_secs(20), 1, 0, 6, 0);
                q.schedule(start.add_secs(10), 8, 0, 7, 0);
            }
        }
        assert_eq!(got, vec![4, 2, 7, 6, 3, 1]);
        assert_eq!(q.len(), 1);
        assert_eq!(q.peek_time(), Some(start.add_days(400)));
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop_due(start.add_days(399)), None);
        assert_eq!(q.pop_due(start.add_days(400)).map(|t| t.target), Some(5));
        assert!(q.is_empty());
        assert_eq!(q.peek_time(), None);
    }

    #[test]
    fn the_same_timers_drain_alike_in_any_scheduling_order() {
        let start = Time::DEFAULT_START.add_days(10);
        let timers: Vec<(Time, u32, u8, u32, u32)> = (0..600u32)
            .map(|i| {
                let at = start.add_secs(i64::from(i % 7) * 40_000 - 100_000);
                (at, i % 11, (i % 5) as u8, i % 13, i % 3)
            })
            .collect();
        let drain = |order: &mut dyn Iterator<Item = &(Time, u32, u8, u32, u32)>| {
            let mut q = Timers::new(start);
            for &(at, key, kind, target, generation) in order {
                q.schedule(at, key, kind, target, generation);
            }
            let mut got = vec![];
            while let Some(t) = q.pop_due(start.add_days(5)) {
                got.push((t.at, t.key(), t.kind(), t.target, t.generation));
            }
            got
        };
        let forward = drain(&mut timers.iter());
        let backward = drain(&mut timers.iter().rev());
        let mut expected = timers.clone();
        expected.sort_by_key(|&(at, key, kind, target, generation)| {
            (at, key, kind, target, generation)
        });
        assert_eq!(forward, expected);
        assert_eq!(backward, expected);
    }

    #[test]
    fn a_bucketed_timer_is_16_bytes_and_keeps_its_instant() {
        assert_eq!(std::mem::size_of::<Packed>(), 16);
        let p = Packed::new(DAY - 1, (u64::from(u32::MAX) << 8) | 255, 7, 9);
        let t = p.unpack(20_000);
        assert_eq!(t.at, Time(20_000 * DAY + DAY - 1));
        assert_eq!(
            (t.kind(), t.key(), t.target, t.generation),
            (255, u32::MAX, 7, 9)
        );
    }

    #[test]
    fn a_day_sorts_by_key_and_ties_by_target_and_generation() {
        let packed = |second: i64, key: u64, target: u32| Packed::new(second, key << 8, target, 0);
        let mut day: Vec<Packed> = (0..1_000u64)
            .map(|i| packed((i as i64 * 7_919) % DAY, (i * 104_729) % 977, i as u32))
            .collect();
        let mut expected = day.clone();
        expected.sort_unstable();
        sort_day(&mut day);
        assert_eq!(day, expected);
        // Equal keys whose targets are out of order: finished by comparison.
        let mut ties: Vec<Packed> = (0..1_000u64)
            .map(|i| packed(i as i64 % 5, 3, (i * 7_919 % 1_000) as u32))
            .collect();
        let mut expected = ties.clone();
        expected.sort_unstable();
        sort_day(&mut ties);
        assert_eq!(ties, expected);
    }

    #[test]
    fn past_times_come_due_first() {
        let start = Time::DEFAULT_START.add_days(10);
        let mut q = Timers::new(start);
        q.schedule(start.add_days(1), 0, 0, 1, 0);
        q.schedule(start.add_days(-5), 9, 0, 2, 0);
        assert_eq!(q.pop_due(start).map(|t| t.target), Some(2));
        assert_eq!(q.pop_due(start), None);
    }
}
