//! Changing who holds a domain's registration data: the registrant (ownership
//! transfer to another profile), the domain's contact details, and WHOIS privacy.
//! Every change goes to the audit log with the real actor.

use super::guard::{Guard, Held, held};
use super::lookup::find_profile;
use super::validate;
use crate::model::{AuditEntry, DataAction, DomainId, EventKind, Permission, ProfileId, World};
use crate::refusal::{Outcome, Reason, Refusal};

/// Appends an audit entry (unless the world keeps no events: `--bulk`) and a
/// `domain_data_changed` event.
pub(crate) fn audit(
    world: &mut World,
    actor: &str,
    id: DomainId,
    action: DataAction,
    before: String,
    after: String,
) {
    let Some(domain) = world.domain(id).map(|d| d.name) else {
        return;
    };
    // Kept with the events: a bulk run keeps neither, only their digest.
    if world.retention.events {
        world.audit.push(AuditEntry {
            at: world.now(),
            actor: actor.to_string(),
            domain,
            action,
            before,
            after,
        });
    }
    world.record(EventKind::DomainDataChanged {
        domain,
        action,
        actor: actor.to_string(),
    });
}

/// The guards of every registrant change, hand-made or a sale's: an active domain not
/// under clientUpdateProhibited.
pub(crate) const REGISTRANT_CHANGE: &[Guard] = &[Guard::Active, Guard::NoUpdateLock];

/// A registrant change, validated.
pub(crate) struct RegistrantChange {
    /// The new registrant profile (none: left unset for the new holder to choose).
    pub(crate) profile: Option<ProfileId>,
    /// Whether a new 60-day transfer lock starts.
    pub(crate) lock: bool,
}

/// Checks the guards of a registrant change of a held domain.
pub(crate) fn check_registrant_change(world: &World, h: &Held) -> Outcome<()> {
    h.require(world, REGISTRANT_CHANGE, "changing the registrant")
}

/// Applies a registrant change that [`check_registrant_change`] allowed: the one path of
/// every registrant change (hand-made, a sale's, a completed transfer's). The profile
/// changes; the registrant's data on the domain (contact email and phone, and an
/// explicit WHOIS privacy setting, all chosen for the old registrant) goes back to the
/// defaults, so an individual is redacted until the new registrant publishes; a new
/// transfer lock starts unless opted out; the change is an event and one audit entry
/// with the real actor (`trade` for a sale, the gaining account for a transfer).
pub(crate) fn apply_registrant_change(
    world: &mut World,
    id: DomainId,
    change: RegistrantChange,
    actor: &str,
) {
    let now = world.now();
    let Some(d) = world.domain_mut(id) else {
        return;
    };
    let before = d.profile.get();
    d.profile = change.profile.into();
    if change.lock {
        d.transfer_lock_from = now.into();
    }
    let domain = d.name;
    if let Some(data) = world.data.get_mut(&id) {
        data.contact_email = None;
        data.contact_phone = None;
        data.privacy = None;
    }
    world.record(EventKind::RegistrantChanged {
        domain,
        profile: change.profile,
        lock: change.lock,
    });
    let label = |p: Option<ProfileId>| {
        p.map(|p| world.profiles[p as usize].id.clone())
            .unwrap_or_default()
    };
    let (before, after) = (label(before), label(change.profile));
    audit(world, actor, id, DataAction::SetRegistrant, before, after);
}

/// Changes the registrant profile (an ownership transfer of the registration data).
/// Only while active and not under the update lock; starts a new 60-day transfer lock
/// unless `opt_out_lock`; in a real-name TLD the domain is held until the new profile
/// is verified (derived from the profile's state). The domain's contact details and an
/// explicit privacy setting go back to the defaults (see [`apply_registrant_change`]).
/// Refuses: 2201 `not_sponsoring_registrar`, 2303/2201 actor and domain, 2304
/// `pending_transfer`, 2304 `not_allowed_in_phase` / `pending_delete`, 2304
/// `update_prohibited`, 2303 `no_such_profile`, 2201 `not_owner` (profile of another
/// account), 2306 `same_registrant`.
pub fn set_registrant(
    world: &mut World,
    actor: &str,
    name: &str,
    profile: &str,
    opt_out_lock: bool,
) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    check_registrant_change(world, &h)?;
    let p = find_profile(world, profile)?;
    if world.profiles[p as usize].owner != h.actor.account {
        return Err(Refusal::new(
            Reason::NotOwner,
            format!("profile `{profile}` belongs to another account"),
        ));
    }
    if world.domain(h.id).and_then(|d| d.profile.get()) == Some(p) {
        return Err(Refusal::new(
            Reason::SameRegistrant,
            format!(
                "profile `{profile}` is already the registrant of {}",
                h.name(world)
            ),
        ));
    }
    let change = RegistrantChange {
        profile: Some(p),
        lock: !opt_out_lock,
    };
    apply_registrant_change(world, h.id, change, actor);
    Ok(())
}

/// The guards of a change of the domain's contact details.
const CONTACT_CHANGE: &[Guard] = &[Guard::Active, Guard::NoUpdateLock];

/// Sets the domain's own contact email and/or phone (domain information), refused under
/// the update lock.
/// Refuses: 2201 `not_sponsoring_registrar`, 2304 `not_allowed_in_phase`, 2304
/// `pending_delete`, 2304 `pending_transfer`, 2303/2201 actor and domain, 2304 phase,
/// 2304 `update_prohibited`, 2005 `invalid_email` / `invalid_phone`.
pub fn update_contact(
    world: &mut World,
    actor: &str,
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    h.require(world, CONTACT_CHANGE, "changing domain information")?;
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
        DataAction::UpdateContact,
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
/// Refuses: 2201 `not_sponsoring_registrar`, 2304 `pending_transfer`, 2303/2201 actor
/// and domain, 2304 `pending_delete`.
pub fn set_privacy(world: &mut World, actor: &str, name: &str, on: bool) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    h.require(world, &[Guard::Live], "changing WHOIS privacy")?;
    let before = privacy_on(world, h.id);
    world.data.entry(h.id).or_default().privacy = Some(on);
    audit(
        world,
        actor,
        h.id,
        DataAction::SetPrivacy,
        before.to_string(),
        on.to_string(),
    );
    Ok(())
}
