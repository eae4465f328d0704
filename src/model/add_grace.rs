//! What holders paid at registration, refundable while the add grace period lasts
//! (RFC 3915 §3.1): kept beside the domain records, and only for domains inside the
//! period (a few days' registrations), so that ten million domain records do not each
//! carry sixteen bytes that matter for five days.

use super::domain::DomainId;
use crate::sim::Time;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize, Serializer};

/// A registration's refundable charge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddGraceCharge {
    /// The end of the add grace period: the TLD's period at registration, counted from
    /// the creation instant (a later policy change does not reopen or shorten it).
    pub until: Time,
    /// What the holder paid.
    pub charge: i64,
    /// The wholesale part of that charge, which the registry credits back.
    pub wholesale: i64,
}

/// Add-grace charges by domain slot. Entries whose period has ended are swept out as
/// new ones come in; the owner removes a slot's entry when its domain leaves the slot
/// or its registration ends otherwise (a transfer).
///
/// A hash map: every release asks it for the slot (almost always absent), and a B-tree
/// search cost about 200 instructions and a few cache misses there (2% of a 1M-domain
/// run, with as much again for the insert of each registration). Nothing iterates it
/// where order could show, but its encoding lists the slots in ascending order, as
/// the B-tree did, so snapshots stay byte for byte what they were.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AddGraceCharges {
    #[serde(serialize_with = "in_slot_order")]
    by_domain: FxHashMap<DomainId, AddGraceCharge>,
    /// How many entries the last sweep left: the next sweep runs when there are twice
    /// as many, so sweeping costs O(1) a registration.
    swept: usize,
}

/// Encodes the charges as a map in ascending slot order: the B-tree's order, which
/// snapshots had, and one that does not depend on the map's insertion history.
fn in_slot_order<S: Serializer>(
    map: &FxHashMap<DomainId, AddGraceCharge>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_unstable_by_key(|(id, _)| **id);
    s.collect_map(entries)
}

impl AddGraceCharges {
    /// Records the charge of the registration now in slot `id`, sweeping out ended
    /// periods from time to time.
    pub fn insert(&mut self, id: DomainId, charge: AddGraceCharge, now: Time) {
        if self.by_domain.len() >= (2 * self.swept).max(64) {
            self.by_domain.retain(|_, c| c.until > now);
            self.swept = self.by_domain.len();
        }
        self.by_domain.insert(id, charge);
    }

    /// The charge of the domain in slot `id` if its add grace period lasts at `now`.
    pub fn current(&self, id: DomainId, now: Time) -> Option<AddGraceCharge> {
        self.by_domain.get(&id).copied().filter(|c| now < c.until)
    }

    /// Forgets slot `id`'s charge.
    pub fn remove(&mut self, id: DomainId) {
        self.by_domain.remove(&id);
    }

    /// Entries held (ended periods not yet swept included).
    pub fn len(&self) -> usize {
        self.by_domain.len()
    }

    /// True when no entry is held.
    pub fn is_empty(&self) -> bool {
        self.by_domain.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ended_periods_are_swept_and_never_found() {
        let start = Time::DEFAULT_START;
        let mut t = AddGraceCharges::default();
        for i in 0..1000u32 {
            let now = start.add_days(i64::from(i));
            let c = AddGraceCharge {
                until: now.add_days(5),
                charge: 100,
                wholesale: 60,
            };
            t.insert(i, c, now);
            assert_eq!(t.current(i, now), Some(c));
            assert_eq!(t.current(i, now.add_days(5)), None);
            // At most 64 or twice the live entries (five days' worth) are held.
            assert!(t.len() <= 64, "{} entries held", t.len());
        }
        t.remove(999);
        assert_eq!(t.current(999, start.add_days(999)), None);
    }

    /// The encoding lists slots in ascending order whatever the insertion order, and
    /// decodes to the same charges.
    #[test]
    fn encodes_in_slot_order_and_round_trips() {
        let now = Time::DEFAULT_START;
        let charge = |c| AddGraceCharge {
            until: now.add_days(5),
            charge: c,
            wholesale: c / 2,
        };
        let mut t = AddGraceCharges::default();
        for id in [900u32, 7, 300_000, 42, 5] {
            t.insert(id, charge(i64::from(id) + 1), now);
        }
        let json = serde_json::to_string(&t).unwrap();
        let order: Vec<usize> = ["\"5\"", "\"7\"", "\"42\"", "\"900\"", "\"300000\""]
            .iter()
            .map(|k| json.find(k).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{json}");
        let back: AddGraceCharges = serde_json::from_str(&json).unwrap();
        for id in [900u32, 7, 300_000, 42, 5] {
            assert_eq!(back.current(id, now), Some(charge(i64::from(id) + 1)));
        }
        assert_eq!(back.len(), 5);
    }
}
