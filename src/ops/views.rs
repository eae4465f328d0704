//! Read-only views of the world, as scripts and reports see them. Times are RFC 3339
//! strings, money is integer minor units.

use super::lookup::{find_account, find_domain, parse_name};
use super::status::statuses;
use crate::model::{
    AccountId, Book, Domain, DomainId, Event, EventKind, Field, Lock, Notification, Resolve, World,
    name,
};
use crate::refusal::{Outcome, Reason, Refusal};
use serde::Serialize;

/// A domain as `domain(name)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DomainView {
    /// ASCII name.
    pub name: String,
    /// Unicode form of the name.
    pub unicode: String,
    /// TLD without the dot.
    pub tld: String,
    /// Holder account id.
    pub owner: String,
    /// Linked profile id, or unit.
    pub profile: Option<String>,
    /// Registrar id.
    pub registrar: String,
    /// Creation time.
    pub created: String,
    /// Expiry time.
    pub expires: String,
    /// Lifecycle phase.
    pub phase: String,
    /// EPP statuses.
    pub statuses: Vec<String>,
    /// Auto-renew flag.
    pub auto_renew: bool,
    /// Client locks that are on.
    pub locks: Vec<String>,
    /// When the 60-day transfer lock ends.
    pub transfer_lock_until: String,
}

fn domain_view_of(world: &World, d: &Domain) -> DomainView {
    let tld = world.tlds.get(d.tld);
    let ascii = world.domain_name(d.name).to_string();
    DomainView {
        unicode: name::to_unicode(&ascii),
        name: ascii,
        tld: world.tlds.name(d.tld).to_string(),
        owner: world.account_name(d.owner).to_string(),
        profile: d
            .profile
            .get()
            .map(|p| world.profiles[p as usize].id.clone()),
        registrar: world.registrars[d.registrar as usize].id.clone(),
        created: d.created.get().to_string(),
        expires: d.expires.get().to_string(),
        phase: d.phase(world.now(), tld).as_str().to_string(),
        statuses: statuses(world, d)
            .into_iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        auto_renew: d.auto_renew(),
        locks: d
            .locks
            .iter()
            .map(|l: Lock| l.as_str().to_string())
            .collect(),
        transfer_lock_until: d
            .transfer_lock_from
            .get()
            .add_days(tld.transfer_lock_days.into())
            .to_string(),
    }
}

/// `domain(name)`.
/// Refuses: 2005 name syntax, 2303 `no_such_domain`.
pub fn domain_view(world: &World, name: &str) -> Outcome<DomainView> {
    let (id, _) = find_domain(world, name)?;
    Ok(domain_view_of(
        world,
        world.domain(id).expect("live domain"),
    ))
}

/// An account as `account(id)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct AccountView {
    /// Account id.
    pub id: String,
    /// `customer` or `agent`.
    pub kind: String,
    /// Wallet balance in minor units.
    pub balance: i64,
    /// Number of live domains held.
    pub domains: i64,
    /// RAM sub-user names.
    pub ram_users: Vec<String>,
    /// Trading freeze end, or unit.
    pub trading_frozen_until: Option<String>,
    /// The agent domain console: `off`, `enabled` or `disabled`.
    pub console: String,
}

/// `account(id)`.
/// Refuses: 2303 `no_such_account`.
pub(crate) fn account_view(world: &World, id: &str) -> Outcome<AccountView> {
    let a = find_account(world, id)?;
    let acc = &world.accounts[a as usize];
    Ok(AccountView {
        id: acc.id.clone(),
        kind: acc.kind.as_str().to_string(),
        balance: world.ledger.balance(Book::Wallet(a)),
        domains: world
            .live_domains()
            .filter(|(_, d)| d.owner == a && d.registrar == 0)
            .count() as i64,
        ram_users: acc.ram_users.iter().map(|u| u.name.clone()).collect(),
        trading_frozen_until: acc.trading_frozen_until.map(|t| t.to_string()),
        console: acc.console.as_str().to_string(),
    })
}

/// Text shown in place of redacted registrant data.
pub(crate) const REDACTED: &str = "REDACTED FOR PRIVACY";

