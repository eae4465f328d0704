//! Finding things by what scripts call them: domain names (normalised, TLD checked),
//! accounts and profiles.

use crate::model::{AccountId, DomainId, ProfileId, World, name};
use crate::refusal::{Outcome, Reason, Refusal};
use std::borrow::Cow;

/// A normalised name with its TLD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// ASCII (A-label) form.
    pub ascii: String,
    /// Catalog index of the TLD.
    pub tld: u16,
}

/// Normalises a registrable name: one label directly under a TLD of the catalog.
/// Refuses: 2005 `invalid_domain_name`, 2005 `unknown_tld`.
pub(crate) fn parse_name(world: &World, input: &str) -> Outcome<Parsed> {
    let (ascii, tld) = parse_name_ref(world, input)?;
    Ok(Parsed {
        ascii: ascii.into_owned(),
        tld,
    })
}

/// [`parse_name`], borrowing a name given in normal form instead of copying it: the
/// ASCII form and the catalog index of its TLD.
pub(crate) fn parse_name_ref<'a>(world: &World, input: &'a str) -> Outcome<(Cow<'a, str>, u16)> {
    let ascii = name::normalize_cow(input)?;
    let split = world
        .tlds
        .split(&ascii)
        .map(|(tld, label)| (tld, label.contains('.')));
    match split {
        Some((tld, false)) => Ok((ascii, tld)),
        Some((tld, true)) => Err(Refusal::new(
            Reason::InvalidDomainName,
            format!(
                "`{input}` is not a registrable name: only one label may stand before .{}",
                world.tlds.name(tld)
            ),
        )),
        None => Err(Refusal::new(
            Reason::UnknownTld,
            format!(
                "`{input}` is not under a TLD this registrar sells ({})",
                world.tlds.names().collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// The live domain with this name.
/// Refuses: 2005 (see [`parse_name`]), 2303 `no_such_domain`.
pub(crate) fn find_domain(world: &World, input: &str) -> Outcome<(DomainId, Parsed)> {
    let parsed = parse_name(world, input)?;
    world
        .live_domain_named(&parsed.ascii)
        .map(|id| (id, parsed.clone()))
        .ok_or_else(|| {
            Refusal::new(
                Reason::NoSuchDomain,
                format!("{} is not registered", parsed.ascii),
            )
        })
}

/// The profile with this id.
/// Refuses: 2303 `no_such_profile`.
pub(crate) fn find_profile(world: &World, id: &str) -> Outcome<ProfileId> {
    world.profile_id(id).ok_or_else(|| {
        Refusal::new(
            Reason::NoSuchProfile,
            format!("profile `{id}` does not exist"),
        )
    })
}

/// Resolves an account id.
/// Refuses: 2303 `no_such_account`.
pub(crate) fn find_account(world: &World, id: &str) -> Outcome<AccountId> {
    world.account_id(id).ok_or_else(|| {
        Refusal::new(
            Reason::NoSuchAccount,
            format!("account `{id}` does not exist"),
        )
    })
}
