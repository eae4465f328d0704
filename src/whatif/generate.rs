//! Generated portfolios: a deterministic world of many domains from a few numbers —
//! realistic name lengths and TLD mix, ages up to a maximum, expiries spread over the
//! coming year, an auto-renew share, funded accounts. Built at load, not parsed line by
//! line, so a fixture of millions of domains loads fast.

use super::draw::{label, unit};
use crate::model::{AccountKind, World};
use crate::ops::seed::{self, DomainSeed};
use crate::refusal::{Code, Outcome, Refusal};
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

/// Adds the generated accounts and domains to a world (at its start time).
/// Refuses: 2004 `generate_out_of_range`, 2005 `unknown_tld`.
pub fn generate(world: &mut World, g: &Generate) -> Outcome<()> {
    let bad = |m: String| Refusal::new(Code::ValueRange, "generate_out_of_range", m);
    if g.accounts == 0 || g.accounts > 10_000_000 || g.domains > 100_000_000 {
        return Err(bad(
            "generate: accounts must be 1..=10,000,000 and domains at most 100,000,000".into(),
        ));
    }
    if !(0.0..=1.0).contains(&g.auto_renew) || g.max_age_years > 50 {
        return Err(bad(
            "generate: auto_renew must be in 0..=1 and max_age_years at most 50".into(),
        ));
    }
    let total: u64 = g.tlds.values().map(|w| u64::from(*w)).sum();
    if total == 0 {
        return Err(bad(
            "generate: tlds needs at least one positive weight".into()
        ));
    }
    for t in g.tlds.keys() {
        if world.tlds.index_of(t).is_none() {
            return Err(Refusal::new(
                Code::ValueSyntax,
                "unknown_tld",
                format!("generate: `{t}` is not a TLD of the catalog"),
            ));
        }
    }
    let owners: Vec<String> = (0..g.accounts).map(|a| format!("cust-{a}")).collect();
    for owner in &owners {
        seed::add_account(world, owner, AccountKind::Customer, g.balance, Vec::new())?;
    }
    let start = world.now;
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
        .map_err(|(_, r)| r)?;
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
pub fn fixture_text(
    domains: u64,
    accounts: u64,
    tlds: &[(String, u32)],
    seed: u64,
    behaviour: bool,
) -> String {
    let weights: Vec<String> = tlds.iter().map(|(t, w)| format!("{t}: {w}")).collect();
    let mut s = format!(
        "# Generated by `regsim gen`: {domains} domains held by {accounts} accounts.\nstart: 2026-01-01\nseed: {seed}\ngenerate:\n  domains: {domains}\n  accounts: {accounts}\n  balance: 1000000000\n  tlds: {{ {} }}\n  auto_renew: 0.35\n  max_age_years: 10\n",
        weights.join(", ")
    );
    if behaviour {
        let total: u32 = tlds.iter().map(|(_, w)| *w).sum::<u32>().max(1);
        let per_day = domains as f64 * 0.2 / 365.0;
        let rates: Vec<String> = tlds
            .iter()
            .map(|(t, w)| format!("{t}: {:.2}", per_day * f64::from(*w) / f64::from(total)))
            .collect();
        s.push_str(&format!(
            "behaviour:\n  new_per_day: {{ {} }}\n",
            rates.join(", ")
        ));
    }
    s
}
