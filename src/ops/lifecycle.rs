//! The registration lifecycle: check, register, renew, restore, delete, auto-renew
//! and locks. Each operation validates everything first (`check_*`, reading only) and
//! then applies (`apply_*`, writing only, unable to fail): a refused operation
//! changes nothing.

use super::actor::{Actor, authorize};
use super::guard::{Guard, Held, held, held_id, holder_of};
use super::lookup::{Parsed, find_profile, parse_name};
use super::timeline;
use crate::model::{
    AccountId, AddGraceCharge, Book, Domain, DomainId, EventKind, Lock, Locks, Memo, NameId,
    Permission, Phase, ProfileId, Tld, World,
};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::Time;

/// Hard range of a term in years (ICANN's 10-year maximum).
pub(crate) const MAX_YEARS: i64 = 10;

/// The answer of `check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Availability<'a> {
    /// Normalised name: the name asked about, borrowed, when it was in normal form.
    pub name: std::borrow::Cow<'a, str>,
    /// Whether it can be registered now.
    pub available: bool,
    /// `available`, or why not.
    pub reason: AvailabilityReason,
    /// First-year registration price.
    pub price: i64,
}

/// Options of a registration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterOptions {
    /// Registrant profile id to link.
    pub profile: Option<String>,
    /// Turn auto-renew on.
    pub auto_renew: bool,
}

/// Why a name is or is not available, as [`check`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AvailabilityReason {
    /// `available`.
    Available,
    /// `already_registered`: active or in grace.
    AlreadyRegistered,
    /// `in_redemption`.
    InRedemption,
    /// `pending_delete`: the name will be released soon.
    PendingDelete,
    /// `backorder_auction`: released to a private auction among its backorders.
    BackorderAuction,
}

impl AvailabilityReason {
    /// Every reason, in declaration order (`ALL[r as usize] == r`).
    pub const ALL: [AvailabilityReason; 5] = [
        AvailabilityReason::Available,
        AvailabilityReason::AlreadyRegistered,
        AvailabilityReason::InRedemption,
        AvailabilityReason::PendingDelete,
        AvailabilityReason::BackorderAuction,
    ];

    /// The reason's slug in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            AvailabilityReason::Available => "available",
            AvailabilityReason::AlreadyRegistered => "already_registered",
            AvailabilityReason::InRedemption => "in_redemption",
            AvailabilityReason::PendingDelete => "pending_delete",
            AvailabilityReason::BackorderAuction => "backorder_auction",
        }
    }
}

/// Whether a name can be registered.
/// Refuses: 2005 `invalid_domain_name`, 2005 `unknown_tld`.
pub fn check<'a>(world: &World, name: &'a str) -> Outcome<Availability<'a>> {
    let (ascii, tld) = super::lookup::parse_name_ref(world, name)?;
    let (available, reason) = availability(world, &ascii);
    Ok(Availability {
        price: world.tlds.get(tld).register,
        name: ascii,
        available,
        reason,
    })
}

/// Whether a parsed name can be registered, and the reason (the rule behind [`check`]
/// and [`register`]). A domain whose release is due but not yet carried out is not
/// available yet, with nothing else against it.
fn availability(world: &World, ascii: &str) -> (bool, AvailabilityReason) {
    let found = world.lookup_name(ascii);
    if found.is_some_and(|(n, _)| world.market.reserved.contains_key(&n)) {
        return (false, AvailabilityReason::BackorderAuction);
    }
    let phase = found
        .and_then(|(_, live)| live)
        .and_then(|id| world.domain(id))
        .map(|d| d.phase(world.now(), world.tlds.get(d.tld)));
    let reason = match phase {
        None | Some(Phase::Released) => AvailabilityReason::Available,
        Some(Phase::Active | Phase::Grace) => AvailabilityReason::AlreadyRegistered,
        Some(Phase::Redemption) => AvailabilityReason::InRedemption,
        Some(Phase::PendingDelete) => AvailabilityReason::PendingDelete,
    };
    (phase.is_none(), reason)
}