/// The registrant block of a WHOIS answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WhoisRegistrant {
    /// Name (redacted under privacy).
    pub name: String,
    /// Organisation (always shown).
    pub organization: String,
    /// Email (redacted under privacy); the domain's contact email wins over the profile's.
    pub email: String,
    /// Phone (redacted under privacy).
    pub phone: String,
    /// Country code (always shown).
    pub country: String,
}

/// A WHOIS answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WhoisView {
    /// Whether the name is registered.
    pub registered: bool,
    /// ASCII name.
    pub name: String,
    /// Sponsoring registrar.
    pub registrar: Option<String>,
    /// Creation time.
    pub created: Option<String>,
    /// Expiry time.
    pub expires: Option<String>,
    /// EPP statuses.
    pub statuses: Option<Vec<String>>,
    /// Name servers.
    pub name_servers: Option<Vec<String>>,
    /// Whether registrant data is redacted.
    pub privacy: Option<bool>,
    /// Whether the name is listed on the trade platform.
    pub for_sale: Option<bool>,
    /// Registrant, when a profile is linked.
    pub registrant: Option<WhoisRegistrant>,
}

/// `whois(name)`: public data of a registered name; `registered: false` otherwise.
/// With privacy on (the default for individuals, `set_privacy` to change) the
/// registrant's name, email and phone are redacted; organisation and country stay, as
/// registrars publish under GDPR-era WHOIS practice.
/// Refuses: 2005 name syntax.
pub fn whois(world: &World, input: &str) -> Outcome<WhoisView> {
    let parsed = parse_name(world, input)?;
    let live = world.live_domain_named(&parsed.ascii);
    let Some((id, d)) = live.and_then(|id| world.domain(id).map(|d| (id, d))) else {
        return Ok(WhoisView {
            registered: false,
            name: parsed.ascii,
            registrar: None,
            created: None,
            expires: None,
            statuses: None,
            name_servers: None,
            privacy: None,
            for_sale: None,
            registrant: None,
        });
    };
    let v = domain_view_of(world, d);
    let private = super::registrant::privacy_on(world, id);
    let data = world.data.get(&id);
    let registrant = d.profile.get().map(|p| {
        let p = &world.profiles[p as usize];
        let hide = |s: String| if private { REDACTED.to_string() } else { s };
        WhoisRegistrant {
            name: hide(p.name.clone()),
            organization: p.organization.clone(),
            email: hide(
                data.and_then(|x| x.contact_email.clone())
                    .unwrap_or_else(|| p.email.clone()),
            ),
            phone: hide(
                data.and_then(|x| x.contact_phone.clone())
                    .unwrap_or_else(|| p.phone.clone()),
            ),
            country: p.country.clone(),
        }
    });
    Ok(WhoisView {
        registered: true,
        name: v.name,
        registrar: Some(v.registrar),
        created: Some(v.created),
        expires: Some(v.expires),
        statuses: Some(v.statuses),
        name_servers: Some(super::dns::nameservers(world, id)),
        privacy: Some(private),
        for_sale: Some(world.listed(id)),
        registrant,
    })
}

/// A notification as `notifications(account)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotificationView {
    /// When it was sent.
    pub at: String,
    /// What it is (`renewal_reminder`, `expired`, `watch`, ...).
    pub kind: String,
    /// The domain, or unit.
    pub domain: Option<String>,
    /// The profile, or unit.
    pub profile: Option<String>,
    /// For watch notices, what changed (`registered`, `expiring`, `grace`,
    /// `redemption`, `released`), else unit.
    pub change: Option<String>,
    /// `email`, `sms`.
    pub channels: Vec<String>,
    /// For renewal reminders, days before expiry.
    pub days_before: Option<i64>,
}

