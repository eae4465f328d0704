//! Changing who holds a domain's registration data: the registrant (ownership
//! transfer to another profile), the domain's contact details, and WHOIS privacy.
//! Every change goes to the audit log with the real actor.

use super::lifecycle::{held, refuse_in_phase};
use super::lookup::find_profile;
use super::validate;
use crate::model::{AuditEntry, DomainId, EventKind, Lock, Permission, Phase, World};
use crate::refusal::{Code, Outcome, Refusal};

/// Appends an audit entry and a `domain_data_changed` event.
pub(crate) fn audit(
    world: &mut World,
    actor: &str,
    id: DomainId,
    action: &str,
    before: String,
    after: String,
) {
    let Some(domain) = world.domain(id).map(|d| d.name) else {
        return;
    };
    world.audit.push(AuditEntry {
        at: world.now,
        actor: actor.to_string(),
        domain,
        action: action.to_string(),
        before,
        after,
    });
    world.record(EventKind::DomainDataChanged {
        domain,
        action: action.to_string(),
        actor: actor.to_string(),
    });
}

fn refuse_under_update_lock(world: &World, id: DomainId, name: &str, what: &str) -> Outcome<()> {
    if world.domain(id).is_some_and(|d| d.locks.has(Lock::Update)) {
        return Err(Refusal::new(
            Code::StatusProhibits,
            "update_prohibited",
            format!("{name} carries clientUpdateProhibited; lift the update lock before {what}"),
        ));
    }
    Ok(())
}

/// Changes the registrant profile (an ownership transfer of the registration data).
/// Only while active and not under the update lock; starts a new 60-day transfer lock
/// unless `opt_out_lock`; in a real-name TLD the domain is held until the new profile
/// is verified (derived from the profile's state).
/// Refuses: 2303/2201 actor and domain, 2304 `not_allowed_in_phase` / `pending_delete`,
/// 2304 `update_prohibited`, 2303 `no_such_profile`, 2201 `not_owner` (profile of
/// another account), 2306 `same_registrant`.
pub fn set_registrant(
    world: &mut World,
    actor: &str,
    name: &str,
    profile: &str,
    opt_out_lock: bool,
) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    if h.phase != Phase::Active {
        return Err(refuse_in_phase(
            h.name(world),
            h.phase,
            "changing the registrant",
        ));
    }
    refuse_under_update_lock(world, h.id, h.name(world), "changing the registrant")?;
    let p = find_profile(world, profile)?;
    if world.profiles[p as usize].owner != h.actor.account {
        return Err(Refusal::new(
            Code::Authorization,
            "not_owner",
            format!("profile `{profile}` belongs to another account"),
        ));
    }
    let d = world.domain(h.id).expect("live domain");
    if d.profile.get() == Some(p) {
        return Err(Refusal::new(
            Code::Policy,
            "same_registrant",
            format!(
                "profile `{profile}` is already the registrant of {}",
                h.name(world)
            ),
        ));
    }
    let before = d
        .profile
        .get()
        .map(|q| world.profiles[q as usize].id.clone())
        .unwrap_or_default();
    let now = world.now;
    let d = world.domain_mut(h.id).expect("live domain");
    d.profile = Some(p).into();
    if !opt_out_lock {
        d.transfer_lock_from = now.into();
    }
    let domain = d.name;
    world.record(EventKind::RegistrantChanged {
        domain,
        profile: p,
        lock: !opt_out_lock,
    });
    audit(
        world,
        actor,
        h.id,
        "set_registrant",
        before,
        profile.to_string(),
    );
    Ok(())
}

/// Sets the domain's own contact email and/or phone (domain information), refused under
/// the update lock.
/// Refuses: 2303/2201 actor and domain, 2304 phase, 2304 `update_prohibited`, 2005
/// `invalid_email` / `invalid_phone`.
pub fn update_contact(
    world: &mut World,
    actor: &str,
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    if h.phase != Phase::Active {
        return Err(refuse_in_phase(
            h.name(world),
            h.phase,
            "changing domain information",
        ));
    }
    refuse_under_update_lock(world, h.id, h.name(world), "changing domain information")?;
    if let Some(e) = email {
        validate::email(e)?;
    }
    if let Some(p) = phone {
        validate::phone(p)?;
    }
    let data = world.data.entry(h.id).or_default();
    let before = format!(
        "{} {}",
        data.contact_email.clone().unwrap_or_default(),
        data.contact_phone.clone().unwrap_or_default()
    );
    if let Some(e) = email {
        data.contact_email = Some(e.to_string());
    }
    if let Some(p) = phone {
        data.contact_phone = Some(p.to_string());
    }
    let after = format!(
        "{} {}",
        data.contact_email.clone().unwrap_or_default(),
        data.contact_phone.clone().unwrap_or_default()
    );
    audit(
        world,
        actor,
        h.id,
        "update_contact",
        before.trim().to_string(),
        after.trim().to_string(),
    );
    Ok(())
}

/// Whether WHOIS redacts the registrant: the explicit setting, else on for individuals
/// (no organisation) and off for organisations.
pub fn privacy_on(world: &World, id: DomainId) -> bool {
    let explicit = world.data.get(&id).and_then(|d| d.privacy);
    explicit.unwrap_or_else(|| {
        world
            .domain(id)
            .and_then(|d| d.profile.get())
            .is_none_or(|p| world.profiles[p as usize].organization.is_empty())
    })
}

/// Turns WHOIS privacy on or off (active or grace; a display setting, so the update
/// lock does not block it).
/// Refuses: 2303/2201 actor and domain, 2304 `pending_delete`.
pub fn set_privacy(world: &mut World, actor: &str, name: &str, on: bool) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    if !matches!(h.phase, Phase::Active | Phase::Grace) {
        return Err(refuse_in_phase(
            h.name(world),
            h.phase,
            "changing WHOIS privacy",
        ));
    }
    let before = privacy_on(world, h.id);
    world.data.entry(h.id).or_default().privacy = Some(on);
    audit(
        world,
        actor,
        h.id,
        "set_privacy",
        before.to_string(),
        on.to_string(),
    );
    Ok(())
}
