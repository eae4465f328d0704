//! Registrar-wide rules outside the TLD table: real-name review, ICP and PSB filing.
//! Set in a fixture's `rules:` section, by `--set rules.FIELD=VALUE` or
//! `set_policy("rules.FIELD", value)`.

use serde::{Deserialize, Serialize};

/// Registrar-wide rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// Business days a real-name review takes.
    pub review_business_days: u32,
    /// Percent of otherwise valid real-name submissions the reviewer rejects (seeded).
    pub review_reject_rate_percent: u32,
    /// Business days of the registrar's ICP review.
    pub icp_registrar_review_business_days: u32,
    /// Hours the applicant has to confirm the MIIT SMS.
    pub icp_sms_hours: u32,
    /// Fewest business days of the authority's review.
    pub icp_authority_min_business_days: u32,
    /// Most business days of the authority's review (seeded uniformly in between).
    pub icp_authority_max_business_days: u32,
    /// Percent of ICP orders the authority rejects (seeded).
    pub icp_reject_rate_percent: u32,
    /// Days an ICP order may sit idle before it is deleted.
    pub icp_idle_days: u32,
    /// Days after launch by which a mainland site needs its PSB filing.
    pub psb_due_days: u32,
    /// Fine recorded for serving mainland China without an approved filing.
    pub fine_unfiled: i64,
    /// Fine recorded for a commercial site without an ICP licence.
    pub fine_unlicensed: i64,
    /// Fine recorded for a missing PSB filing.
    pub fine_psb_missing: i64,
    /// Commission the platform keeps from a sale, in basis points (500 = 5%).
    pub commission_bps: u32,
    /// Minutes the automatic transfer after payment takes.
    pub auto_transfer_minutes: u32,
    /// Percent of automatic transfers that fail ("poor network conditions"; seeded).
    pub auto_transfer_failure_percent: u32,
    /// Days the seller has to deliver after a failed automatic transfer.
    pub delivery_days: u32,
    /// Default auction length in days.
    pub auction_days: u32,
    /// A bid this many minutes before the end extends the auction by as many minutes.
    pub soft_close_minutes: u32,
    /// Deposit frozen per bidder per auction.
    pub auction_deposit: i64,
    /// Hours an auction winner has to pay.
    pub auction_payment_hours: u32,
    /// Days a winner who does not pay is frozen from trading.
    pub forfeit_freeze_days: u32,
    /// Days an offer (or counter-offer) stays open.
    pub offer_days: u32,
    /// Days a buyer has to pay after an offer is accepted.
    pub offer_payment_days: u32,
    /// Consecutive payment breaches that freeze a buyer.
    pub breach_limit: u32,
    /// Days such a buyer is frozen from trading.
    pub breach_freeze_days: u32,
    /// A listing is refused this many days or fewer before expiry.
    pub listing_min_days_before_expiry: u32,
    /// Price of a backorder (held in escrow until the name drops).
    pub backorder_price: i64,
    /// Days of the private auction when several backorders want one name.
    pub backorder_auction_days: u32,
    /// Bid increments by price tier: `[from_price, increment]`, ascending.
    pub increments: Vec<(i64, i64)>,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            review_business_days: 1,
            review_reject_rate_percent: 0,
            icp_registrar_review_business_days: 1,
            icp_sms_hours: 24,
            icp_authority_min_business_days: 1,
            icp_authority_max_business_days: 20,
            icp_reject_rate_percent: 0,
            icp_idle_days: 45,
            psb_due_days: 30,
            fine_unfiled: 1_000_000,
            fine_unlicensed: 1_000_000,
            fine_psb_missing: 500_000,
            commission_bps: 500,
            auto_transfer_minutes: 10,
            auto_transfer_failure_percent: 0,
            delivery_days: 3,
            auction_days: 3,
            soft_close_minutes: 5,
            auction_deposit: 50_000,
            auction_payment_hours: 72,
            forfeit_freeze_days: 30,
            offer_days: 7,
            offer_payment_days: 7,
            breach_limit: 3,
            breach_freeze_days: 7,
            listing_min_days_before_expiry: 7,
            backorder_price: 9_900,
            backorder_auction_days: 3,
            increments: vec![
                (0, 500),
                (10_000, 1_000),
                (100_000, 5_000),
                (1_000_000, 10_000),
                (10_000_000, 50_000),
            ],
        }
    }
}