/// `notifications(account)`: the account's notifications, oldest first.
/// Refuses: 2303 `no_such_account`.
pub fn notifications(world: &World, account: &str) -> Outcome<Vec<NotificationView>> {
    let a = find_account(world, account)?;
    Ok(world
        .log
        .events()
        .filter_map(|e| match e.kind {
            EventKind::Notified {
                account,
                domain,
                profile,
                notice,
            } if account == a => Some(Notification {
                at: e.at,
                account,
                domain,
                profile,
                notice,
            }),
            _ => None,
        })
        .map(|n: Notification| NotificationView {
            at: n.at.to_string(),
            kind: n.notice.as_str().to_string(),
            domain: n.domain.map(|d| world.domain_name(d).to_string()),
            profile: n.profile.map(|p| world.profile_name(p).to_string()),
            change: match n.notice {
                crate::model::Notice::Watch(c) => Some(c.as_str().to_string()),
                _ => None,
            },
            channels: n.channels().iter().map(|c| c.to_string()).collect(),
            days_before: match n.notice {
                crate::model::Notice::RenewalReminder(d) => Some(d.into()),
                _ => None,
            },
        })
        .collect())
}

/// An event as `events()` shows it: `at`, `kind` and the event's own fields.
pub(crate) fn event_fields(world: &World, e: &Event) -> Vec<(&'static str, Field)> {
    e.kind.view_at(e.at, world)
}

/// Which kept events `events(filter)` returns: each condition given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventQuery {
    /// Event kinds (`renewed`, `notified`, ...); empty for every kind.
    pub kinds: Vec<String>,
    /// A domain the event must name.
    pub domain: Option<String>,
    /// From this instant on (inclusive).
    pub from: Option<String>,
    /// Before this instant (exclusive).
    pub to: Option<String>,
}

/// The kept events matching `q`, oldest first: reading starts at the part of the log
/// that holds the window's first day (events are kept in time order) and stops at its
/// end, and kinds and the domain are checked on the way.
/// A domain never registered here matches nothing.
/// Refuses: 2005 `unknown_event_kind`, 2005 `invalid_time`, 2005 name syntax.
pub fn events(world: &World, q: &EventQuery) -> Outcome<Vec<Event>> {
    Ok(matching_events(world, q)?.collect())
}

/// How many kept events match `q` (as [`events`], without keeping them).
/// Refuses: as [`events`].
pub(crate) fn event_count(world: &World, q: &EventQuery) -> Outcome<u64> {
    Ok(matching_events(world, q)?.count() as u64)
}

fn matching_events<'w>(
    world: &'w World,
    q: &'w EventQuery,
) -> Outcome<impl Iterator<Item = Event> + 'w> {
    if let Some(k) = q
        .kinds
        .iter()
        .find(|k| !EventKind::KINDS.contains(&k.as_str()))
    {
        return Err(Refusal::new(
            Reason::UnknownEventKind,
            format!(
                "`{k}` is not an event kind; the kinds are {}",
                EventKind::KINDS.join(", ")
            ),
        ));
    }
    let from = q
        .from
        .as_deref()
        .map(super::timeline::time_target)
        .transpose()?;
    let to =
        q.to.as_deref()
            .map(super::timeline::time_target)
            .transpose()?;
    // A name never seen here is named by no event: it matches nothing.
    let name = match &q.domain {
        Some(d) => {
            let p = super::lookup::parse_name(world, d)?;
            Some(world.name_id(&p.ascii))
        }
        None => None,
    };
    let all = match from {
        Some(f) => world.log.events_near_day(f.day_index()),
        None => world.log.events_near_day(i64::MIN),
    };
    Ok(all
        .skip_while(move |e| from.is_some_and(|f| e.at < f))
        .take_while(move |e| to.is_none_or(|t| e.at < t))
        .filter(|e| q.kinds.is_empty() || q.kinds.iter().any(|k| k == e.kind.name()))
        .filter(move |e| match name {
            None => true,
            Some(None) => false,
            Some(Some(n)) => e.kind.mentions(n),
        }))
}

/// The ledger's books as `ledger()` shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerView {
    /// Total deposited from outside.
    pub deposits: i64,
    /// Sum of all customer wallets.
    pub wallets: i64,
    /// Money held in escrow.
    pub escrow: i64,
    /// What escrow must hold for the trades, transfers and backorders under way.
    pub escrow_owed: i64,
    /// Registrar revenue (retail minus wholesale).
    pub revenue: i64,
    /// Owed to registries.
    pub registry_payable: i64,
    /// Whether wallets + escrow + revenue + registry payable equals deposits.
    pub balanced: bool,
    /// Postings recorded in the journal.
    pub postings: i64,
}

