//! The world: every registrar, account, profile, TLD, domain, the ledger, the
//! notifications, the clock, the timers, the random streams and the event log.
//! Plain data plus lookups; the rules that change it live in `ops`.

use super::account::{Account, Profile, Registrar};
use super::add_grace::{AddGraceCharge, AddGraceCharges};
use super::compliance::Site;
use super::dns::{AuditEntry, DomainData};
use super::domain::{AccountId, Domain, DomainId, DomainRef, Generation, NameId, ProfileId};
use super::event::{Event, EventKind, Resolve};
use super::ledger::Ledger;
use super::names::NameTable;
use super::reactions::Reactions;
use super::rules::Rules;
use super::timer::{Target, TimerKind};
use super::tld::Catalog;
use crate::sim::{EventLog, Streams, Time, Timers};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a run keeps beyond balances and the digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Store every event (for `events()`, `notifications(account)`, which reads the
    /// `notified` events, and `--trace`) and audit entry (`audit_log`, `dns_check`).
    pub events: bool,
    /// Store every ledger posting.
    pub journal: bool,
}

impl Retention {
    /// Bulk mode (`--bulk`): counters, balances and the digest only.
    pub const BULK: Retention = Retention {
        events: false,
        journal: false,
    };
}

impl Default for Retention {
    fn default() -> Retention {
        Retention {
            events: true,
            journal: true,
        }
    }
}

/// The whole simulated world.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    /// The virtual clock: moved only by the dispatcher ([`World::now`] reads it).
    now: Time,
    /// When the run started.
    pub start: Time,
    /// Registrars; index 0 is `home`.
    pub registrars: Vec<Registrar>,
    /// Customer accounts by dense id.
    pub accounts: Vec<Account>,
    /// AccessKeys of the API sandbox, in the order they were made.
    pub access_keys: Vec<super::AccessKey>,
    /// Tasks the API sandbox accepted, oldest first.
    pub api_tasks: Vec<super::ApiTask>,
    /// Registrant profiles by dense id.
    pub profiles: Vec<Profile>,
    /// TLD policies.
    pub tlds: Catalog,
    /// Interned ASCII domain names.
    pub names: NameTable,
    /// Domain slots; a released domain leaves `None` until the slot is reused.
    pub domains: Vec<Option<Domain>>,
    /// Vacant slots, each with the generation its next occupant starts at, reused last
    /// freed first (a portfolio that drops and registers keeps about as many slots as
    /// it has live domains).
    free_slots: Vec<(DomainId, Generation)>,
    /// Insertion sequence of the next domain.
    next_seq: u32,
    /// The last generation handed out by [`World::fresh_generation`].
    generations: u32,
    /// Registration charges refundable inside add grace, for the domains inside it.
    pub add_grace_charges: AddGraceCharges,
    /// Money.
    pub ledger: Ledger,
    /// Pending timers.
    pub timers: Timers,
    /// Random streams.
    pub rng: Streams,
    /// Events and the digest.
    pub log: EventLog<Event>,
    /// What is kept.
    pub retention: Retention,
    /// Whether domains' notices (renewal and post-expiry reminders) are computed in
    /// closed form instead of each firing a timer: on in runs that keep no events (see
    /// `ops::timeline`). Changed only by `ops::timeline::set_closed_form`.
    pub closed_form: bool,
    /// The timer firing now, in canonical order (`None` between firings: everything due
    /// up to now has happened; a freshly loaded world is just before its first instant,
    /// `Position::before`, and a snapshot keeps that). Notices owed in closed form that
    /// come before it are recorded before a domain changes.
    pub position: Option<super::timer::Position>,
    /// Registrar-wide rules (real-name review, ICP, PSB).
    pub rules: Rules,
    /// Registrar-hosted data per domain (DNS, name servers, contact, privacy), only for
    /// domains that have any.
    pub data: BTreeMap<DomainId, DomainData>,
    /// Audit log of domain data changes, oldest first.
    pub audit: Vec<AuditEntry>,
    /// Audit log length at each (domain, account)'s last `dns_check`.
    pub dns_checks: BTreeMap<(DomainId, AccountId), usize>,
    /// Accounts watching each name.
    pub watches: BTreeMap<NameId, Vec<AccountId>>,
    /// ICP orders by domain.
    pub icp: BTreeMap<DomainId, super::compliance::IcpFile>,
    /// Websites by domain.
    pub sites: BTreeMap<DomainId, Site>,
    /// Pending inter-registrar transfers by domain.
    pub transfers: BTreeMap<DomainId, super::transfer::Transfer>,
    /// Transfer authorization codes (EPP authInfo) by domain.
    pub auth_codes: BTreeMap<DomainId, String>,
    /// The trade platform.
    pub market: super::market::Market,
    /// Counters and month-end samples.
    pub metrics: super::metrics::Metrics,
    /// The behaviour model, when simulated customers act.
    pub behaviour: Option<super::behaviour::Behaviour>,
    /// Prices per TLD when the behaviour model started: `(register, renew, restore)`,
    /// the reference of its elasticities.
    pub reference_prices: BTreeMap<u16, (i64, i64, i64)>,
    /// Decisions a script fixed for named domains: (name, `list` | `renew` | `restore`)
    /// → yes or no, overriding the behaviour model's draw.
    pub decisions: BTreeMap<(NameId, String), bool>,
    /// Per domain slot: one more than the day (since the epoch) of the expiry of a live,
    /// undeleted domain held at `home` (it is in phase active until then), else 0. Kept
    /// by [`World::note_timeline`] so that the month-end count of active domains reads 4
    /// bytes a slot, and the record only for domains expiring on the day of the count.
    #[serde(skip)]
    active_day: Vec<u32>,
    #[serde(skip)]
    account_index: FxHashMap<String, AccountId>,
    #[serde(skip)]
    profile_index: FxHashMap<String, ProfileId>,
    /// What the rules call for the layers above them to answer (see [`Reactions`]).
    #[serde(skip)]
    pub reactions: Reactions,
    /// Where events are streamed as they happen, if anywhere (`regsim run --events`).
    #[serde(skip)]
    pub event_stream: super::event_stream::EventStream,
}