fn years_in_range(years: i64) -> Outcome<u32> {
    if (1..=MAX_YEARS).contains(&years) {
        Ok(years as u32)
    } else {
        Err(Refusal::new(
            Reason::YearsOutOfRange,
            format!("a term of {years} years is outside 1..=10"),
        ))
    }
}

fn within_cap(
    world: &World,
    name: impl std::fmt::Display,
    tld: &Tld,
    expires: Time,
) -> Outcome<()> {
    if expires >= crate::sim::time::MAX_TIME {
        // The term would end where the clock ends (dates saturate there): such a domain
        // would be due for release at once, forever.
        return Err(Refusal::new(
            Reason::BeyondClockEnd,
            format!(
                "{name} would expire at or after {}, the last instant regsim models",
                crate::sim::time::MAX_TIME
            ),
        ));
    }
    if !expires.within_years(world.now(), tld.max_term_years) {
        let cap = world.now().add_years(tld.max_term_years.into());
        return Err(Refusal::new(
            Reason::TermExceedsMax,
            format!(
                "{name} would expire {expires}, more than {} years from now (the limit is {cap})",
                tld.max_term_years
            ),
        ));
    }
    Ok(())
}

fn afford(
    world: &World,
    account: AccountId,
    amount: i64,
    what: impl FnOnce() -> String,
) -> Outcome<()> {
    if world.ledger.can_pay(account, amount) {
        return Ok(());
    }
    let what = what();
    Err(Refusal::new(
        Reason::InsufficientFunds,
        format!(
            "{what} costs {amount} but the wallet of `{}` holds {}",
            world.accounts[account as usize].id,
            world.ledger.balance(Book::Wallet(account))
        ),
    ))
}

/// Charges a sale to the holder's wallet. Callers checked the wallet can pay.
fn charge(
    world: &mut World,
    account: AccountId,
    price: i64,
    wholesale: i64,
    memo: Memo,
    name: NameId,
) {
    sell(world, Book::Wallet(account), price, wholesale, memo, name);
}

/// Books a sale: `from` (a wallet, or escrow for a backorder) pays `price` to revenue,
/// and revenue pays `wholesale` to the registry.
pub(crate) fn sell(
    world: &mut World,
    from: Book,
    price: i64,
    wholesale: i64,
    memo: Memo,
    name: NameId,
) {
    let now = world.now();
    world.ledger.post(now, from, Book::Revenue, price, memo);
    world.ledger.post(
        now,
        Book::Revenue,
        Book::RegistryPayable,
        wholesale,
        Memo::Wholesale(name),
    );
}

/// A validated registration.
struct RegisterPlan {
    actor: Actor,
    parsed: Parsed,
    years: u32,
    profile: Option<ProfileId>,
    auto_renew: bool,
    price: i64,
    wholesale: i64,
}

/// Registers a name for `years` years; cost = register + renew × (years − 1).
/// Refuses: 2303 `no_such_account`, 2201 `permission_denied`, 2005 `invalid_domain_name`
/// / `unknown_tld`, 2004 `years_out_of_range`, 2306 `term_exceeds_max`, 2302
/// `already_registered`, 2303 `no_such_profile`, 2201 `not_owner` (profile of another
/// account), 2104 `insufficient_funds`.
pub fn register(
    world: &mut World,
    actor: &str,
    name: &str,
    years: i64,
    options: &RegisterOptions,
) -> Outcome<DomainId> {
    let plan = check_register(world, actor, |w| parse_name(w, name), years, options)?;
    Ok(apply_register(world, plan))
}