impl Rules {
    /// Checks ranges: percentages 0..=100, periods up to 10,000, min ≤ max, fines ≥ 0.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.commission_bps > 10_000 {
            return Err(format!(
                "commission_bps = {} is more than 10000 (100%)",
                self.commission_bps
            ));
        }
        let tiers_ok = !self.increments.is_empty()
            && self.increments[0].0 == 0
            && self.increments.windows(2).all(|w| w[0].0 < w[1].0)
            && self
                .increments
                .iter()
                .all(|(_, inc)| (1..=super::tld::MAX_PRICE).contains(inc));
        if !tiers_ok {
            return Err(
                "increments must start at price 0, ascend, and have positive increments".into(),
            );
        }
        for (name, v) in [
            ("auction_deposit", self.auction_deposit),
            ("backorder_price", self.backorder_price),
        ] {
            if !(0..=super::tld::MAX_PRICE).contains(&v) {
                return Err(format!(
                    "{name} = {v} is outside 0..={}",
                    super::tld::MAX_PRICE
                ));
            }
        }
        for (name, v) in [
            ("auto_transfer_minutes", self.auto_transfer_minutes),
            ("delivery_days", self.delivery_days),
            ("auction_days", self.auction_days),
            ("soft_close_minutes", self.soft_close_minutes),
            ("auction_payment_hours", self.auction_payment_hours),
            ("forfeit_freeze_days", self.forfeit_freeze_days),
            ("offer_days", self.offer_days),
            ("offer_payment_days", self.offer_payment_days),
            ("breach_freeze_days", self.breach_freeze_days),
            (
                "listing_min_days_before_expiry",
                self.listing_min_days_before_expiry,
            ),
            ("backorder_auction_days", self.backorder_auction_days),
        ] {
            if v > super::tld::MAX_DAYS {
                return Err(format!(
                    "{name} = {v} is more than {}",
                    super::tld::MAX_DAYS
                ));
            }
        }
        if self.breach_limit == 0 {
            return Err("breach_limit must be at least 1".into());
        }
        for (name, v) in [
            (
                "review_reject_rate_percent",
                self.review_reject_rate_percent,
            ),
            ("icp_reject_rate_percent", self.icp_reject_rate_percent),
            (
                "auto_transfer_failure_percent",
                self.auto_transfer_failure_percent,
            ),
        ] {
            if v > 100 {
                return Err(format!("{name} = {v} is more than 100"));
            }
        }
        for (name, v) in [
            ("review_business_days", self.review_business_days),
            (
                "icp_registrar_review_business_days",
                self.icp_registrar_review_business_days,
            ),
            ("icp_sms_hours", self.icp_sms_hours),
            (
                "icp_authority_min_business_days",
                self.icp_authority_min_business_days,
            ),
            (
                "icp_authority_max_business_days",
                self.icp_authority_max_business_days,
            ),
            ("icp_idle_days", self.icp_idle_days),
            ("psb_due_days", self.psb_due_days),
        ] {
            if v > super::tld::MAX_DAYS {
                return Err(format!(
                    "{name} = {v} is more than {}",
                    super::tld::MAX_DAYS
                ));
            }
        }
        if self.icp_authority_min_business_days > self.icp_authority_max_business_days {
            return Err(
                "icp_authority_min_business_days is more than icp_authority_max_business_days"
                    .into(),
            );
        }
        for (name, v) in [
            ("fine_unfiled", self.fine_unfiled),
            ("fine_unlicensed", self.fine_unlicensed),
            ("fine_psb_missing", self.fine_psb_missing),
        ] {
            if !(0..=super::tld::MAX_PRICE).contains(&v) {
                return Err(format!(
                    "{name} = {v} is outside 0..={}",
                    super::tld::MAX_PRICE
                ));
            }
        }
        Ok(())
    }
}
