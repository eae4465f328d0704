//! Seeding a world from a description (fixtures, generators): accounts, profiles and
//! domains in any lifecycle state, checked for consistency.

use super::lookup::parse_name;
use super::timeline;
use crate::model::{
    AccountKind, Domain, DomainId, Lock, Locks, RamUser, RealName, Registrar, World,
};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::Time;

fn bad(reason: Reason, message: String) -> Refusal {
    Refusal::new(reason, message)
}

/// Adds a registrar (`rejects_transfers`: as the losing side it refuses transfer
/// requests). Refuses: 2005 `invalid_registrar_id`, 2302 `registrar_exists`, 2306
/// `too_many_registrars` (255 besides home).
pub(crate) fn add_registrar(world: &mut World, id: &str, rejects_transfers: bool) -> Outcome<()> {
    super::accounts::check_account_id(id).map_err(|_| {
        bad(
            Reason::InvalidRegistrarId,
            format!("`{id}` is not a registrar id"),
        )
    })?;
    if world.registrars.iter().any(|r| r.id == id) {
        return Err(Refusal::new(
            Reason::RegistrarExists,
            format!("registrar `{id}` is listed twice"),
        ));
    }
    if world.registrars.len() >= crate::model::account::MAX_REGISTRARS {
        return Err(Refusal::new(
            Reason::TooManyRegistrars,
            format!(
                "registrar `{id}` would be one too many: a world has at most {} registrars besides `home`",
                crate::model::account::MAX_REGISTRARS - 1
            ),
        ));
    }
    world.registrars.push(Registrar {
        id: id.to_string(),
        rejects_transfers,
    });
    Ok(())
}

/// Adds an account with RAM sub-users. Refuses as `open_account`, plus 2302
/// `user_exists` for a sub-user named twice and 2005 `invalid_user_name`.
pub(crate) fn add_account(
    world: &mut World,
    id: &str,
    kind: AccountKind,
    balance: i64,
    ram_users: Vec<RamUser>,
) -> Outcome<()> {
    for (i, u) in ram_users.iter().enumerate() {
        super::accounts::check_account_id(&u.name).map_err(|_| {
            bad(
                Reason::InvalidUserName,
                format!("`{}` is not a RAM user name", u.name),
            )
        })?;
        if ram_users[..i].iter().any(|v| v.name == u.name) {
            return Err(Refusal::new(
                Reason::UserExists,
                format!("RAM user `{}` is listed twice", u.name),
            ));
        }
    }
    super::accounts::open_account(world, id, kind, balance)?;
    let a = world.account_id(id).expect("just opened");
    world.accounts[a as usize].ram_users = ram_users;
    Ok(())
}

/// A profile to seed: its data plus the verification state the fixture gives.
#[derive(Clone, Debug)]
pub(crate) struct ProfileSeed {
    /// Owning account id.
    pub owner: String,
    /// Profile data (the id included).
    pub input: super::profiles::ProfileInput,
    /// Verification state.
    pub real_name: RealName,
    /// Email verified.
    pub email_verified: bool,
    /// Creation time (default: the world's start).
    pub created: Option<Time>,
}

/// Adds a profile in any verification state (a pending one gets its review
/// scheduled). Refuses: 2005 `invalid_profile_id`, 2302 `profile_exists`, 2303
/// `no_such_account`, 2306 `created_in_future`, and the field checks of
/// [`create_profile`](super::profiles::create_profile).
pub(crate) fn add_profile(world: &mut World, p: ProfileSeed) -> Outcome<()> {
    let id = p.input.id.clone().unwrap_or_default();
    super::accounts::check_account_id(&id).map_err(|_| {
        bad(
            Reason::InvalidProfileId,
            format!("`{id}` is not a profile id"),
        )
    })?;
    if world.profile_id(&id).is_some() {
        return Err(Refusal::new(
            Reason::ProfileExists,
            format!("profile `{id}` is listed twice"),
        ));
    }
    let owner = super::lookup::find_account(world, &p.owner)?;
    super::profiles::check_fields(&p.input, true)?;
    let created = p.created.unwrap_or(world.now());
    if created > world.now() {
        return Err(Refusal::new(
            Reason::CreatedInFuture,
            format!("profile `{id}` is created after the start {}", world.now()),
        ));
    }
    let pid = super::profiles::insert(
        world,
        owner,
        id,
        &p.input,
        p.real_name,
        p.email_verified,
        created,
    );
    if p.real_name == RealName::Pending {
        super::profiles::start_review(world, pid);
    }
    Ok(())
}

