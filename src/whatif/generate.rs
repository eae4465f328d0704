//! Generated portfolios: a deterministic world of many domains from a few numbers —
//! realistic name lengths and TLD mix, ages up to a maximum, expiries spread over the
//! coming year, an auto-renew share, funded accounts. Built at load, not parsed line by
//! line, so a fixture of millions of domains loads fast.

use super::draw::{label, unit};
use crate::model::{AccountKind, Catalog, World};
use crate::ops::seed::{self, DomainSeed};
use crate::refusal::{Reason, Refusal};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Generate {
    /// Number of domains.
    pub domains: u64,
    /// Number of accounts `cust-0`, `cust-1`, ... holding them (round robin).
    pub accounts: u64,
    /// Opening balance of each account, in fen.
    pub balance: i64,
    /// TLD weights, e.g. `{com: 70, cn: 20, net: 10}`.
    pub tlds: IndexMap<String, u32>,
    /// Share of domains with auto-renew on.
    pub auto_renew: f64,
    /// Oldest domain, in years.
    pub max_age_years: u32,
}

impl Default for Generate {
    fn default() -> Generate {
        let mut tlds = IndexMap::new();
        for (t, w) in [("com", 70), ("net", 8), ("org", 5), ("xyz", 5), ("cn", 12)] {
            tlds.insert(t.to_string(), w);
        }
        Generate {
            domains: 1_000,
            accounts: 100,
            balance: 100_000_000,
            tlds,
            auto_renew: 0.35,
            max_age_years: 10,
        }
    }
}

/// Most accounts a generated portfolio may have.
pub(crate) const MAX_ACCOUNTS: u64 = 10_000_000;
/// Most domains a generated portfolio may have.
pub(crate) const MAX_DOMAINS: u64 = 100_000_000;
/// Oldest a generated domain may be, in years.
pub(crate) const MAX_AGE_YEARS: u32 = 50;

/// A refused `generate` block: the field at fault, as a path under the block
/// (`["domains"]`, `["tlds", "foo"]`), and why.
pub(crate) type Invalid = (Vec<String>, Refusal);

