//! TLD policy: prices, wholesale costs, period lengths and flags for each TLD, with
//! built-in defaults (SPEC §3) that fixtures, `--set` and `set_policy` override field
//! by field.

use super::domain::Domain;
use super::milestone::{Calendar, DecisionPoints, Milestones, Term};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Declares the policy fields once and derives from that list the policy struct, the
/// all-optional patch used by fixtures and overrides, and the field-name table.
macro_rules! policy_fields {
    ($( $(#[doc = $doc:literal])* $field:ident : $ty:ty ),* $(,)?) => {
        /// The policy in force for one TLD. Money is in minor units (fen).
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub struct Tld {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        /// A partial policy: the fields a fixture or an override sets.
        #[derive(Clone, Debug, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct TldPatch {
            $( $(#[doc = $doc])* #[serde(default, skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>, )*
        }

        impl Tld {
            /// Every policy field name, in declaration order.
            pub(crate) const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Applies the fields a patch sets.
            pub fn apply(&mut self, patch: &TldPatch) {
                $( if let Some(v) = &patch.$field { self.$field = v.clone(); } )*
            }

            /// The value of a field as JSON, for reports.
            pub fn field(&self, name: &str) -> Option<serde_json::Value> {
                match name {
                    $( stringify!($field) => serde_json::to_value(&self.$field).ok(), )*
                    _ => None,
                }
            }
        }
    };
}

policy_fields! {
    /// Price of the first registration year.
    register: i64,
    /// Price of each renewal year (and of each registration year after the first).
    renew: i64,
    /// Price of a transfer in (includes one year).
    transfer: i64,
    /// Restore (redemption) fee; a restore also pays one renewal year.
    restore: i64,
    /// Registry's wholesale cost of the first registration year.
    wholesale_register: i64,
    /// Registry's wholesale cost of a renewal year.
    wholesale_renew: i64,
    /// Registry's wholesale cost of a transfer.
    wholesale_transfer: i64,
    /// Registry's wholesale restore fee.
    wholesale_restore: i64,
    /// Days after registration in which a delete refunds the registration.
    add_grace_days: u32,
    /// Days after expiry in which the domain can still be renewed at the renew price.
    grace_days: u32,
    /// Days of the redemption period (restore only).
    redemption_days: u32,
    /// Days of pending delete (nothing allowed) before release.
    pending_delete_days: u32,
    /// Days after creation, transfer-in or registrant change in which transfer is refused.
    transfer_lock_days: u32,
    /// Days a transfer stays pending before it is auto-approved.
    pending_transfer_days: u32,
    /// Transfers are refused this many days or fewer before expiry.
    transfer_min_days_before_expiry: u32,
    /// The furthest expiry may lie from now, in years.
    max_term_years: u32,
    /// Whether a domain needs a verified real-name profile to resolve.
    real_name_required: bool,
    /// Days a registrant email may stay unverified before clientHold.
    email_verify_days: u32,
    /// Days before expiry at which renewal reminders are sent.
    reminder_days_before_expiry: Vec<u32>,
    /// Days after expiry at which auto-renew is attempted.
    auto_renew_attempt_days_after_expiry: Vec<u32>,
    /// Whether MIIT accepts ICP filings for sites on this TLD.
    icp_fileable: bool,
    /// Days after registration before a domain may be listed for sale.
    listing_min_age_days: u32,
}

/// Largest price accepted (10^12 fen), keeping all sums far from overflow.
pub(crate) const MAX_PRICE: i64 = 1_000_000_000_000;
/// Largest period length accepted, in days (about 27 years).
pub(crate) const MAX_DAYS: u32 = 10_000;

impl Tld {
    /// Defaults of a generic TLD (SPEC §3, gTLD column) with the given prices and
    /// wholesale costs, as `[register, renew, transfer, restore]`.
    pub(crate) fn gtld(prices: [i64; 4], wholesale: [i64; 4]) -> Tld {
        Tld {
            register: prices[0],
            renew: prices[1],
            transfer: prices[2],
            restore: prices[3],
            wholesale_register: wholesale[0],
            wholesale_renew: wholesale[1],
            wholesale_transfer: wholesale[2],
            wholesale_restore: wholesale[3],
            add_grace_days: 5,
            grace_days: 30,
            redemption_days: 30,
            pending_delete_days: 5,
            transfer_lock_days: 60,
            pending_transfer_days: 5,
            transfer_min_days_before_expiry: 0,
            max_term_years: 10,
            real_name_required: false,
            email_verify_days: 15,
            reminder_days_before_expiry: vec![30, 7, 1],
            auto_renew_attempt_days_after_expiry: vec![0, 5, 12],
            icp_fileable: true,
            listing_min_age_days: 1,
        }
    }

    /// Defaults of `.cn` and its second-level zones (SPEC §3, `cn` column).
    pub fn cn(prices: [i64; 4], wholesale: [i64; 4]) -> Tld {
        Tld {
            redemption_days: 14,
            pending_delete_days: 0,
            transfer_min_days_before_expiry: 15,
            real_name_required: true,
            listing_min_age_days: 7,
            ..Tld::gtld(prices, wholesale)
        }
    }

    /// Checks ranges: prices 0..=10^12, periods 0..=10,000 days, max term 1..=100 years.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let prices = [
            ("register", self.register),
            ("renew", self.renew),
            ("transfer", self.transfer),
            ("restore", self.restore),
            ("wholesale_register", self.wholesale_register),
            ("wholesale_renew", self.wholesale_renew),
            ("wholesale_transfer", self.wholesale_transfer),
            ("wholesale_restore", self.wholesale_restore),
        ];
        for (name, v) in prices {
            if !(0..=MAX_PRICE).contains(&v) {
                return Err(format!("{name} = {v} is outside 0..={MAX_PRICE}"));
            }
        }
        let days = [
            ("add_grace_days", self.add_grace_days),
            ("grace_days", self.grace_days),
            ("redemption_days", self.redemption_days),
            ("pending_delete_days", self.pending_delete_days),
            ("transfer_lock_days", self.transfer_lock_days),
            ("pending_transfer_days", self.pending_transfer_days),
            (
                "transfer_min_days_before_expiry",
                self.transfer_min_days_before_expiry,
            ),
            ("email_verify_days", self.email_verify_days),
        ];
        for (name, v) in days {
            if v > MAX_DAYS {
                return Err(format!("{name} = {v} is more than {MAX_DAYS} days"));
            }
        }
        for (name, list) in [
            (
                "reminder_days_before_expiry",
                &self.reminder_days_before_expiry,
            ),
            (
                "auto_renew_attempt_days_after_expiry",
                &self.auto_renew_attempt_days_after_expiry,
            ),
        ] {
            if let Some(v) = list.iter().find(|v| **v > MAX_DAYS) {
                return Err(format!("{name} has {v}, more than {MAX_DAYS} days"));
            }
            if list.len() > 8 {
                return Err(format!("{name} lists {} days; at most 8", list.len()));
            }
            if let Some(v) = list
                .iter()
                .enumerate()
                .find_map(|(i, v)| list[..i].contains(v).then_some(v))
            {
                return Err(format!("{name} lists {v} twice; each day once"));
            }
        }
        if !(1..=100).contains(&self.max_term_years) {
            return Err(format!(
                "max_term_years = {} is outside 1..=100",
                self.max_term_years
            ));
        }
        Ok(())
    }
}

/// The TLDs a registrar sells, in a fixed order, each with the milestone calendar of
/// its policy (kept in step: a policy changes only through [`Catalog::update`]).
#[derive(Clone, Debug, Serialize)]
pub struct Catalog {
    tlds: IndexMap<String, Tld, rustc_hash::FxBuildHasher>,
    #[serde(skip)]
    calendars: Vec<Calendar>,
}

/// A catalog as stored: the calendars are derived again on loading.
#[derive(Deserialize)]
struct StoredCatalog {
    tlds: IndexMap<String, Tld, rustc_hash::FxBuildHasher>,
}

impl<'de> Deserialize<'de> for Catalog {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Catalog, D::Error> {
        StoredCatalog::deserialize(d).map(|s| Catalog::with(s.tlds))
    }
}

impl Default for Catalog {
    /// The built-in catalog. Prices are round defaults in fen (1/100 CNY), in the range
    /// Chinese retail registrars charge; wholesale costs approximate registry fees. A
    /// fixture sets real prices.
    fn default() -> Catalog {
        let mut tlds = IndexMap::default();
        let gtlds: [(&str, [i64; 4], [i64; 4]); 6] = [
            (
                "com",
                [8_500, 8_900, 8_500, 100_000],
                [7_300, 7_300, 7_300, 29_000],
            ),
            (
                "net",
                [9_900, 10_500, 9_900, 100_000],
                [8_000, 8_000, 8_000, 29_000],
            ),
            (
                "org",
                [8_300, 9_300, 8_300, 100_000],
                [7_200, 7_200, 7_200, 29_000],
            ),
            (
                "xyz",
                [700, 9_900, 8_900, 100_000],
                [6_000, 6_000, 6_000, 29_000],
            ),
            (
                "info",
                [2_900, 12_900, 12_900, 100_000],
                [9_000, 9_000, 9_000, 29_000],
            ),
            (
                "top",
                [900, 3_100, 3_100, 20_000],
                [1_500, 1_500, 1_500, 10_000],
            ),
        ];
        for (name, p, w) in gtlds {
            tlds.insert(name.to_string(), Tld::gtld(p, w));
        }
        // .io is sold but not approved by MIIT: sites on it cannot be filed.
        tlds.insert(
            "io".to_string(),
            Tld {
                icp_fileable: false,
                ..Tld::gtld(
                    [35_000, 35_000, 35_000, 100_000],
                    [28_000, 28_000, 28_000, 40_000],
                )
            },
        );
        for name in ["cn", "com.cn"] {
            tlds.insert(
                name.to_string(),
                Tld::cn([2_900, 3_900, 3_900, 20_000], [2_000, 2_000, 2_000, 10_000]),
            );
        }
        Catalog::with(tlds)
    }
}

impl Catalog {
    fn with(tlds: IndexMap<String, Tld, rustc_hash::FxBuildHasher>) -> Catalog {
        let calendars = tlds.values().map(Calendar::new).collect();
        Catalog { tlds, calendars }
    }

    /// The TLD entry by its index.
    pub fn get(&self, index: u16) -> &Tld {
        &self.tlds[index as usize]
    }

    /// Changes a TLD's policy with `change`, then brings its milestone calendar in line.
    pub fn update<T>(&mut self, index: u16, change: impl FnOnce(&mut Tld) -> T) -> T {
        let tld = &mut self.tlds[index as usize];
        let out = change(tld);
        self.calendars[index as usize] = Calendar::new(tld);
        out
    }

    /// A domain's milestones under its TLD's policy (see [`Calendar`]).
    pub fn milestones(&self, d: &Domain, decisions: DecisionPoints) -> Milestones {
        let i = d.tld as usize;
        self.calendars[i].milestones(Term::of(d), &self.tlds[i], decisions)
    }

    /// The TLD's name (without a dot) by its index.
    pub fn name(&self, index: u16) -> &str {
        self.tlds.get_index(index as usize).map_or("", |(k, _)| k)
    }

    /// Index of a TLD by name.
    pub(crate) fn index_of(&self, name: &str) -> Option<u16> {
        self.tlds.get_index_of(name).map(|i| i as u16)
    }

    /// The TLD a normalised name falls under: the longest catalog suffix. Returns the
    /// index and the part before the suffix.
    pub fn split<'a>(&self, ascii: &'a str) -> Option<(u16, &'a str)> {
        let mut rest = ascii;
        // A byte search: '.' is ASCII, so every position found is a character boundary.
        while let Some(dot) = rest.bytes().position(|b| b == b'.') {
            let suffix = &rest[dot + 1..];
            if let Some(i) = self.index_of(suffix) {
                return Some((i, &ascii[..ascii.len() - suffix.len() - 1]));
            }
            rest = suffix;
        }
        None
    }

    /// Adds a TLD (starting from gTLD defaults with zero prices) or returns the index of
    /// the existing one.
    pub(crate) fn ensure(&mut self, name: &str) -> u16 {
        if let Some(i) = self.index_of(name) {
            return i;
        }
        let tld = Tld::gtld([0; 4], [0; 4]);
        self.calendars.push(Calendar::new(&tld));
        self.tlds.insert(name.to_string(), tld);
        (self.tlds.len() - 1) as u16
    }

    /// Number of TLDs.
    pub fn len(&self) -> usize {
        self.tlds.len()
    }

    /// True when there is no TLD.
    pub fn is_empty(&self) -> bool {
        self.tlds.is_empty()
    }

    /// TLD names in catalog order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tlds.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_spec_table() {
        let c = Catalog::default();
        let com = c.get(c.index_of("com").unwrap());
        assert_eq!(
            (com.grace_days, com.redemption_days, com.pending_delete_days),
            (30, 30, 5)
        );
        assert_eq!(com.auto_renew_attempt_days_after_expiry, vec![0, 5, 12]);
        let cn = c.get(c.index_of("cn").unwrap());
        assert_eq!((cn.redemption_days, cn.pending_delete_days), (14, 0));
        assert!(cn.real_name_required);
        assert_eq!(cn.transfer_min_days_before_expiry, 15);
        for name in c.names() {
            assert_eq!(
                c.get(c.index_of(name).unwrap()).validate(),
                Ok(()),
                "{name}"
            );
        }
    }

    #[test]
    fn splits_on_longest_suffix() {
        let c = Catalog::default();
        assert_eq!(
            c.split("example.com.cn").map(|(i, l)| (c.name(i), l)),
            Some(("com.cn", "example"))
        );
        assert_eq!(
            c.split("example.cn").map(|(i, l)| (c.name(i), l)),
            Some(("cn", "example"))
        );
        assert_eq!(
            c.split("a.b.com").map(|(i, l)| (c.name(i), l)),
            Some(("com", "a.b"))
        );
        assert_eq!(c.split("example.zz"), None);
        assert_eq!(c.split("com"), None);
    }
}