impl World {
    /// The virtual clock's time.
    #[inline]
    pub fn now(&self) -> Time {
        self.now
    }

    /// Moves the clock (the dispatcher's alone: it fires timers in order up to a
    /// target, and the clock never goes backwards).
    #[inline]
    pub(crate) fn set_now(&mut self, now: Time) {
        debug_assert!(now >= self.now, "the clock goes backwards");
        self.now = now;
    }

    /// An empty world at `start` with run seed `seed`, the built-in catalog and the
    /// `home` registrar.
    pub fn new(start: Time, seed: u64, retention: Retention) -> World {
        World {
            now: start,
            start,
            registrars: vec![Registrar {
                id: "home".into(),
                rejects_transfers: false,
            }],
            accounts: Vec::new(),
            access_keys: Vec::new(),
            api_tasks: Vec::new(),
            profiles: Vec::new(),
            tlds: Catalog::default(),
            names: NameTable::default(),
            domains: Vec::new(),
            free_slots: Vec::new(),
            next_seq: 0,
            generations: 0,
            add_grace_charges: AddGraceCharges::default(),
            ledger: Ledger::new(retention.journal),
            timers: Timers::new(start),
            rng: Streams::new(seed),
            log: EventLog::new(retention.events),
            retention,
            closed_form: !retention.events,
            position: None,
            rules: Rules::default(),
            data: BTreeMap::new(),
            audit: Vec::new(),
            dns_checks: BTreeMap::new(),
            watches: BTreeMap::new(),
            icp: BTreeMap::new(),
            sites: BTreeMap::new(),
            transfers: BTreeMap::new(),
            auth_codes: BTreeMap::new(),
            market: Default::default(),
            metrics: Default::default(),
            behaviour: None,
            reference_prices: BTreeMap::new(),
            decisions: BTreeMap::new(),
            active_day: Vec::new(),
            account_index: FxHashMap::default(),
            profile_index: FxHashMap::default(),
            reactions: Reactions::default(),
            event_stream: Default::default(),
        }
    }

