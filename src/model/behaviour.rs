//! The behaviour model's parameters: how simulated customers renew, restore, register,
//! list and bid. Defaults follow published industry figures (see the README's
//! "Behaviour model" section); a fixture's `behaviour:` section or `--set
//! behaviour.FIELD=VALUE` changes them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Behaviour parameters. Probabilities are in 0..=1; elasticities are constant
/// elasticities against the price in force when the run started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Behaviour {
    /// Probability a domain renews at its first expiry.
    pub renew_first: f64,
    /// Probability an older domain renews.
    pub renew_later: f64,
    /// Price elasticity of renewal.
    pub renew_price_elasticity: f64,
    /// Share of renewals made in grace rather than before expiry.
    pub renew_in_grace: f64,
    /// Share of lapsing domains their holder restores from redemption, at the starting
    /// restore fee.
    pub restore_share: f64,
    /// Elasticity of restores to the restore fee.
    pub restore_elasticity: f64,
    /// Share of new registrations with auto-renew on.
    pub auto_renew_adoption: f64,
    /// Mean new registrations a day per TLD (Poisson), at the starting price.
    pub new_per_day: BTreeMap<String, f64>,
    /// Price elasticity of new registrations.
    pub register_elasticity: f64,
    /// Share of released names someone registers again within 30 days.
    pub reregistration: f64,
    /// Share of domains whose holder puts them up for auction in a term.
    pub listing_propensity: f64,
    /// Auction start price the holders ask.
    pub auction_start_price: i64,
    /// Mean bidders an auction attracts (Poisson; many auctions get one or none).
    pub bidders_mean: f64,
    /// Median bidder valuation (log-normal), in fen.
    pub valuation_median: i64,
    /// Spread (sigma of the log) of bidder valuations.
    pub valuation_sigma: f64,
}

impl Default for Behaviour {
    fn default() -> Behaviour {
        Behaviour {
            renew_first: 0.50,
            renew_later: 0.83,
            renew_price_elasticity: -0.5,
            renew_in_grace: 0.15,
            restore_share: 0.03,
            restore_elasticity: -1.0,
            auto_renew_adoption: 0.35,
            new_per_day: BTreeMap::new(),
            register_elasticity: -0.8,
            reregistration: 0.15,
            listing_propensity: 0.01,
            auction_start_price: 10_000,
            bidders_mean: 1.4,
            valuation_median: 150_000,
            valuation_sigma: 1.1,
        }
    }
}

impl Behaviour {
    /// Checks ranges: probabilities in 0..=1, elasticities at most 0, means and spreads
    /// finite and non-negative.
    pub(crate) fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("renew_first", self.renew_first),
            ("renew_later", self.renew_later),
            ("renew_in_grace", self.renew_in_grace),
            ("restore_share", self.restore_share),
            ("auto_renew_adoption", self.auto_renew_adoption),
            ("reregistration", self.reregistration),
            ("listing_propensity", self.listing_propensity),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{name} = {v} is not a probability in 0..=1"));
            }
        }
        for (name, v) in [
            ("renew_price_elasticity", self.renew_price_elasticity),
            ("restore_elasticity", self.restore_elasticity),
            ("register_elasticity", self.register_elasticity),
        ] {
            if !(-20.0..=0.0).contains(&v) {
                return Err(format!("{name} = {v} must be between -20 and 0"));
            }
        }
        for (name, v) in [
            ("bidders_mean", self.bidders_mean),
            ("valuation_sigma", self.valuation_sigma),
        ] {
            if !(0.0..=100.0).contains(&v) {
                return Err(format!("{name} = {v} must be between 0 and 100"));
            }
        }
        if let Some((tld, v)) = self
            .new_per_day
            .iter()
            .find(|(_, v)| !(0.0..=1_000_000.0).contains(*v))
        {
            return Err(format!(
                "new_per_day.{tld} = {v} must be between 0 and 1,000,000"
            ));
        }
        for (name, v) in [
            ("auction_start_price", self.auction_start_price),
            ("valuation_median", self.valuation_median),
        ] {
            if !(1..=super::tld::MAX_PRICE).contains(&v) {
                return Err(format!(
                    "{name} = {v} must be 1..={}",
                    super::tld::MAX_PRICE
                ));
            }
        }
        Ok(())
    }
}

/// A decision the behaviour model draws for a name, unless a script fixed it
/// (`decide(name, kind, value)`): the fixed value wins over `draw`.
pub fn decision(world: &super::World, name: super::NameId, kind: &str, draw: bool) -> bool {
    if world.decisions.is_empty() {
        return draw;
    }
    world
        .decisions
        .get(&(name, kind.to_string()))
        .copied()
        .unwrap_or(draw)
}

/// Whether the holder of `d` will consider listing it this term: the keyed draw (or the
/// script's fixed decision). The timeline gives a domain its listing decision point only
/// when this holds; `decide` and a change of `behaviour.listing_propensity` reschedule
/// so that it stays true.
pub(crate) fn will_list(world: &super::World, d: &super::domain::Domain) -> bool {
    let Some(b) = world.behaviour.as_ref() else {
        return false;
    };
    let key = [u64::from(d.name), d.expires.get().0 as u64];
    let draw = b.listing_propensity > 0.0 && world.rng.unit("list", &key) < b.listing_propensity;
    decision(world, d.name, "list", draw)
}