/// As [`register`], for a name built in normal form from a label of letters and a TLD of
/// the catalog (the behaviour model's generated names): the same rules, without parsing
/// the text again. Such a name can break only the length limit (under a very long TLD);
/// one that does goes through [`register`] and is refused like any other.
pub(crate) fn register_parsed(
    world: &mut World,
    actor: &str,
    parsed: Parsed,
    years: i64,
    options: &RegisterOptions,
) -> Outcome<DomainId> {
    if parsed.ascii.len() > crate::model::name::MAX_NAME {
        return register(world, actor, &parsed.ascii, years, options);
    }
    debug_assert_eq!(parse_name(world, &parsed.ascii).as_ref(), Ok(&parsed));
    let plan = check_register(world, actor, |_| Ok(parsed), years, options)?;
    Ok(apply_register(world, plan))
}

/// Validates a registration; `parse` gives the name once the actor may register.
fn check_register(
    world: &World,
    actor: &str,
    parse: impl FnOnce(&World) -> Outcome<Parsed>,
    years: i64,
    options: &RegisterOptions,
) -> Outcome<RegisterPlan> {
    let actor = authorize(world, actor, Permission::Register)?;
    let parsed = parse(world)?;
    let years = years_in_range(years)?;
    let tld = world.tlds.get(parsed.tld);
    let expires = world.now().add_years(years.into());
    within_cap(world, &parsed.ascii, tld, expires)?;
    let (available, reason) = availability(world, &parsed.ascii);
    if !available {
        return Err(Refusal::new(
            Reason::AlreadyRegistered,
            format!(
                "{} is already registered ({})",
                parsed.ascii,
                reason.as_str()
            ),
        ));
    }
    let profile = match &options.profile {
        None => None,
        Some(id) => {
            let p = find_profile(world, id)?;
            if world.profiles[p as usize].owner != actor.account {
                return Err(Refusal::new(
                    Reason::NotOwner,
                    format!(
                        "profile `{id}` belongs to another account than `{}`",
                        world.accounts[actor.account as usize].id
                    ),
                ));
            }
            Some(p)
        }
    };
    let extra = i64::from(years - 1);
    let price = tld.register + tld.renew * extra;
    let wholesale = tld.wholesale_register + tld.wholesale_renew * extra;
    afford(world, actor.account, price, || {
        format!("registering {} for {years} years", parsed.ascii)
    })?;
    Ok(RegisterPlan {
        actor,
        parsed,
        years,
        profile,
        auto_renew: options.auto_renew,
        price,
        wholesale,
    })
}

fn apply_register(world: &mut World, plan: RegisterPlan) -> DomainId {
    let name = world.intern(&plan.parsed.ascii);
    let owner = plan.actor.account;
    charge(
        world,
        owner,
        plan.price,
        plan.wholesale,
        Memo::Register(name),
        name,
    );
    let registration = Registration {
        owner,
        name,
        tld: plan.parsed.tld,
        years: plan.years,
        profile: plan.profile,
        auto_renew: plan.auto_renew,
        price: plan.price,
        wholesale: plan.wholesale,
    };
    insert_registration(world, registration)
}

/// A paid registration, ready to insert.
pub(crate) struct Registration {
    /// The holder.
    pub(crate) owner: AccountId,
    /// The interned name.
    pub(crate) name: NameId,
    /// Its TLD.
    pub(crate) tld: u16,
    /// Term in years.
    pub(crate) years: u32,
    /// The registrant profile, if any.
    pub(crate) profile: Option<ProfileId>,
    /// Auto-renew on.
    pub(crate) auto_renew: bool,
    /// Charged to the holder (refundable in add grace when positive).
    pub(crate) price: i64,
    /// Owed to the registry.
    pub(crate) wholesale: i64,
}