    /// Checks that every reference of a decoded world points at something: domains at
    /// their TLD, registrar, holder, profile and name; the trade platform, ICP, sites,
    /// transfers, watches, audit log and notifications at accounts, profiles, names,
    /// registrars, slots and listings that exist; the timer queue consistent; the
    /// ledger balanced. A damaged snapshot is refused with the first broken reference
    /// rather than panicking later.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let (accounts, profiles, names) =
            (self.accounts.len(), self.profiles.len(), self.names.len());
        let (slots, registrars, tlds) =
            (self.domains.len(), self.registrars.len(), self.tlds.len());
        let check = |ok: bool, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(format!("{what} points nowhere"))
            }
        };
        let account = |a: AccountId| (a as usize) < accounts;
        let name = |n: NameId| (n as usize) < names;
        let slot = |d: DomainId| (d as usize) < slots;
        let dref = |r: &Option<DomainRef>| r.is_none_or(|r| slot(r.id));
        check((1..=256).contains(&registrars), "the registrar table")?;
        for k in &self.access_keys {
            check(account(k.account), "an access key")?;
        }
        for t in &self.api_tasks {
            check(account(t.account), "an API task")?;
        }
        for d in self.domains.iter().flatten() {
            check(
                (d.tld as usize) < tlds
                    && (d.registrar as usize) < registrars
                    && account(d.owner)
                    && d.profile.get().is_none_or(|p| (p as usize) < profiles)
                    && name(d.name),
                "a domain",
            )?;
        }
        check(
            self.free_slots
                .iter()
                .all(|(s, _)| self.domains.get(*s as usize).is_some_and(Option::is_none)),
            "a free slot",
        )?;
        check(
            self.profiles.iter().all(|p| account(p.owner)),
            "a profile's owner",
        )?;
        check(self.audit.iter().all(|e| name(e.domain)), "an audit entry")?;
        check(
            self.dns_checks.keys().all(|(d, a)| slot(*d) && account(*a)),
            "a DNS check",
        )?;
        check(
            self.watches
                .iter()
                .all(|(n, list)| name(*n) && list.iter().all(|a| account(*a))),
            "a watch",
        )?;
        check(
            self.data.keys().all(|d| slot(*d))
                && self.sites.keys().all(|d| slot(*d))
                && self.auth_codes.keys().all(|d| slot(*d)),
            "domain data",
        )?;
        check(
            self.icp.iter().all(|(d, f)| {
                slot(*d)
                    && [&f.filing, &f.license]
                        .into_iter()
                        .flatten()
                        .all(|o| account(o.applicant))
            }),
            "an ICP order",
        )?;
        check(
            self.transfers.iter().all(|(d, t)| {
                slot(*d)
                    && (t.gaining as usize) < registrars
                    && (t.losing as usize) < registrars
                    && account(t.account)
            }),
            "a transfer",
        )?;
        let m = &self.market;
        let listings = m.listings.len();
        check(
            m.listings.iter().all(|l| {
                name(l.name)
                    && dref(&l.domain)
                    && l.seller.is_none_or(account)
                    && l.bids.iter().all(|b| account(b.bidder))
                    && l.deposits.iter().all(|(a, _)| account(*a))
                    && match l.kind {
                        super::ListingKind::Push { buyer, .. } => account(buyer),
                        _ => true,
                    }
            }),
            "a listing",
        )?;
        check(
            m.orders.iter().all(|o| {
                (o.listing as usize) < listings
                    && dref(&o.domain)
                    && account(o.seller)
                    && account(o.buyer)
                    && o.profile.is_none_or(|p| (p as usize) < profiles)
            }),
            "an order",
        )?;
        check(
            m.offers.iter().all(|o| {
                (o.listing as usize) < listings
                    && account(o.buyer)
                    && o.order.is_none_or(|x| (x as usize) < m.orders.len())
            }),
            "an offer",
        )?;
        check(
            m.backorders
                .iter()
                .all(|(n, list)| name(*n) && list.iter().all(|b| account(b.account)))
                && m.reserved
                    .iter()
                    .all(|(n, l)| name(*n) && (*l as usize) < listings)
                && m.breaches.keys().all(|a| account(*a))
                && m.breach_log.iter().all(|(_, a, _)| account(*a)),
            "a backorder or breach",
        )?;
        check(
            m.index_is_sound()
                && m.indexed_slots().all(|id| {
                    self.domains
                        .get(id as usize)
                        .is_some_and(|d| d.as_ref().is_some_and(|d| d.has_trades()))
                }),
            "the index of trades by domain",
        )?;
        check(
            self.reference_prices.keys().all(|t| (*t as usize) < tlds)
                && self.decisions.keys().all(|(n, _)| name(*n)),
            "the behaviour model",
        )?;
        check(
            self.ledger.journal().all(|p| {
                [p.from, p.to]
                    .iter()
                    .all(|b| !matches!(b, super::Book::Wallet(a) if !account(*a)))
            }),
            "a ledger posting",
        )?;
        if self.ledger.sum() != 0 {
            return Err("the ledger does not balance".into());
        }
        self.log.validate()?;
        if self.closed_form && self.retention.events {
            return Err("notices in closed form in a world that keeps events".into());
        }
        self.timers.validate()
    }

    /// Rebuilds the lookup tables that snapshots do not store.
    pub(crate) fn reindex(&mut self) {
        self.active_day = vec![0; self.domains.len()];
        let mut live = Vec::with_capacity(self.domains.len());
        for id in 0..self.domains.len() {
            self.note_timeline(id as DomainId);
            if let Some(d) = &self.domains[id] {
                live.push((d.name, id as DomainId));
            }
        }
        for (id, name_hash) in self.names.rebuild_index(&mut live) {
            if let Some(d) = self.domains[id as usize].as_mut() {
                d.name_hash = name_hash;
            }
        }
        self.account_index = self
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i as AccountId))
            .collect();
        self.profile_index = self
            .profiles
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.deleted)
            .map(|(i, p)| (p.id.clone(), i as ProfileId))
            .collect();
    }

    /// Appends an event at the current time (and counts it in the metrics). The
    /// counting, encoding and digesting are inlined into it.
    #[inline]
    pub fn record(&mut self, kind: EventKind) {
        let at = self.now();
        self.record_at(at, kind);
    }

    /// Records an event of instant `at`: now, or before now for a notice computed in
    /// closed form and recorded late (which only a world that keeps and streams no events
    /// does, so that only the counters and the digest see it).
    #[inline]
    pub(crate) fn record_at(&mut self, at: Time, kind: EventKind) {
        self.metrics.counters.observe(&kind);
        if self.event_stream.is_on() {
            self.stream_event(at, &kind);
        }
        let day = at.day_index();
        if self
            .log
            .digest_event(day, |out| Event::encode_parts(at, &kind, out))
        {
            self.log.keep_event(day, &Event { at, kind });
        }
    }

    /// Writes one event to the stream (kept out of line: most runs do not stream, and
    /// the JSON formatting would otherwise stop `record` from being inlined).
    #[cold]
    #[inline(never)]
    fn stream_event(&mut self, at: Time, kind: &EventKind) {
        let line = super::event_stream::json_line(self, at, kind);
        self.event_stream.write(&line);
    }

    /// Streams every event from now on to `out` as JSON lines, after the events kept so
    /// far; with `keep` false, the world stops keeping events (a `--bulk` run that loaded
    /// its fixture keeping them, so that the stream starts at the beginning).
    pub(crate) fn stream_events(&mut self, out: Box<dyn std::io::Write + Send>, keep: bool) {
        let mut stream = super::event_stream::EventStream::to(out);
        for e in self.log.events() {
            stream.write(&super::event_stream::json_line(self, e.at, &e.kind));
        }
        self.event_stream = stream;
        if !keep {
            self.log.stop_keeping();
            self.retention.events = false;
        }
    }

    /// The account with this id string.
    pub fn account_id(&self, id: &str) -> Option<AccountId> {
        self.account_index.get(id).copied()
    }

    /// Adds an account (the caller checked the id is new) and opens its wallet.
    pub(crate) fn add_account(&mut self, account: Account) -> AccountId {
        let id = self.accounts.len() as AccountId;
        self.account_index.insert(account.id.clone(), id);
        self.accounts.push(account);
        self.ledger.open_wallet(id);
        id
    }

    /// The profile with this id string.
    pub(crate) fn profile_id(&self, id: &str) -> Option<ProfileId> {
        self.profile_index.get(id).copied()
    }

    /// Marks a profile deleted: its id leaves every lookup (and may be used again).
    pub(crate) fn delete_profile(&mut self, p: ProfileId) {
        let profile = &mut self.profiles[p as usize];
        profile.deleted = true;
        self.profile_index.remove(&profile.id);
    }

    /// Adds a profile (the caller checked the id is new).
    pub(crate) fn add_profile(&mut self, profile: Profile) -> ProfileId {
        let id = self.profiles.len() as ProfileId;
        self.profile_index.insert(profile.id.clone(), id);
        self.profiles.push(profile);
        id
    }

    /// Interns a normalised name.
    pub(crate) fn intern(&mut self, ascii: &str) -> NameId {
        self.names.intern(ascii)
    }

    /// Forgets a released name's id when nothing refers to it by id (no live domain,
    /// watch, script decision, backorder or reservation): the name table's index then
    /// holds only names in use, and a later registration of the name interns it anew.
    /// Depends only on state every run keeps, never on what a run retains, so bulk and
    /// full-log runs number names alike.
    pub(crate) fn forget_name_if_unused(&mut self, name: NameId) {
        let decided = self
            .decisions
            .range((name, String::new())..)
            .next()
            .is_some_and(|((n, _), _)| *n == name);
        // A live name is kept by the table itself (one probe, in `forget`).
        let used = decided
            || self.watches.contains_key(&name)
            || self.market.backorders.contains_key(&name)
            || self.market.reserved.contains_key(&name);
        if !used {
            self.names.forget(name);
        }
    }

    /// The interned id of a name, if it was ever seen (and not forgotten).
    pub fn name_id(&self, ascii: &str) -> Option<NameId> {
        self.names.id_of(ascii)
    }

    /// The live domain holding a name.
    pub fn live_domain(&self, name: NameId) -> Option<DomainId> {
        self.names.live(name)
    }

    /// The interned id of a name (if it was ever seen and not forgotten) and the live
    /// domain holding it: one lookup.
    pub(crate) fn lookup_name(&self, ascii: &str) -> Option<(NameId, Option<DomainId>)> {
        self.names.lookup(ascii)
    }

    /// The live domain holding a name, by its text.
    pub(crate) fn live_domain_named(&self, ascii: &str) -> Option<DomainId> {
        self.names.lookup(ascii).and_then(|(_, d)| d)
    }

    /// Schedules a timer of `kind` for `target` (whose meaning the kind gives) at `at`,
    /// ordered among timers of the same instant by the target's key: a domain's
    /// registration sequence, a name's number, another table's index, or 0 (see
    /// `TimerKind::target`).
    pub fn schedule(&mut self, at: Time, kind: TimerKind, target: u32, generation: u32) {
        let key = match kind.target() {
            Target::Domain => self.domain(target).map_or(target, |d| d.seq),
            Target::Name | Target::Index => target,
            Target::None => 0,
        };
        self.timers
            .schedule(at, key, kind.code(), target, generation);
    }

    /// The registrant profile of the domain in slot `id`, if it has one.
    pub fn registrant(&self, id: DomainId) -> Option<&Profile> {
        self.domain(id)
            .and_then(|d| d.profile.get())
            .map(|p| &self.profiles[p as usize])
    }

    /// A domain by slot id.
    pub fn domain(&self, id: DomainId) -> Option<&Domain> {
        self.domains.get(id as usize).and_then(Option::as_ref)
    }

    /// Hints the processor to fetch a domain slot into the cache (the timer loop calls it
    /// for a timer a few places ahead, hiding the memory latency of large portfolios).
    #[inline]
    pub(crate) fn prefetch_domain(&self, id: DomainId) {
        #[cfg(target_arch = "x86_64")]
        if let Some(slot) = self.domains.get(id as usize) {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            // SAFETY: SSE is part of the x86_64 baseline, and a prefetch never faults
            // (it is a hint; the pointer is to a live slot anyway).
            unsafe { _mm_prefetch::<_MM_HINT_T0>((slot as *const Option<Domain>).cast::<i8>()) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = id;
    }

    /// The refundable charge of the domain in slot `id` while it is inside its add grace
    /// period (RFC 3915): registered less than the TLD's add grace days ago (as the
    /// policy stood at registration), not deleted, not transferred since.
    pub(crate) fn add_grace(&self, id: DomainId) -> Option<AddGraceCharge> {
        let d = self.domain(id)?;
        if d.deleted.get().is_some() {
            return None;
        }
        self.add_grace_charges.current(id, self.now())
    }

    /// The registration `r` names, if it still lives in its slot.
    pub(crate) fn domain_ref(&self, r: DomainRef) -> Option<&Domain> {
        self.domain(r.id).filter(|d| d.seq == r.seq)
    }

    /// A reference to the registration now in slot `id`.
    pub fn ref_of(&self, id: DomainId) -> Option<DomainRef> {
        self.domain(id).map(|d| DomainRef { id, seq: d.seq })
    }

    /// A timer generation never handed out before (until the 32-bit counter wraps), for
    /// records keyed by domain slot (ICP orders, websites, transfers): a record that
    /// replaces another in the same slot then never matches the old one's timers.
    pub(crate) fn fresh_generation(&mut self) -> u32 {
        self.generations = self.generations.wrapping_add(1);
        self.generations
    }

    /// A domain by slot id, mutably: a domain about to change first records the
    /// milestones it owes up to the current position (notices and quiet phase changes in
    /// closed form, see `ops::timeline::catch_up`), as they saw it unchanged.
    pub(crate) fn domain_mut(&mut self, id: DomainId) -> Option<&mut Domain> {
        if self.owes_notices(id) {
            (self.reactions.owed)(self, id);
        }
        self.domain_slot_mut(id)
    }

    /// A domain by slot id, mutably, without recording the milestones it owes: for the
    /// timeline, which manages them.
    pub(crate) fn domain_slot_mut(&mut self, id: DomainId) -> Option<&mut Domain> {
        self.domains.get_mut(id as usize).and_then(Option::as_mut)
    }

    /// Whether the domain in slot `id` owes a milestone computed in closed form (a notice,
    /// a quiet phase change) at or before the current position's instant.
    #[inline]
    pub(crate) fn owes_notices(&self, id: DomainId) -> bool {
        let at = self.position().at;
        self.domain(id)
            .and_then(|d| d.owed.get())
            .is_some_and(|t| t <= at)
    }

    /// The current position in canonical order (between firings: the end of now).
    pub fn position(&self) -> super::timer::Position {
        self.position
            .unwrap_or_else(|| super::timer::Position::end_of(self.now()))
    }

    /// Records every notice owed up to now (closed form; see `ops::timeline`): before
    /// the digest or the event count is read, or a policy changes.
    pub(crate) fn settle(&mut self) {
        let now = self.now();
        let owing: Vec<DomainId> = self
            .live_domains()
            .filter(|(_, d)| d.owed.get().is_some_and(|t| t <= now))
            .map(|(id, _)| id)
            .collect();
        for id in owing {
            (self.reactions.owed)(self, id);
        }
    }

    /// The run digest so far (every notice owed up to now recorded first).
    pub fn digest(&mut self) -> String {
        self.settle();
        self.log.digest()
    }

    /// How many events the run made so far (every notice owed up to now recorded
    /// first).
    pub fn event_total(&mut self) -> u64 {
        self.settle();
        self.log.count()
    }

    /// Records what the count of active domains needs of a domain slot; called whenever
    /// its timeline is (re)scheduled (which every insertion and every change of expiry,
    /// deletion or registrar goes through) and when it is removed.
    pub(crate) fn note_timeline(&mut self, id: DomainId) {
        let day = match self.domain(id) {
            // Times lie between 1970 and 9999: days fit in 22 bits.
            Some(d) if d.registrar == 0 && d.deleted.get().is_none() => {
                d.expires.get().day_index() as u32 + 1
            }
            _ => 0,
        };
        let i = id as usize;
        if self.active_day.len() <= i {
            self.active_day.resize(i + 1, 0);
        }
        self.active_day[i] = day;
    }

    /// Live domains held at `home` in phase active now (before expiry, not deleted).
    pub(crate) fn active_count(&self) -> usize {
        let today = self.now().day_index() as u32 + 1;
        let mut count = 0;
        for (i, day) in self.active_day.iter().enumerate() {
            count += match day.cmp(&today) {
                std::cmp::Ordering::Greater => 1,
                std::cmp::Ordering::Less => 0,
                // Expiring today: before or after now?
                std::cmp::Ordering::Equal => self.domains[i]
                    .as_ref()
                    .is_some_and(|d| d.expires.get() > self.now())
                    as usize,
            };
        }
        count
    }

    /// Makes room for `n` more domains (and names) at once: a generated portfolio knows
    /// its size, and growing by doubling would leave up to half the tables unused. The
    /// slot tables get a quarter more (a portfolio under the behaviour model keeps about
    /// 1.07 slots a domain), so that they are not moved while the run reads them at
    /// random: room never touched costs address space, not memory, and a moved table
    /// loses its huge pages until the allocator collapses it again (see `src/alloc.rs`).
    pub(crate) fn reserve_domains(&mut self, n: usize) {
        let slots = n + n / 4;
        self.domains.reserve_exact(slots);
        self.active_day.reserve_exact(slots);
        // Generated names average about 14 bytes with their TLD.
        self.names.reserve(n, 14);
    }

    /// Inserts a domain under its name (the caller checked the name is free), in the
    /// most recently vacated slot if there is one. Sets the domain's generation (past
    /// every timer of the slot's previous occupants) and its insertion sequence.
    pub(crate) fn insert_domain(&mut self, mut domain: Domain) -> DomainId {
        domain.seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        let name = domain.name;
        let name_hash = self.names.hash_of(name);
        domain.name_hash = name_hash;
        let id = match self.free_slots.pop() {
            Some((id, generation)) => {
                domain.generation = generation;
                self.domains[id as usize] = Some(domain);
                id
            }
            None => {
                domain.generation = Generation::FIRST;
                self.domains.push(Some(domain));
                (self.domains.len() - 1) as DomainId
            }
        };
        self.names.set_live(name, name_hash, Some(id));
        // The active-count entry is noted when the caller schedules the new domain's
        // timeline (every caller does, at once).
        id
    }

    /// Removes a domain; its name becomes free and its hosted data (DNS records,
    /// ICP order, website) goes with it.
    pub(crate) fn remove_domain(&mut self, id: DomainId) -> Option<Domain> {
        if self.owes_notices(id) {
            (self.reactions.owed)(self, id);
        }
        let d = self.domains.get_mut(id as usize)?.take()?;
        self.free_slots.push((id, d.generation.next()));
        let checked: Vec<_> = self
            .dns_checks
            .range((id, 0)..=(id, AccountId::MAX))
            .map(|(k, _)| *k)
            .collect();
        for k in checked {
            self.dns_checks.remove(&k);
        }
        // The record says whether the market's index has an entry for the slot: most
        // released domains were never traded, and the probe would be a cache miss.
        debug_assert!(d.has_trades() || self.market.trades_of(id).is_empty());
        if d.has_trades() {
            self.market.forget_domain(id);
        }
        self.data.remove(&id);
        self.icp.remove(&id);
        self.sites.remove(&id);
        self.transfers.remove(&id);
        self.auth_codes.remove(&id);
        self.add_grace_charges.remove(id);
        self.names.set_live(d.name, d.name_hash, None);
        self.note_timeline(id);
        Some(d)
    }

    /// Live domains in slot order.
    pub fn live_domains(&self) -> impl Iterator<Item = (DomainId, &Domain)> {
        self.domains
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.as_ref().map(|d| (i as DomainId, d)))
    }

    /// Number of live domains.
    pub fn live_count(&self) -> usize {
        self.domains.iter().filter(|d| d.is_some()).count()
    }
}

impl Resolve for World {
    fn domain_name(&self, id: NameId) -> &str {
        self.names.get(id).unwrap_or("?")
    }

    fn account_name(&self, id: AccountId) -> &str {
        self.accounts
            .get(id as usize)
            .map_or("?", |a| a.id.as_str())
    }

    fn profile_name(&self, id: ProfileId) -> &str {
        self.profiles
            .get(id as usize)
            .map_or("?", |p| p.id.as_str())
    }
}
