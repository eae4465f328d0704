//! ICP filing (MIIT) and websites: an order goes registrar review → SMS confirmation
//! (24 hours) → authority review (seeded business days) → approved with a number, or
//! rejected; an order left waiting for the applicant is deleted after 45 idle days.
//! A mainland site without an approved filing, or a commercial one without a licence,
//! is a violation (fine recorded, site shut down); a mainland site needs a PSB filing
//! within 30 days of launch.

use super::guard::{Guard, held};
use super::notify;
use crate::model::{
    DomainId, EventKind, IcpFile, IcpKind, IcpOrder, IcpStage, Notice, Permission, RealName,
    Region, Site, TimerKind, Violation, World,
};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::{Time, Timer};

fn policy(reason: Reason, message: String) -> Refusal {
    Refusal::new(reason, message)
}

/// Parses `filing` or `license`.
/// Refuses: 2005 `invalid_icp_kind`.
pub(crate) fn parse_kind(kind: &str) -> Outcome<IcpKind> {
    match kind {
        "filing" => Ok(IcpKind::Filing),
        "license" => Ok(IcpKind::License),
        _ => Err(Refusal::new(
            Reason::InvalidIcpKind,
            format!("`{kind}` is not an ICP order kind; use filing or license"),
        )),
    }
}

fn timer_kind(kind: IcpKind) -> TimerKind {
    match kind {
        IcpKind::Filing => TimerKind::IcpFiling,
        IcpKind::License => TimerKind::IcpLicense,
    }
}

/// The keyed-draw key of an order: the domain and the order's creation (and, for a
/// licence, its kind, so that a filing and a licence applied together draw apart).
fn draw_key(id: DomainId, o: &IcpOrder) -> Vec<u64> {
    let mut key = vec![u64::from(id), o.created.0 as u64];
    if o.kind == IcpKind::License {
        key.push(1);
    }
    key
}

fn stage_change(
    world: &mut World,
    id: DomainId,
    kind: IcpKind,
    stage: IcpStage,
    next: Option<Time>,
) {
    let now = world.now();
    let generation = world.fresh_generation();
    let Some(order) = world.icp.get_mut(&id).and_then(|f| f.order_mut(kind)) else {
        return;
    };
    order.stage = stage;
    order.updated = now;
    order.generation = generation;
    if let Some(at) = next {
        world.schedule(at, timer_kind(kind), id, generation);
    }
    if let Some(domain) = world.domain(id).map(|d| d.name) {
        world.record(EventKind::IcpStage { domain, stage });
    }
}

/// Applies for an ICP filing or licence. `profile`, if given, must be the domain's
/// registrant. A domain keeps a filing and a licence side by side: applying for a
/// licence leaves an approved filing standing.
/// Refuses: 2304 `not_allowed_in_phase`, 2304 `pending_delete`, 2303/2201 actor and
/// domain (2201 `not_sponsoring_registrar` for a domain held elsewhere), 2304
/// `pending_transfer`, 2005 `invalid_icp_kind`, 2304 phase, 2306 `tld_not_fileable`,
/// 2306 `real_name_unverified`, 2306 `registrant_mismatch`, 2302 `icp_order_exists` (an
/// order of that kind under way), 2302 `already_approved` (a filing when filed, a
/// licence when licensed).
pub fn apply_icp(
    world: &mut World,
    actor: &str,
    name: &str,
    kind: &str,
    profile: Option<&str>,
) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    let kind = parse_kind(kind)?;
    h.require(world, &[Guard::Active], "applying for ICP filing")?;
    let tld = world.tlds.get(h.tld);
    if !tld.icp_fileable {
        return Err(policy(
            Reason::TldNotFileable,
            format!(
                ".{} is not approved by MIIT: sites on {} cannot be filed",
                world.tlds.name(h.tld),
                h.name(world)
            ),
        ));
    }
    let registrant = world
        .domain(h.id)
        .and_then(|d| d.profile.get())
        .filter(|p| world.profiles[*p as usize].real_name == RealName::Verified);
    let Some(registrant) = registrant else {
        return Err(policy(
            Reason::RealNameUnverified,
            format!(
                "{} has no real-name verified registrant; ICP filing needs one",
                h.name(world)
            ),
        ));
    };
    if let Some(p) = profile
        && world.profiles[registrant as usize].id != p
    {
        return Err(policy(
            Reason::RegistrantMismatch,
            format!(
                "the applicant profile `{p}` is not the registrant of {}",
                h.name(world)
            ),
        ));
    }
    if let Some(file) = world.icp.get(&h.id) {
        if let Some(o) = file.order(kind).filter(|o| {
            matches!(
                o.stage,
                IcpStage::RegistrarReview | IcpStage::AwaitingSms | IcpStage::AuthorityReview
            )
        }) {
            return Err(Refusal::new(
                Reason::IcpOrderExists,
                format!(
                    "{} already has an ICP {} order in {}",
                    h.name(world),
                    kind.as_str(),
                    o.stage.as_str()
                ),
            ));
        }
        let approved = match kind {
            IcpKind::Filing => file.filed(),
            IcpKind::License => file.approved(IcpKind::License),
        };
        if approved {
            return Err(Refusal::new(
                Reason::AlreadyApproved,
                format!(
                    "{} already has an approved ICP {}",
                    h.name(world),
                    if file.approved(IcpKind::License) {
                        "license"
                    } else {
                        "filing"
                    }
                ),
            ));
        }
    }
    // Apply.
    let now = world.now();
    let order = IcpOrder {
        applicant: h.actor.account,
        kind,
        stage: IcpStage::RegistrarReview,
        created: now,
        updated: now,
        number: None,
        rejection: None,
        generation: 0,
    };
    let file = world.icp.entry(h.id).or_insert(IcpFile {
        filing: None,
        license: None,
        latest: kind,
    });
    file.latest = kind;
    match kind {
        IcpKind::Filing => file.filing = Some(order),
        IcpKind::License => file.license = Some(order),
    }
    let due = now.add_business_days(world.rules.icp_registrar_review_business_days);
    stage_change(world, h.id, kind, IcpStage::RegistrarReview, Some(due));
    Ok(())
}