/// Creates a registration already paid for (the charge posted by the caller), logs it,
/// tells watchers and schedules its timeline. Shared by `register` and backorders.
pub(crate) fn insert_registration(world: &mut World, r: Registration) -> DomainId {
    let Registration {
        owner,
        name,
        tld,
        years,
        profile,
        auto_renew,
        price,
        wholesale,
    } = r;
    let now = world.now();
    let expires = now.add_years(years.into());
    let mut domain = Domain {
        name,
        tld,
        registrar: 0,
        owner,
        profile: profile.into(),
        created: now.into(),
        expires: expires.into(),
        deleted: crate::sim::OptTime::NONE,
        locks: Locks::default(),
        transfer_lock_from: now.into(),
        generation: crate::model::domain::Generation::FIRST,
        seq: 0,
        owed: crate::sim::OptTime::NONE,
        owed_kind: 0,
        name_hash: 0,
    };
    domain.set_auto_renew(auto_renew);
    let id = world.insert_domain(domain);
    if price > 0 {
        let charge = AddGraceCharge {
            until: now.add_days(world.tlds.get(tld).add_grace_days.into()),
            charge: price,
            wholesale,
        };
        world.add_grace_charges.insert(id, charge, now);
    }
    world.record(EventKind::Registered {
        domain: name,
        owner,
        years,
        expires,
        charged: price,
    });
    super::notify::watchers(world, name, crate::model::WatchChange::Registered);
    timeline::reschedule(world, id);
    id
}

/// Renews for `years` years (E' = E + years), in `active` or `grace`.
/// Refuses: 2303 `no_such_account` / `no_such_domain`, 2201 `not_owner` /
/// `permission_denied` / `not_sponsoring_registrar`, 2304 `pending_transfer`, 2005 name
/// syntax, 2105 `not_renewable_in_phase`, 2004 `years_out_of_range` /
/// `beyond_clock_end`, 2306 `term_exceeds_max`, 2104 `insufficient_funds`.
pub fn renew(world: &mut World, actor: &str, name: &str, years: i64) -> Outcome<Time> {
    let h = held(world, actor, name, Permission::Renew)?;
    renew_held(world, h, years)
}

/// [`renew`] by the domain's holder, for a domain given by id.
pub(crate) fn renew_as_holder(world: &mut World, id: DomainId, years: i64) -> Outcome<Time> {
    let h = held_id(world, holder_of(world, id)?, id, Permission::Renew)?;
    renew_held(world, h, years)
}

fn renew_held(world: &mut World, h: Held, years: i64) -> Outcome<Time> {
    let plan = plan_renew(world, &h, years)?;
    let expires = plan.expires;
    apply_renewal(world, h.id, plan);
    Ok(expires)
}

/// The guards of a renewal.
const RENEW: &[Guard] = &[Guard::Renewable];

fn plan_renew(world: &World, h: &Held, years: i64) -> Outcome<Renewal> {
    h.require(world, RENEW, "renewing")?;
    let years = years_in_range(years)?;
    let tld = world.tlds.get(h.tld);
    let expires = h.expires.add_years(years.into());
    within_cap(world, h.display(world), tld, expires)?;
    let price = tld.renew * i64::from(years);
    let wholesale = tld.wholesale_renew * i64::from(years);
    afford(world, h.actor.account, price, || {
        format!("renewing {} for {years} years", h.name(world))
    })?;
    Ok(Renewal {
        years,
        expires,
        price,
        wholesale,
        auto: false,
        late: h.phase == Phase::Grace,
    })
}

/// A validated renewal, ready to apply.
pub(crate) struct Renewal {
    /// Years added.
    pub(crate) years: u32,
    /// The new expiry (the old one plus `years`, computed when validating).
    pub(crate) expires: Time,
    /// Charged to the holder.
    pub(crate) price: i64,
    /// Owed to the registry.
    pub(crate) wholesale: i64,
    /// Made by auto-renew.
    pub(crate) auto: bool,
    /// Made in grace, after expiry.
    pub(crate) late: bool,
}