impl Generate {
    /// Checks the block against its limits and the TLD catalog (the fixture loader and
    /// `regsim gen` both ask here).
    /// Refuses: 2004 `generate_out_of_range`, 2005 `unknown_tld`.
    pub(crate) fn validate(&self, catalog: &Catalog) -> Result<(), Invalid> {
        let bad = |field: &str, m: String| {
            (
                vec![field.to_string()],
                Refusal::new(Reason::GenerateOutOfRange, m),
            )
        };
        if !(1..=MAX_ACCOUNTS).contains(&self.accounts) {
            return Err(bad(
                "accounts",
                format!(
                    "{} accounts: a generated portfolio has 1 to 10,000,000",
                    self.accounts
                ),
            ));
        }
        if self.domains > MAX_DOMAINS {
            return Err(bad(
                "domains",
                format!(
                    "{} domains: a generated portfolio has at most 100,000,000",
                    self.domains
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.auto_renew) {
            return Err(bad(
                "auto_renew",
                format!("{}: the auto-renew share is from 0 to 1", self.auto_renew),
            ));
        }
        if self.max_age_years > MAX_AGE_YEARS {
            return Err(bad(
                "max_age_years",
                format!(
                    "{} years: a generated domain is at most {MAX_AGE_YEARS} years old",
                    self.max_age_years
                ),
            ));
        }
        if let Some(t) = self.tlds.keys().find(|t| catalog.index_of(t).is_none()) {
            return Err((
                vec!["tlds".to_string(), t.clone()],
                Refusal::new(
                    Reason::UnknownTld,
                    format!(
                        "`{t}` is not a TLD of the catalog ({})",
                        catalog.names().collect::<Vec<_>>().join(", ")
                    ),
                ),
            ));
        }
        if self.tlds.values().all(|w| *w == 0) {
            return Err(bad(
                "tlds",
                "no TLD has a weight above 0: give at least one".to_string(),
            ));
        }
        Ok(())
    }
}

/// Adds the generated accounts and domains to a world (at its start time).
/// Refuses: as [`Generate::validate`], naming the field at fault.
pub fn generate(world: &mut World, g: &Generate) -> Result<(), Invalid> {
    g.validate(&world.tlds)?;
    let total: u64 = g.tlds.values().map(|w| u64::from(*w)).sum();
    let owners: Vec<String> = (0..g.accounts).map(|a| format!("cust-{a}")).collect();
    for owner in &owners {
        seed::add_account(world, owner, AccountKind::Customer, g.balance, Vec::new()).map_err(
            |r| {
                // `cust-N` listed among the fixture's own accounts, or a bad balance.
                let field = if r.reason == "account_exists" {
                    "accounts"
                } else {
                    "balance"
                };
                (vec![field.to_string()], r)
            },
        )?;
    }
    let start = world.now();
    world.reserve_domains(g.domains as usize);
    for i in 0..g.domains {
        let pick = world.rng.keyed("gen_tld", &[i]) % total;
        let mut acc = 0;
        let tld = g
            .tlds
            .iter()
            .find(|(_, w)| {
                acc += u64::from(**w);
                pick < acc
            })
            .map_or("com", |(t, _)| t.as_str());
        // The label, the index in base 36 (so that every name is distinct), the TLD:
        // built in the label's own buffer.
        let mut name = label(world, &[i, 0]);
        push_base36(&mut name, i);
        name.push('.');
        name.push_str(tld);
        let expires = start.add_days(1 + (unit(world, "gen_expiry", &[i]) * 365.0) as i64);
        let age = 1 + (unit(world, "gen_age", &[i]) * f64::from(g.max_age_years.max(1))) as i64;
        let created = expires.add_years(-age.min(i64::from(g.max_age_years.max(1))));
        let auto_renew = unit(world, "gen_auto", &[i]) < g.auto_renew;
        seed::add_domain(
            world,
            DomainSeed {
                name,
                owner: owners[(i % g.accounts) as usize].clone(),
                profile: None,
                registrar: None,
                created,
                expires,
                deleted: None,
                auto_renew,
                locks: Vec::new(),
                auth_code: None,
            },
        )
        .map_err(|(_, r)| (Vec::new(), r))?;
    }
    Ok(())
}

/// Appends `n` in base 36 (digits, then lower-case letters).
fn push_base36(out: &mut String, mut n: u64) {
    const D: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 13];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = D[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|d| char::from(*d)));
}

/// The text of a generated-portfolio fixture: the `generate:` block and, with
/// `behaviour`, a behaviour section whose daily new registrations replace what a
/// portfolio of this size typically drops (about a fifth a year), spread over its TLDs.
pub fn fixture_text(g: &Generate, seed: u64, behaviour: bool) -> String {
    let weights: Vec<String> = g.tlds.iter().map(|(t, w)| format!("{t}: {w}")).collect();
    let mut s = format!(
        "# Generated by `regsim gen`: {domains} domains held by {accounts} accounts.\nstart: 2026-01-01\nseed: {seed}\ngenerate:\n  domains: {domains}\n  accounts: {accounts}\n  balance: {balance}\n  tlds: {{ {weights} }}\n  auto_renew: {auto_renew}\n  max_age_years: {max_age}\n",
        domains = g.domains,
        accounts = g.accounts,
        balance = g.balance,
        weights = weights.join(", "),
        auto_renew = g.auto_renew,
        max_age = g.max_age_years,
    );
    if behaviour {
        // Summed wide: weights are u32 each, and their sum need not fit one.
        let total = g.tlds.values().map(|w| f64::from(*w)).sum::<f64>().max(1.0);
        let per_day = g.domains as f64 * 0.2 / 365.0;
        let rates: Vec<String> = g
            .tlds
            .iter()
            .map(|(t, w)| format!("{t}: {:.2}", per_day * f64::from(*w) / total))
            .collect();
        s.push_str(&format!(
            "behaviour:\n  new_per_day: {{ {} }}\n",
            rates.join(", ")
        ));
    }
    s
}