/// Confirms the MIIT SMS of an order awaiting it (the latest order first); the
/// authority review starts.
/// Refuses: 2201 `not_sponsoring_registrar`, 2303/2201 actor and domain, 2304
/// `pending_transfer`, 2304 `no_sms_pending`.
pub fn confirm_icp_sms(world: &mut World, actor: &str, name: &str) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    let waiting = world.icp.get(&h.id).and_then(|file| {
        let other = match file.latest {
            IcpKind::Filing => IcpKind::License,
            IcpKind::License => IcpKind::Filing,
        };
        [file.latest, other]
            .into_iter()
            .filter_map(|k| file.order(k))
            .find(|o| o.stage == IcpStage::AwaitingSms)
    });
    let Some(order) = waiting else {
        return Err(Refusal::new(
            Reason::NoSmsPending,
            format!(
                "{} has no ICP order waiting for SMS confirmation",
                h.name(world)
            ),
        ));
    };
    let r = &world.rules;
    let (lo, hi) = (
        r.icp_authority_min_business_days,
        r.icp_authority_max_business_days,
    );
    let kind = order.kind;
    let draw = world.rng.keyed("icp_review", &draw_key(h.id, order));
    let days = lo + (draw % u64::from(hi - lo + 1)) as u32;
    let due = world.now().add_business_days(days);
    stage_change(world, h.id, kind, IcpStage::AuthorityReview, Some(due));
    Ok(())
}

/// An ICP order's timer: the next stage comes due.
pub(crate) fn icp_due(world: &mut World, timer: &Timer, kind: IcpKind) -> bool {
    let id = timer.target;
    let Some(order) = world.icp.get(&id).and_then(|f| f.order(kind)) else {
        return false;
    };
    if order.generation != timer.generation {
        return false;
    }
    let now = world.now();
    match order.stage {
        IcpStage::RegistrarReview => {
            let deadline = now.add_secs(i64::from(world.rules.icp_sms_hours) * 3_600);
            stage_change(world, id, kind, IcpStage::AwaitingSms, Some(deadline));
            notify::holder(world, id, Notice::IcpSmsRequested);
        }
        IcpStage::AwaitingSms => {
            let idle = now.add_days(world.rules.icp_idle_days.into());
            stage_change(world, id, kind, IcpStage::SmsExpired, Some(idle));
        }
        IcpStage::SmsExpired => {
            stage_change(world, id, kind, IcpStage::Deleted, None);
            notify::holder(world, id, Notice::IcpDeleted);
        }
        IcpStage::AuthorityReview => {
            let draw = world.rng.keyed("icp_decision", &draw_key(id, order)) % 100;
            if draw < u64::from(world.rules.icp_reject_rate_percent) {
                if let Some(o) = world.icp.get_mut(&id).and_then(|f| f.order_mut(kind)) {
                    o.rejection = Some("authority_rejected".into());
                }
                stage_change(world, id, kind, IcpStage::Rejected, None);
                notify::holder(world, id, Notice::IcpRejected);
            } else {
                let name = world.domain(id).map_or(0, |d| d.name);
                let prefix = match kind {
                    IcpKind::Filing => "京ICP备",
                    IcpKind::License => "京ICP证",
                };
                let number = format!("{prefix}{}{:06}号", &now.date_string()[..4], name);
                if let Some(o) = world.icp.get_mut(&id).and_then(|f| f.order_mut(kind)) {
                    o.number = Some(number);
                }
                stage_change(world, id, kind, IcpStage::Approved, None);
                notify::holder(world, id, Notice::IcpApproved);
            }
        }
        IcpStage::Approved | IcpStage::Rejected | IcpStage::Deleted => return false,
    }
    true
}