/// Moves expiry, charges the holder and reschedules. Shared by manual renewals and
/// auto-renew; callers validated everything.
pub(crate) fn apply_renewal(world: &mut World, id: DomainId, r: Renewal) {
    let Renewal {
        years,
        expires,
        price,
        wholesale,
        auto,
        late,
    } = r;
    let Some(d) = world.domain_mut(id) else {
        return;
    };
    debug_assert_eq!(expires, d.expires.get().add_years(years.into()));
    d.expires = expires.into();
    let (name, owner) = (d.name, d.owner);
    charge(world, owner, price, wholesale, Memo::Renew(name), name);
    world.record(EventKind::Renewed {
        domain: name,
        years,
        expires,
        charged: price,
        auto,
        late,
    });
    timeline::reschedule(world, id);
}

/// Restores a domain in redemption: pays the restore fee plus one renewal year;
/// E' = E + 1 year; back to `active` (or `grace` if still past expiry). The name's
/// backorders end, refunded; watchers are told it was `restored`.
/// Refuses: 2201 `not_sponsoring_registrar`, 2303, 2201, 2304 `pending_transfer`, 2005
/// as [`renew`], 2304 `not_in_redemption`, 2004 `beyond_clock_end`, 2306
/// `term_exceeds_max`, 2104 `insufficient_funds`.
pub fn restore(world: &mut World, actor: &str, name: &str) -> Outcome<Time> {
    let h = held(world, actor, name, Permission::Renew)?;
    restore_held(world, h)
}

/// [`restore`] by the domain's holder, for a domain given by id.
pub(crate) fn restore_as_holder(world: &mut World, id: DomainId) -> Outcome<Time> {
    let h = held_id(world, holder_of(world, id)?, id, Permission::Renew)?;
    restore_held(world, h)
}

/// A validated restore, ready to apply.
struct RestorePlan {
    expires: Time,
    price: i64,
    wholesale: i64,
}

/// The guards of a restore.
const RESTORE: &[Guard] = &[Guard::InRedemption];

fn restore_held(world: &mut World, h: Held) -> Outcome<Time> {
    let plan = plan_restore(world, &h)?;
    let expires = plan.expires;
    apply_restore(world, &h, plan);
    Ok(expires)
}

fn plan_restore(world: &World, h: &Held) -> Outcome<RestorePlan> {
    h.require(world, RESTORE, "restoring")?;
    let tld = world.tlds.get(h.tld);
    let expires = h.expires.add_years(1);
    within_cap(world, h.display(world), tld, expires)?;
    let price = tld.restore + tld.renew;
    afford(world, h.actor.account, price, || {
        format!("restoring {}", h.name(world))
    })?;
    Ok(RestorePlan {
        expires,
        price,
        wholesale: tld.wholesale_restore + tld.wholesale_renew,
    })
}

fn apply_restore(world: &mut World, h: &Held, plan: RestorePlan) {
    let name = h.name_id;
    charge(
        world,
        h.actor.account,
        plan.price,
        plan.wholesale,
        Memo::Restore(name),
        name,
    );
    if let Some(d) = world.domain_mut(h.id) {
        d.expires = plan.expires.into();
        d.deleted = crate::sim::OptTime::NONE;
    }
    world.record(EventKind::Restored {
        domain: name,
        expires: plan.expires,
        charged: plan.price,
    });
    (world.reactions.restored)(world, name);
    super::notify::watchers(world, name, crate::model::WatchChange::Restored);
    timeline::reschedule(world, h.id);
}

/// The guards of a deletion.
const DELETE: &[Guard] = &[Guard::Active, Guard::NotInTrade, Guard::NoDeleteLock];