/// `ledger()`.
pub fn ledger_view(world: &World) -> LedgerView {
    let l = &world.ledger;
    let wallets: i64 = (0..world.accounts.len() as AccountId)
        .map(|a| l.balance(Book::Wallet(a)))
        .sum();
    LedgerView {
        deposits: l.deposits(),
        wallets,
        escrow: l.balance(Book::Escrow),
        escrow_owed: world.escrow_owed(),
        revenue: l.balance(Book::Revenue),
        registry_payable: l.balance(Book::RegistryPayable),
        balanced: l.sum() == 0,
        postings: l.postings() as i64,
    }
}

/// Names of the live domains an account holds here (at `home`; a domain transferred
/// to another registrar is no longer this registrar's to list), in registration order.
/// Refuses: 2303 `no_such_account`.
pub(crate) fn domains_of(world: &World, account: &str) -> Outcome<Vec<String>> {
    let a = find_account(world, account)?;
    Ok(domain_ids_of(world, a)
        .into_iter()
        .filter_map(|id| world.domain(id))
        .map(|d| world.domain_name(d.name).to_string())
        .collect())
}

/// The live domains an account holds here, as [`domains_of`] lists them, by slot.
pub(crate) fn domain_ids_of(world: &World, account: AccountId) -> Vec<DomainId> {
    let mut held: Vec<(u32, DomainId)> = world
        .live_domains()
        .filter(|(_, d)| d.owner == account && d.registrar == 0)
        .map(|(id, d)| (d.seq, id))
        .collect();
    held.sort_unstable();
    held.into_iter().map(|(_, id)| id).collect()
}

/// `price(tld, op)`: the price in force for `register`, `renew`, `transfer` or `restore`.
/// Refuses: 2303 `unknown_tld`, 2005 `invalid_price_kind`.
pub fn price(world: &World, tld: &str, op: &str) -> Outcome<i64> {
    let tld_name = tld.trim_start_matches('.').to_ascii_lowercase();
    let i = world.tlds.index_of(&tld_name).ok_or_else(|| {
        Refusal::new(
            Reason::NoSuchTld,
            format!("TLD `{tld}` is not in the catalog"),
        )
    })?;
    let t = world.tlds.get(i);
    match op {
        "register" => Ok(t.register),
        "renew" => Ok(t.renew),
        "transfer" => Ok(t.transfer),
        "restore" => Ok(t.restore),
        _ => Err(Refusal::new(
            Reason::InvalidPriceKind,
            format!("`{op}` is not a price; use register, renew, transfer or restore"),
        )),
    }
}

/// The value of a policy key (`tlds.com.grace_days`).
/// Refuses: 2005 `unknown_policy_key`, 2303 `unknown_tld`.
pub fn policy(world: &World, key: &str) -> Outcome<serde_json::Value> {
    if let Some(field) = key.strip_prefix("rules.") {
        return super::policy::rule(world, field);
    }
    if let Some(field) = key.strip_prefix("behaviour.") {
        return super::policy::behaviour_value(world, field);
    }
    let (tld, field) = super::policy::parse_key(key)?;
    let i = world.tlds.index_of(tld).ok_or_else(|| {
        Refusal::new(
            Reason::NoSuchTld,
            format!("policy key `{key}` names TLD `{tld}`, which is not in the catalog"),
        )
    })?;
    world.tlds.get(i).field(field).ok_or_else(|| {
        Refusal::new(
            Reason::UnknownPolicyKey,
            format!("`{field}` is not a TLD policy field"),
        )
    })
}

/// An identity document as views show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct DocumentView {
    /// Kind.
    pub kind: String,
    /// Number.
    pub number: String,
    /// Expiry, or unit.
    pub expires: Option<String>,
}

/// A profile as `profile(id)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ProfileView {
    /// Profile id.
    pub id: String,
    /// Owning account.
    pub owner: String,
    /// Registrant name.
    pub name: String,
    /// Organisation.
    pub organization: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Country.
    pub country: String,
    /// Identity document, or unit.
    pub document: Option<DocumentView>,
    /// `unverified`, `pending`, `verified` or `rejected`.
    pub state: String,
    /// Why the last review rejected it, or unit.
    pub rejection: Option<String>,
    /// Whether the email is verified.
    pub email_verified: bool,
    /// When an unverified email starts holding domains (clientHold) under the strictest
    /// TLD policy in force, or unit once verified.
    pub email_deadline: Option<String>,
}