fn violation(world: &mut World, id: DomainId, reason: Violation, fine: i64, shut_down: bool) {
    let now = world.now();
    if let Some(site) = world.sites.get_mut(&id) {
        site.violations.push((now, reason, fine));
        if shut_down {
            site.online = false;
        }
    }
    if let Some(domain) = world.domain(id).map(|d| d.name) {
        world.record(EventKind::SiteViolation {
            domain,
            reason,
            fine,
        });
    }
    notify::holder(world, id, Notice::SiteViolation);
}

/// Launches a website on the domain. Serving mainland China without an approved ICP
/// filing, or commercially without a licence, is a violation at once (fine recorded,
/// site shut down); a mainland site must file with the PSB within `psb_due_days`.
/// Refuses: 2201 `not_sponsoring_registrar`, 2304 `not_allowed_in_phase`, 2304
/// `pending_delete`, 2304 `pending_transfer`, 2303/2201 actor and domain, 2304 phase,
/// 2005 `invalid_region`, 2302 `site_exists`.
pub fn launch_site(
    world: &mut World,
    actor: &str,
    name: &str,
    region: &str,
    commercial: bool,
) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    let region = match region {
        "mainland" => Region::Mainland,
        "overseas" => Region::Overseas,
        _ => {
            return Err(Refusal::new(
                Reason::InvalidRegion,
                format!("`{region}` is not a region; use mainland or overseas"),
            ));
        }
    };
    h.require(world, &[Guard::Active], "launching a site")?;
    if world.sites.get(&h.id).is_some_and(|s| s.online) {
        return Err(Refusal::new(
            Reason::SiteExists,
            format!("{} already serves a site", h.name(world)),
        ));
    }
    let now = world.now();
    world.sites.insert(
        h.id,
        Site {
            region,
            commercial,
            launched: now,
            online: true,
            psb_number: None,
            violations: Vec::new(),
            generation: 0,
        },
    );
    let domain = h.name_id;
    world.record(EventKind::SiteLaunched {
        domain,
        region,
        commercial,
    });
    if region == Region::Overseas {
        return Ok(());
    }
    let file = world.icp.get(&h.id);
    let (filed, licensed) = (
        file.is_some_and(IcpFile::filed),
        file.is_some_and(|f| f.approved(IcpKind::License)),
    );
    match (filed, licensed) {
        (false, _) => violation(
            world,
            h.id,
            Violation::Unfiled,
            world.rules.fine_unfiled,
            true,
        ),
        (true, false) if commercial => violation(
            world,
            h.id,
            Violation::Unlicensed,
            world.rules.fine_unlicensed,
            true,
        ),
        _ => {
            let due = now.add_days(world.rules.psb_due_days.into());
            let generation = world.fresh_generation();
            world.sites.get_mut(&h.id).expect("site").generation = generation;
            world.schedule(due, TimerKind::PsbDeadline, h.id, generation);
        }
    }
    Ok(())
}

/// Files the site with the PSB (公安备案).
/// Refuses: 2201 `not_sponsoring_registrar`, 2304 `pending_transfer`, 2303/2201 actor
/// and domain, 2304 `no_site`, 2306 `psb_not_required`, 2302 `psb_filed`.
pub fn apply_psb(world: &mut World, actor: &str, name: &str) -> Outcome<String> {
    let h = held(world, actor, name, Permission::Update)?;
    let Some(site) = world.sites.get(&h.id).filter(|s| s.online) else {
        return Err(Refusal::new(
            Reason::NoSite,
            format!("{} serves no site", h.name(world)),
        ));
    };
    if site.region != Region::Mainland {
        return Err(policy(
            Reason::PsbNotRequired,
            format!(
                "the site on {} serves overseas; no PSB filing is needed",
                h.name(world)
            ),
        ));
    }
    if site.psb_number.is_some() {
        return Err(Refusal::new(
            Reason::PsbFiled,
            format!(
                "the site on {} is already filed with the PSB",
                h.name(world)
            ),
        ));
    }
    let domain = h.name_id;
    let number = format!("京公网安备{:014}号", u64::from(domain) + 11_010_000_000_000);
    world.sites.get_mut(&h.id).expect("site").psb_number = Some(number.clone());
    world.record(EventKind::PsbFiled {
        domain,
        number: number.clone(),
    });
    Ok(number)
}

/// A site's PSB deadline: a violation if it was not filed.
pub(crate) fn psb_due(world: &mut World, timer: &Timer) -> bool {
    let id = timer.target;
    let Some(site) = world.sites.get(&id) else {
        return false;
    };
    if site.generation != timer.generation || !site.online || site.psb_number.is_some() {
        return false;
    }
    violation(
        world,
        id,
        Violation::PsbMissing,
        world.rules.fine_psb_missing,
        false,
    );
    true
}