/// Deletes a domain. Inside add grace the registration charge is refunded and the name
/// is released at once; otherwise the domain enters redemption now (the holder and
/// watchers are told, as on the expiry path).
/// Refuses: 2201 `not_sponsoring_registrar`, 2303, 2201, 2304 `pending_transfer`, 2005
/// as [`renew`], 2304 `not_allowed_in_phase` (grace) / `pending_delete` (redemption,
/// pending delete), 2304 `in_trade`, 2304 `delete_prohibited` (delete lock).
pub fn delete(world: &mut World, actor: &str, name: &str) -> Outcome<i64> {
    let h = held(world, actor, name, Permission::Update)?;
    h.require(world, DELETE, "deleting")?;
    let refund = world.add_grace(h.id);
    // Apply.
    let now = world.now();
    let name_id = h.name_id;
    if let Some(grace) = refund {
        let owner = h.actor.account;
        world.ledger.post(
            now,
            Book::RegistryPayable,
            Book::Revenue,
            grace.wholesale,
            Memo::Refund(name_id),
        );
        world.ledger.post(
            now,
            Book::Revenue,
            Book::Wallet(owner),
            grace.charge,
            Memo::Refund(name_id),
        );
        world.record(EventKind::Deleted {
            domain: name_id,
            refunded: grace.charge,
        });
        timeline::release(world, h.id);
        return Ok(grace.charge);
    }
    if let Some(d) = world.domain_mut(h.id) {
        d.deleted = Some(now).into();
    }
    world.record(EventKind::Deleted {
        domain: name_id,
        refunded: 0,
    });
    timeline::enter_phase(world, h.id, Phase::Redemption);
    timeline::reschedule(world, h.id);
    Ok(0)
}

/// The guards of an auto-renew change.
const AUTO_RENEW: &[Guard] = &[Guard::Live];

/// Turns auto-renew on or off (in `active` or `grace`).
/// Refuses: 2201 `not_sponsoring_registrar`, 2303, 2201, 2304 `pending_transfer`, 2005
/// as [`renew`], 2304 `pending_delete`.
pub fn set_auto_renew(world: &mut World, actor: &str, name: &str, on: bool) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Renew)?;
    set_auto_renew_held(world, h, on)
}

/// [`set_auto_renew`] by the domain's holder, for a domain given by id.
pub(crate) fn set_auto_renew_as_holder(world: &mut World, id: DomainId, on: bool) -> Outcome<()> {
    let h = held_id(world, holder_of(world, id)?, id, Permission::Renew)?;
    set_auto_renew_held(world, h, on)
}

fn set_auto_renew_held(world: &mut World, h: Held, on: bool) -> Outcome<()> {
    h.require(world, AUTO_RENEW, "changing auto-renew")?;
    if let Some(d) = world.domain_mut(h.id) {
        d.set_auto_renew(on);
    }
    world.record(EventKind::AutoRenewSet {
        domain: h.name_id,
        on,
    });
    timeline::reschedule(world, h.id);
    Ok(())
}

/// Turns a client lock on or off (in `active` only). Under the update lock the other
/// locks cannot change (RFC 5731: a status change is an update); the update lock
/// itself can always be lifted. Locks may change while the domain is listed: a sale
/// obeys them when it changes the registrant.
/// Refuses: 2201 `not_sponsoring_registrar`, 2303, 2201, 2304 `pending_transfer`, 2005
/// as [`renew`], 2005 `invalid_lock`, 2304 `not_allowed_in_phase` / `pending_delete`,
/// 2304 `update_prohibited`.
pub fn set_lock(world: &mut World, actor: &str, name: &str, lock: &str, on: bool) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    let lock = Lock::parse(lock).ok_or_else(|| {
        Refusal::new(
            Reason::InvalidLock,
            format!("`{lock}` is not a lock; use transfer, update or delete"),
        )
    })?;
    let guards: &[Guard] = if lock == Lock::Update {
        &[Guard::Active]
    } else {
        &[Guard::Active, Guard::NoUpdateLock]
    };
    let op = format!("changing the {} lock", lock.as_str());
    h.require(world, guards, &op)?;
    // Apply (an update lock makes a quiet domain loud: its expiry must lift it).
    timeline::change_quiet_facts(world, h.id, |d| d.locks.set(lock, on));
    world.record(EventKind::LockSet {
        domain: h.name_id,
        lock,
        on,
    });
    Ok(())
}