/// `profile(id)`.
/// Refuses: 2303 `no_such_profile`.
pub(crate) fn profile_view(world: &World, id: &str) -> Outcome<ProfileView> {
    let p = &world.profiles[super::lookup::find_profile(world, id)? as usize];
    let min_days = world
        .tlds
        .names()
        .filter_map(|n| world.tlds.index_of(n))
        .map(|i| world.tlds.get(i).email_verify_days)
        .min()
        .unwrap_or(15);
    Ok(ProfileView {
        id: p.id.clone(),
        owner: world.account_name(p.owner).to_string(),
        name: p.name.clone(),
        organization: p.organization.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        country: p.country.clone(),
        document: p.document.as_ref().map(|d| DocumentView {
            kind: d.kind.clone(),
            number: d.number.clone(),
            expires: d.expires.map(|t| t.to_string()),
        }),
        state: p.real_name.as_str().to_string(),
        rejection: p.rejection.clone(),
        email_verified: p.email_verified,
        email_deadline: (!p.email_verified)
            .then(|| p.email_since.add_days(min_days.into()).to_string()),
    })
}

/// A DNS record as `records(domain)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct RecordView {
    /// Record id within the zone.
    pub id: i64,
    /// Host relative to the zone (`@` for the apex).
    pub host: String,
    /// Type mnemonic.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Value.
    pub value: String,
    /// TTL in seconds.
    pub ttl: i64,
    /// MX priority, or unit.
    pub priority: Option<i64>,
    /// Published (false while paused with `set_record_status`).
    pub enabled: bool,
}

/// Record views of a domain.
/// Refuses: 2005 name syntax, 2303 `no_such_domain`.
pub(crate) fn record_views(world: &World, name: &str) -> Outcome<Vec<RecordView>> {
    Ok(super::dns::records(world, name)?
        .into_iter()
        .map(|r| RecordView {
            id: r.id.into(),
            host: r.host,
            rtype: r.rtype.as_str().to_string(),
            value: r.value,
            ttl: r.ttl.into(),
            priority: r.priority.map(i64::from),
            enabled: !r.disabled,
        })
        .collect())
}

/// An audit entry as views show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditView {
    /// When.
    pub at: String,
    /// The real actor.
    pub actor: String,
    /// The domain.
    pub domain: String,
    /// What was done.
    pub action: String,
    /// State before.
    pub before: String,
    /// State after.
    pub after: String,
}

/// Audit entries as views.
pub(crate) fn audit_views(world: &World, entries: &[crate::model::AuditEntry]) -> Vec<AuditView> {
    entries
        .iter()
        .map(|e| AuditView {
            at: e.at.to_string(),
            actor: e.actor.clone(),
            domain: world.domain_name(e.domain).to_string(),
            action: e.action.as_str().to_string(),
            before: e.before.clone(),
            after: e.after.clone(),
        })
        .collect()
}

/// The whole audit log of a live domain's current registration, oldest first (an
/// earlier registration of the same name, released since, is not shown).
/// Refuses: 2005 name syntax, 2303 `no_such_domain`.
pub fn audit_log(world: &World, name: &str) -> Outcome<Vec<AuditView>> {
    let (id, _) = find_domain(world, name)?;
    let d = world.domain(id).expect("live domain");
    let (n, since) = (d.name, d.created.get());
    let entries: Vec<_> = world
        .audit
        .iter()
        .filter(|e| e.domain == n && e.at >= since)
        .cloned()
        .collect();
    Ok(audit_views(world, &entries))
}

/// One ICP order as `icp(domain)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct IcpOrderView {
    /// `filing` or `license`.
    pub kind: String,
    /// Stage.
    pub stage: String,
    /// Applicant account.
    pub applicant: String,
    /// Created.
    pub created: String,
    /// Last stage change.
    pub updated: String,
    /// Number once approved, or unit.
    pub number: Option<String>,
    /// Why rejected, or unit.
    pub rejection: Option<String>,
}

