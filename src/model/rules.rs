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
        }
    }
}

impl Rules {
    /// Checks ranges: percentages 0..=100, periods up to 10,000, min ≤ max, fines ≥ 0.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            (
                "review_reject_rate_percent",
                self.review_reject_rate_percent,
            ),
            ("icp_reject_rate_percent", self.icp_reject_rate_percent),
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
