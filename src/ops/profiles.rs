//! Registrant profiles and real-name verification: create, update, submit for review,
//! the review itself (business days, documents, a seeded reject rate), and email
//! verification. A domain's serverHold and clientHold are derived from its profile
//! (see `status::registrant_holds`), so they lift by themselves when checks pass.

use super::actor::authorize;
use super::lookup::find_profile;
use super::{notify, validate};
use crate::model::{
    AccountId, Document, EventKind, Notice, Permission, Profile, ProfileId, RealName,
    ReviewOutcome, TimerKind, World,
};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::{Time, Timer};

/// Profile data as given by a script or fixture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileInput {
    /// Profile id (creation only).
    pub id: Option<String>,
    /// Registrant name.
    pub name: Option<String>,
    /// Organisation (empty for an individual).
    pub organization: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// E.164 phone, or empty.
    pub phone: Option<String>,
    /// ISO 3166 alpha-2 country.
    pub country: Option<String>,
    /// Identity document.
    pub document: Option<Document>,
}

pub(crate) fn check_fields(p: &ProfileInput, creating: bool) -> Outcome<()> {
    if let Some(n) = &p.name {
        validate::person_name("name", n, true)?;
    } else if creating {
        validate::person_name("name", "", true)?;
    }
    if let Some(o) = &p.organization {
        validate::person_name("organization", o, false)?;
    }
    match &p.email {
        Some(e) => validate::email(e)?,
        None if creating => validate::email("")?,
        None => {}
    }
    if let Some(ph) = &p.phone
        && !ph.is_empty()
    {
        validate::phone(ph)?;
    }
    match &p.country {
        Some(c) => validate::country(c)?,
        None if creating => validate::country("")?,
        None => {}
    }
    if let Some(d) = &p.document {
        validate::document(&d.kind, &d.number)?;
    }
    Ok(())
}

fn owned(world: &World, actor: &str, id: &str) -> Outcome<(AccountId, ProfileId)> {
    let a = authorize(world, actor, Permission::Update)?;
    let p = find_profile(world, id)?;
    if world.profiles[p as usize].owner != a.account {
        return Err(Refusal::new(
            Reason::NotOwner,
            format!("profile `{id}` belongs to another account"),
        ));
    }
    Ok((a.account, p))
}

/// Creates a profile for the actor's account (state `unverified`, email unverified).
/// Refuses: 2303/2201 actor, 2005 `invalid_profile_id`, 2302 `profile_exists`, 2005
/// `invalid_name` / `invalid_email` / `invalid_phone` / `invalid_country` /
/// `invalid_document`.
pub fn create_profile(world: &mut World, actor: &str, input: &ProfileInput) -> Outcome<ProfileId> {
    let a = authorize(world, actor, Permission::Update)?;
    let id = input.id.clone().unwrap_or_default();
    super::accounts::check_account_id(&id).map_err(|_| {
        Refusal::new(
            Reason::InvalidProfileId,
            format!("`{id}` is not a profile id: use 1 to 64 letters, digits, `_`, `-` or `.`"),
        )
    })?;
    if world.profile_id(&id).is_some() {
        return Err(Refusal::new(
            Reason::ProfileExists,
            format!("profile `{id}` already exists"),
        ));
    }
    check_fields(input, true)?;
    let now = world.now();
    Ok(insert(
        world,
        a.account,
        id,
        input,
        RealName::Unverified,
        false,
        now,
    ))
}

/// Deletes a profile of the actor's account. A profile that a live domain links (at
/// this registrar or another), or that is under review, stays.
/// Refuses: 2303/2201 actor and profile as [`update_profile`], 2304 `profile_in_use`,
/// 2304 `review_pending`.
pub(crate) fn delete_profile(world: &mut World, actor: &str, id: &str) -> Outcome<()> {
    let (_, p) = owned(world, actor, id)?;
    if let Some((_, d)) = world
        .live_domains()
        .find(|(_, d)| d.profile.get() == Some(p))
    {
        return Err(Refusal::new(
            Reason::ProfileInUse,
            format!(
                "profile `{id}` is the registrant of {}; change its registrant first",
                &world.names[d.name]
            ),
        ));
    }
    if world.profiles[p as usize].real_name == RealName::Pending {
        return Err(Refusal::new(
            Reason::ReviewPending,
            format!("profile `{id}` is under real-name review"),
        ));
    }
    world.delete_profile(p);
    Ok(())
}

/// Inserts a validated profile; shared with seeding.
pub(crate) fn insert(
    world: &mut World,
    owner: AccountId,
    id: String,
    input: &ProfileInput,
    real_name: RealName,
    email_verified: bool,
    created: Time,
) -> ProfileId {
    let p = world.add_profile(Profile {
        id,
        owner,
        name: input.name.clone().unwrap_or_default(),
        organization: input.organization.clone().unwrap_or_default(),
        email: input.email.clone().unwrap_or_default(),
        country: input.country.clone().unwrap_or_default(),
        phone: input.phone.clone().unwrap_or_default(),
        document: input.document.clone(),
        real_name,
        rejection: None,
        submissions: 0,
        email_verified,
        created,
        email_since: created,
        generation: 0,
        deleted: false,
    });
    world.record(EventKind::ProfileCreated { profile: p });
    p
}