/// A domain's ICP file as `icp(domain)` shows it: the latest order's fields at the top
/// (as before a domain could hold two orders), then the filing and the licence apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct IcpView {
    /// The latest order.
    #[serde(flatten)]
    pub latest: IcpOrderView,
    /// The filing order, or unit.
    pub filing: Option<IcpOrderView>,
    /// The licence order, or unit.
    pub license: Option<IcpOrderView>,
}

fn icp_order_view(world: &World, o: &crate::model::IcpOrder) -> IcpOrderView {
    IcpOrderView {
        kind: o.kind.as_str().to_string(),
        stage: o.stage.as_str().to_string(),
        applicant: world.account_name(o.applicant).to_string(),
        created: o.created.to_string(),
        updated: o.updated.to_string(),
        number: o.number.clone(),
        rejection: o.rejection.clone(),
    }
}

/// `icp(domain)`: the domain's ICP file, or unit when it has none.
/// Refuses: 2005 name syntax, 2303 `no_such_domain`.
pub(crate) fn icp_view(world: &World, name: &str) -> Outcome<Option<IcpView>> {
    let (id, _) = find_domain(world, name)?;
    let Some(file) = world.icp.get(&id) else {
        return Ok(None);
    };
    let Some(latest) = file.latest().map(|o| icp_order_view(world, o)) else {
        return Ok(None);
    };
    Ok(Some(IcpView {
        latest,
        filing: file.filing.as_ref().map(|o| icp_order_view(world, o)),
        license: file.license.as_ref().map(|o| icp_order_view(world, o)),
    }))
}

/// A violation as `site(domain)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ViolationView {
    /// When.
    pub at: String,
    /// `unfiled`, `unlicensed` or `psb_missing`.
    pub reason: String,
    /// Fine recorded, in fen.
    pub fine: i64,
}

/// A website as `site(domain)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct SiteView {
    /// `mainland` or `overseas`.
    pub region: String,
    /// Commercial site.
    pub commercial: bool,
    /// Launch time.
    pub launched: String,
    /// Online (false once shut down).
    pub online: bool,
    /// PSB filing number, or unit.
    pub psb_number: Option<String>,
    /// Violations recorded.
    pub violations: Vec<ViolationView>,
}

/// `site(domain)`: the domain's website, or unit when none was launched.
/// Refuses: 2005 name syntax, 2303 `no_such_domain`.
pub(crate) fn site_view(world: &World, name: &str) -> Outcome<Option<SiteView>> {
    let (id, _) = find_domain(world, name)?;
    Ok(world.sites.get(&id).map(|s| SiteView {
        region: s.region.as_str().to_string(),
        commercial: s.commercial,
        launched: s.launched.to_string(),
        online: s.online,
        psb_number: s.psb_number.clone(),
        violations: s
            .violations
            .iter()
            .map(|(at, reason, fine)| ViolationView {
                at: at.to_string(),
                reason: reason.as_str().to_string(),
                fine: *fine,
            })
            .collect(),
    }))
}

/// A RAM user's permissions: `user` is `alice/ops`, or with `account` given, the bare
/// name (`ops`) or the full one.
/// Refuses: 2303 `no_such_account`, 2303 `no_such_user`, 2005 `invalid_actor` (a bare
/// name without its account), 2201 `not_owner` (another account's user).
pub fn permissions(world: &World, account: Option<&str>, user: &str) -> Outcome<Vec<String>> {
    let (account, name) = match (account, user.split_once('/')) {
        (Some(account), _) => {
            let a = find_account(world, account)?;
            (account, super::access::own_user_name(world, a, user)?)
        }
        (None, Some(pair)) => pair,
        (None, None) => {
            return Err(Refusal::new(
                Reason::InvalidActor,
                format!("`{user}` is not a RAM user; write account/user"),
            ));
        }
    };
    let a = find_account(world, account)?;
    world.accounts[a as usize]
        .ram_users
        .iter()
        .find(|u| u.name == name)
        .map(|u| {
            u.permissions
                .iter()
                .map(|p| p.as_str().to_string())
                .collect()
        })
        .ok_or_else(|| {
            Refusal::new(
                Reason::NoSuchUser,
                format!("account `{account}` has no RAM user `{name}`"),
            )
        })
}