/// A domain to seed, in any state.
#[derive(Clone, Debug)]
pub(crate) struct DomainSeed {
    /// Name.
    pub name: String,
    /// Holder account id.
    pub owner: String,
    /// Profile id.
    pub profile: Option<String>,
    /// Registrar id (default `home`).
    pub registrar: Option<String>,
    /// Creation time.
    pub created: Time,
    /// Expiry.
    pub expires: Time,
    /// Deletion time, for a domain deleted into redemption.
    pub deleted: Option<Time>,
    /// Auto-renew.
    pub auto_renew: bool,
    /// Client locks.
    pub locks: Vec<Lock>,
    /// Transfer authorization code.
    pub auth_code: Option<String>,
}

/// Which field of a seed a refusal is about.
pub(crate) type SeedError = (&'static str, Refusal);

/// Adds a domain in any state at the world's current time, and schedules its next
/// milestone. An update lock on an expired domain is lifted, as at expiry.
/// Refuses (with the field at fault): `name` 2005 / 2302 `already_registered`, `owner`
/// 2303, `profile` 2303 / 2201, `registrar` 2303 `no_such_registrar`, `expires` 2306
/// `expires_before_created`, `created` 2306 `created_in_future`, `deleted` 2306
/// `deleted_out_of_order`, `expires` 2306 `already_released`.
pub(crate) fn add_domain(world: &mut World, s: DomainSeed) -> Result<DomainId, SeedError> {
    let parsed = parse_name(world, &s.name).map_err(|r| ("name", r))?;
    if world.live_domain_named(&parsed.ascii).is_some() {
        return Err((
            "name",
            Refusal::new(
                Reason::AlreadyRegistered,
                format!("{} is listed twice", parsed.ascii),
            ),
        ));
    }
    let owner = super::lookup::find_account(world, &s.owner).map_err(|r| ("owner", r))?;
    let profile = match &s.profile {
        None => None,
        Some(p) => {
            let id = super::lookup::find_profile(world, p).map_err(|r| ("profile", r))?;
            if world.profiles[id as usize].owner != owner {
                return Err((
                    "profile",
                    Refusal::new(
                        Reason::NotOwner,
                        format!(
                            "profile `{p}` belongs to another account than `{}`",
                            s.owner
                        ),
                    ),
                ));
            }
            Some(id)
        }
    };
    let registrar = match &s.registrar {
        None => 0,
        Some(r) => world
            .registrars
            .iter()
            .position(|x| &x.id == r)
            .ok_or_else(|| {
                (
                    "registrar",
                    Refusal::new(
                        Reason::NoSuchRegistrar,
                        format!("registrar `{r}` is not listed under registrars"),
                    ),
                )
            })? as u8,
    };
    let now = world.now();
    if s.created > now {
        return Err((
            "created",
            Refusal::new(
                Reason::CreatedInFuture,
                format!(
                    "{} is created {} after the start {now}",
                    parsed.ascii, s.created
                ),
            ),
        ));
    }
    if s.expires <= s.created {
        return Err((
            "expires",
            Refusal::new(
                Reason::ExpiresBeforeCreated,
                format!(
                    "{} expires {} before it is created {}",
                    parsed.ascii, s.expires, s.created
                ),
            ),
        ));
    }
    if let Some(d) = s.deleted
        && (d < s.created || d > now)
    {
        return Err((
            "deleted",
            Refusal::new(
                Reason::DeletedOutOfOrder,
                format!(
                    "{} is deleted {d}, which is not between its creation and the start",
                    parsed.ascii
                ),
            ),
        ));
    }
    let mut locks = Locks::default();
    for l in &s.locks {
        locks.set(*l, true);
    }
    if s.expires <= now {
        locks.set(Lock::Update, false);
    }
    let mut domain = Domain {
        name: 0,
        tld: parsed.tld,
        registrar,
        owner,
        profile: profile.into(),
        created: s.created.into(),
        expires: s.expires.into(),
        deleted: s.deleted.into(),
        locks,
        transfer_lock_from: s.created.into(),
        generation: crate::model::domain::Generation::FIRST,
        seq: 0,
        owed: crate::sim::OptTime::NONE,
        owed_kind: 0,
        name_hash: 0,
    };
    domain.set_auto_renew(s.auto_renew);
    let release = domain.boundaries(world.tlds.get(parsed.tld)).release;
    if release <= now {
        return Err((
            "expires",
            Refusal::new(
                Reason::AlreadyReleased,
                format!(
                    "{} would have been released {release}, before the start {now}; leave it out",
                    parsed.ascii
                ),
            ),
        ));
    }
    let name = world.intern(&parsed.ascii);
    let id = world.insert_domain(Domain { name, ..domain });
    if let Some(code) = s.auth_code {
        world.auth_codes.insert(id, code);
    }
    timeline::schedule_from(world, id, now);
    Ok(id)
}

/// Most AccessKeys a world holds.
pub(crate) const MAX_ACCESS_KEYS: usize = 10_000;

/// Adds an AccessKey of the API sandbox for `account` (or its RAM user `user`).
/// Refuses: 2005 `invalid_access_key` (an id or secret that is empty, longer than 128
/// bytes, or not printable ASCII without spaces), 2302 `access_key_exists`, 2303
/// `no_such_account`, 2303 `no_such_user`, 2306 `too_many_records` (past
/// [`MAX_ACCESS_KEYS`]).
pub(crate) fn add_access_key(
    world: &mut World,
    id: &str,
    secret: &str,
    account: &str,
    user: Option<&str>,
) -> Outcome<()> {
    let token = |what: &str, v: &str| {
        if v.is_empty() || v.len() > 128 || !v.bytes().all(|b| b.is_ascii_graphic()) {
            Err(bad(
                Reason::InvalidAccessKey,
                format!(
                    "an AccessKey {what} is 1 to 128 printable ASCII characters without spaces"
                ),
            ))
        } else {
            Ok(())
        }
    };
    token("id", id)?;
    token("secret", secret)?;
    if world.access_keys.iter().any(|k| k.id == id) {
        return Err(Refusal::new(
            Reason::AccessKeyExists,
            format!("AccessKey `{id}` is listed twice"),
        ));
    }
    let a = world
        .account_id(account)
        .ok_or_else(|| Refusal::new(Reason::NoSuchAccount, format!("no account `{account}`")))?;
    if let Some(u) = user
        && !world.accounts[a as usize]
            .ram_users
            .iter()
            .any(|r| r.name == u)
    {
        return Err(Refusal::new(
            Reason::NoSuchUser,
            format!("account `{account}` has no RAM user `{u}`"),
        ));
    }
    if world.access_keys.len() >= MAX_ACCESS_KEYS {
        return Err(Refusal::new(
            Reason::TooManyRecords,
            format!("a world holds at most {MAX_ACCESS_KEYS} AccessKeys"),
        ));
    }
    world.access_keys.push(crate::model::AccessKey {
        id: id.to_string(),
        secret: secret.to_string(),
        account: a,
        user: user.map(str::to_string),
    });
    Ok(())
}