/// Changes profile fields. Changing an identity field (name, organisation, country,
/// document) of a verified or pending profile sends it back to review; changing the
/// email makes it unverified again and restarts the email deadline.
/// Refuses: 2303 `no_such_profile`, 2201 `not_owner`, 2005 field syntax.
pub fn update_profile(
    world: &mut World,
    actor: &str,
    id: &str,
    input: &ProfileInput,
) -> Outcome<()> {
    let (_, p) = owned(world, actor, id)?;
    check_fields(input, false)?;
    let now = world.now();
    let prof = &mut world.profiles[p as usize];
    let mut identity_changed = false;
    for (slot, new) in [
        (&mut prof.name, &input.name),
        (&mut prof.organization, &input.organization),
        (&mut prof.country, &input.country),
    ] {
        if let Some(v) = new
            && slot != v
        {
            *slot = v.clone();
            identity_changed = true;
        }
    }
    if let Some(d) = &input.document
        && prof.document.as_ref() != Some(d)
    {
        prof.document = Some(d.clone());
        identity_changed = true;
    }
    if let Some(ph) = &input.phone {
        prof.phone = ph.clone();
    }
    if let Some(e) = &input.email
        && &prof.email != e
    {
        prof.email = e.clone();
        prof.email_verified = false;
        prof.email_since = now;
    }
    let reverify =
        identity_changed && matches!(prof.real_name, RealName::Verified | RealName::Pending);
    world.record(EventKind::ProfileUpdated {
        profile: p,
        reverified: reverify,
    });
    if reverify {
        start_review(world, p);
    }
    Ok(())
}

/// Submits a profile for real-name review; the outcome comes after
/// `rules.review_business_days` business days.
/// Refuses: 2303, 2201 as above, 2304 `review_pending`, 2304 `already_verified`, 2306
/// `document_missing`.
pub fn submit_verification(world: &mut World, actor: &str, id: &str) -> Outcome<()> {
    let (_, p) = owned(world, actor, id)?;
    let prof = &world.profiles[p as usize];
    match prof.real_name {
        RealName::Pending => {
            return Err(Refusal::new(
                Reason::ReviewPending,
                format!("profile `{id}` is already under review"),
            ));
        }
        RealName::Verified => {
            return Err(Refusal::new(
                Reason::AlreadyVerified,
                format!("profile `{id}` is already verified"),
            ));
        }
        RealName::Unverified | RealName::Rejected => {}
    }
    if prof.document.is_none() {
        return Err(Refusal::new(
            Reason::DocumentMissing,
            format!("profile `{id}` has no identity document; add one with update_profile first"),
        ));
    }
    world.record(EventKind::ProfileSubmitted { profile: p });
    start_review(world, p);
    Ok(())
}

pub(crate) fn start_review(world: &mut World, p: ProfileId) {
    let due = world
        .now()
        .add_business_days(world.rules.review_business_days);
    let prof = &mut world.profiles[p as usize];
    prof.real_name = RealName::Pending;
    prof.rejection = None;
    prof.submissions += 1;
    prof.generation = prof.generation.wrapping_add(1);
    let generation = prof.generation;
    world.schedule(due, TimerKind::ProfileReview, p, generation);
}

/// The review comes due: rejected for an invalid or expired document, or by the seeded
/// reject rate; verified otherwise. The owner is notified.
pub(crate) fn review_due(world: &mut World, timer: &Timer) -> bool {
    let p = timer.target;
    let Some(prof) = world.profiles.get(p as usize) else {
        return false;
    };
    if prof.generation != timer.generation || prof.real_name != RealName::Pending {
        return false;
    }
    let now = world.now();
    let draw = world
        .rng
        .keyed("review", &[p.into(), prof.submissions.into()])
        % 100;
    let outcome = match &prof.document {
        None => ReviewOutcome::DocumentMissing,
        Some(d) if !d.valid => ReviewOutcome::DocumentInvalid,
        Some(d) if d.expires.is_some_and(|e| e <= now) => ReviewOutcome::DocumentExpired,
        Some(_) if draw < u64::from(world.rules.review_reject_rate_percent) => {
            ReviewOutcome::ReviewerRejected
        }
        Some(_) => ReviewOutcome::Verified,
    };
    let reason = outcome.rejection();
    let prof = &mut world.profiles[p as usize];
    prof.real_name = if reason.is_some() {
        RealName::Rejected
    } else {
        RealName::Verified
    };
    prof.rejection = reason.map(str::to_string);
    world.record(EventKind::ProfileReviewed {
        profile: p,
        outcome,
    });
    let notice = if reason.is_some() {
        Notice::ProfileRejected
    } else {
        Notice::ProfileVerified
    };
    notify::profile_owner(world, p, notice);
    true
}

/// Marks the profile's email verified (the clientHold of the 15-day rule lifts).
/// Refuses: 2303, 2201 as above.
pub fn verify_email(world: &mut World, actor: &str, id: &str) -> Outcome<()> {
    let (_, p) = owned(world, actor, id)?;
    if world.profiles[p as usize].email_verified {
        return Ok(());
    }
    world.profiles[p as usize].email_verified = true;
    world.record(EventKind::EmailVerified { profile: p });
    Ok(())
}
