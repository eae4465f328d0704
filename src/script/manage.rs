//! The domain-management vocabulary: profiles and real-name verification, registrant
//! and contact changes, DNS, WHOIS privacy, ICP and PSB filing, RAM users and the agent
//! console, certificates, and monitoring. Each function parses its arguments, calls one
//! library function and returns a view.

use super::api::Registry;
use super::bindings::{only_keys, opt_bool, opt_int, opt_str, time_arg};
use super::convert::{R, bad_argument, done, view};
use crate::model::{Document, World};
use crate::ops::profiles::ProfileInput;
use crate::ops::{access, certificate, dns, icp, profiles, registrant, views, watch};
use crate::refusal::Reason;
use rhai::{Array, Dynamic, Map};

fn document(m: &Map) -> R<Option<Document>> {
    let Some(v) = m.get("document") else {
        return Ok(None);
    };
    let Some(d) = v.read_lock::<Map>() else {
        return Err(bad_argument(
            Reason::InvalidOption,
            "profile option `document` must be a map #{kind, number, expires, valid}".into(),
        ));
    };
    only_keys(&d, &["kind", "number", "expires", "valid"], "document")?;
    Ok(Some(Document {
        kind: opt_str(&d, "kind", "document")?.unwrap_or_default(),
        number: opt_str(&d, "number", "document")?.unwrap_or_default(),
        valid: opt_bool(&d, "valid", "document")?.unwrap_or(true),
        expires: opt_str(&d, "expires", "document")?
            .map(|t| time_arg(&t))
            .transpose()?,
    }))
}

fn profile_input(m: &Map, with_id: bool) -> R<ProfileInput> {
    let keys: &[&str] = if with_id {
        &[
            "id",
            "name",
            "organization",
            "email",
            "phone",
            "country",
            "document",
        ]
    } else {
        &[
            "name",
            "organization",
            "email",
            "phone",
            "country",
            "document",
        ]
    };
    only_keys(m, keys, "the profile")?;
    Ok(ProfileInput {
        id: opt_str(m, "id", "profile")?,
        name: opt_str(m, "name", "profile")?,
        organization: opt_str(m, "organization", "profile")?,
        email: opt_str(m, "email", "profile")?,
        phone: opt_str(m, "phone", "profile")?,
        country: opt_str(m, "country", "profile")?,
        document: document(m)?,
    })
}

fn strings(a: Array, what: &str) -> R<Vec<String>> {
    a.into_iter()
        .map(|v| {
            v.into_string().map_err(|t| {
                bad_argument(
                    Reason::InvalidOption,
                    format!("{what} must be strings, not {t}"),
                )
            })
        })
        .collect()
}

/// Registrant profiles, real-name verification and registrant changes.
pub(super) fn profiles(r: &mut Registry) {
    r.world(
        "delete_profile(actor, id)",
        "Deletes a registrant profile that no live domain links and that is not under \
         review.",
        |w: &mut World, actor: &str, id: &str| -> R<()> {
            done(profiles::delete_profile(w, actor, id))
        },
    );
    r.world(
        "create_profile(actor, #{id, name, organization, email, phone, country, \
         document}) -> map",
        "Creates a registrant profile (unverified); document is #{kind, number, expires, \
         valid}.",
        |w: &mut World, actor: &str, m: Map| -> R<Dynamic> {
            let input = profile_input(&m, true)?;
            done(profiles::create_profile(w, actor, &input))?;
            view(&done(views::profile_view(
                w,
                input.id.as_deref().unwrap_or(""),
            ))?)
        },
    );
    r.world(
        "profile(id) -> map",
        "A profile: #{id, owner, name, organization, email, phone, country, document, \
         state, rejection, email_verified, email_deadline}.",
        |w: &mut World, id: &str| -> R<Dynamic> { view(&done(views::profile_view(w, id))?) },
    );
    r.world(
        "update_profile(actor, id, #{name, organization, email, phone, country, document})",
        "Changes fields; a verified identity change goes back to review, an email change \
         needs verifying again.",
        |w: &mut World, actor: &str, id: &str, m: Map| -> R<()> {
            let input = profile_input(&m, false)?;
            done(profiles::update_profile(w, actor, id, &input))
        },
    );
    r.world(
        "submit_verification(actor, id)",
        "Submits a profile for real-name review (outcome after rules.review_business_days \
         business days).",
        |w: &mut World, actor: &str, id: &str| -> R<()> {
            done(profiles::submit_verification(w, actor, id))
        },
    );
    r.world(
        "verify_email(actor, id)",
        "Marks the profile's email verified (lifts the 15-day clientHold).",
        |w: &mut World, actor: &str, id: &str| -> R<()> {
            done(profiles::verify_email(w, actor, id))
        },
    );
    r.world(
        "set_registrant(actor, name, profile)",
        "Changes the registrant (active, no update lock); starts a 60-day transfer lock; \
         contact and privacy return to the defaults.",
        |w: &mut World, actor: &str, name: &str, profile: &str| -> R<()> {
            done(registrant::set_registrant(w, actor, name, profile, false))
        },
    );
    r.world(
        "set_registrant(actor, name, profile, #{opt_out_lock})",
        "As set_registrant; opt_out_lock: true skips the 60-day transfer lock.",
        |w: &mut World, actor: &str, name: &str, profile: &str, m: Map| -> R<()> {
            only_keys(&m, &["opt_out_lock"], "set_registrant")?;
            let opt_out = opt_bool(&m, "opt_out_lock", "set_registrant")?.unwrap_or(false);
            done(registrant::set_registrant(w, actor, name, profile, opt_out))
        },
    );
    r.world(
        "update_contact(actor, name, #{email, phone})",
        "Changes the domain's contact details (refused under the update lock).",
        |w: &mut World, actor: &str, name: &str, m: Map| -> R<()> {
            only_keys(&m, &["email", "phone"], "update_contact")?;
            let (email, phone) = (
                opt_str(&m, "email", "update_contact")?,
                opt_str(&m, "phone", "update_contact")?,
            );
            done(registrant::update_contact(
                w,
                actor,
                name,
                email.as_deref(),
                phone.as_deref(),
            ))
        },
    );
    r.world(
        "set_privacy(actor, name, on)",
        "Turns WHOIS privacy (redaction of name, email, phone) on or off.",
        |w: &mut World, actor: &str, name: &str, on: bool| -> R<()> {
            done(registrant::set_privacy(w, actor, name, on))
        },
    );
}

/// DNS records, zones and WHOIS privacy.
pub(super) fn dns(r: &mut Registry) {
    r.world(
        "add_record(actor, name, #{host, type, value, ttl, priority}) -> int",
        "Adds an A, AAAA, CNAME, MX, TXT, NS or CAA record (ttl 60..86400, default 600); \
         returns its id.",
        |w: &mut World, actor: &str, name: &str, m: Map| -> R<i64> {
            let input = record_input(&m, "add_record")?;
            done(dns::add_record(w, actor, name, &input)).map(i64::from)
        },
    );
    r.world(
        "set_record_status(actor, name, id, enabled)",
        "Pauses a record (false: kept, not published) or publishes it again.",
        |w: &mut World, actor: &str, name: &str, id: i64, enabled: bool| -> R<()> {
            done(dns::set_record_status(w, actor, name, id, enabled))
        },
    );
    r.world(
        "update_record(actor, name, id, #{host, type, value, ttl, priority})",
        "Replaces a record's fields, keeping its id; checked as add_record checks a new \
         one.",
        |w: &mut World, actor: &str, name: &str, id: i64, m: Map| -> R<()> {
            let input = record_input(&m, "update_record")?;
            done(dns::update_record(w, actor, name, id, &input))
        },
    );
    r.world(
        "remove_record(actor, name, id)",
        "Removes a record by id.",
        |w: &mut World, actor: &str, name: &str, id: i64| -> R<()> {
            done(dns::remove_record(w, actor, name, id))
        },
    );
    r.world(
        "unhost_zone(actor, name) -> int",
        "Takes the domain out of its holder's DNS hosting (Alidns DeleteDomain): deletes \
         its records, resolve gives SERVFAIL; returns how many records went.",
        |w: &mut World, actor: &str, name: &str| -> R<i64> {
            done(dns::unhost_zone(w, actor, name)).map(|n| n as i64)
        },
    );
    r.world(
        "host_zone(actor, name)",
        "Adds the domain back to its holder's DNS hosting (Alidns AddDomain), with an \
         empty zone.",
        |w: &mut World, actor: &str, name: &str| -> R<()> { done(dns::host_zone(w, actor, name)) },
    );
    r.world(
        "records(name) -> array",
        "The zone's records: [#{id, host, type, value, ttl, priority}].",
        |w: &mut World, name: &str| -> R<Array> {
            done(views::record_views(w, name))?
                .iter()
                .map(view)
                .collect()
        },
    );
    r.world(
        "set_nameservers(actor, name, [hosts])",
        "Sets 2..13 name servers (refused under the update lock); custom ones take DNS \
         away from the registrar.",
        |w: &mut World, actor: &str, name: &str, a: Array| -> R<()> {
            let list = strings(a, "name servers")?;
            done(dns::set_nameservers(w, actor, name, &list))
        },
    );
    r.world(
        "nameservers(name) -> array",
        "The domain's name servers (the registrar's defaults unless set).",
        |w: &mut World, name: &str| -> R<Array> {
            let (id, _) = done(crate::ops::lookup::find_domain(w, name))?;
            Ok(dns::nameservers(w, id)
                .into_iter()
                .map(Dynamic::from)
                .collect())
        },
    );
    r.world(
        "resolve(fqdn, type) -> map",
        "Resolves over the simulated zones: #{rcode: NOERROR|NODATA|NXDOMAIN|SERVFAIL, \
         answers: [#{name, type, ttl, value}]}.",
        |w: &mut World, fqdn: &str, t: &str| -> R<Dynamic> {
            view(&done(dns::resolve(w, fqdn, t))?)
        },
    );
    r.world(
        "dns_check(actor, name) -> array",
        "The domain's changes since this account last checked: [#{at, actor, domain, \
         action, before, after}].",
        |w: &mut World, actor: &str, name: &str| -> R<Array> {
            let entries = done(dns::dns_check(w, actor, name))?;
            views::audit_views(w, &entries).iter().map(view).collect()
        },
    );
    r.world(
        "audit_log(name) -> array",
        "Every recorded change of the domain's data since it was registered, with the \
         real actor.",
        |w: &mut World, name: &str| -> R<Array> {
            done(views::audit_log(w, name))?.iter().map(view).collect()
        },
    );
}

/// ICP and PSB filing.
pub(super) fn compliance(r: &mut Registry) {
    r.world(
        "apply_icp(actor, name, #{kind, profile})",
        "Applies for an ICP filing or license (kind \"filing\" | \"license\"; profile \
         must be the registrant).",
        |w: &mut World, actor: &str, name: &str, m: Map| -> R<()> {
            only_keys(&m, &["kind", "profile"], "apply_icp")?;
            let kind = opt_str(&m, "kind", "apply_icp")?.unwrap_or_else(|| "filing".into());
            let profile = opt_str(&m, "profile", "apply_icp")?;
            done(icp::apply_icp(w, actor, name, &kind, profile.as_deref()))
        },
    );
    r.world(
        "confirm_icp_sms(actor, name)",
        "Confirms the MIIT SMS of an order (within rules.icp_sms_hours); the authority \
         review starts.",
        |w: &mut World, actor: &str, name: &str| -> R<()> {
            done(icp::confirm_icp_sms(w, actor, name))
        },
    );
    r.world(
        "icp(name) -> map",
        "The ICP file: the latest order's #{kind, stage, applicant, created, updated, \
         number, rejection} plus filing and license (each such a map, or ()), or ().",
        |w: &mut World, name: &str| -> R<Dynamic> { view(&done(views::icp_view(w, name))?) },
    );
    r.world(
        "launch_site(actor, name, #{region, commercial})",
        "Launches a site (region \"mainland\" | \"overseas\"); mainland needs an approved \
         filing, commercial a license.",
        |w: &mut World, actor: &str, name: &str, m: Map| -> R<()> {
            only_keys(&m, &["region", "commercial"], "launch_site")?;
            let region = opt_str(&m, "region", "launch_site")?.unwrap_or_else(|| "mainland".into());
            let commercial = opt_bool(&m, "commercial", "launch_site")?.unwrap_or(false);
            done(icp::launch_site(w, actor, name, &region, commercial))
        },
    );
    r.world(
        "apply_psb(actor, name) -> string",
        "Files a mainland site with the PSB (due within rules.psb_due_days of launch); \
         returns the number.",
        |w: &mut World, actor: &str, name: &str| -> R<String> {
            done(icp::apply_psb(w, actor, name))
        },
    );
    r.world(
        "site(name) -> map",
        "The website: #{region, commercial, launched, online, psb_number, violations: \
         [#{at, reason, fine}]}, or ().",
        |w: &mut World, name: &str| -> R<Dynamic> { view(&done(views::site_view(w, name))?) },
    );
    r.world(
        "certificate(actor, name) -> map",
        "The holder's certificate of an active, verified domain: #{number, domain, \
         unicode, registrant, registered, expires, registrar, issued}.",
        |w: &mut World, actor: &str, name: &str| -> R<Dynamic> {
            view(&done(certificate::certificate(w, actor, name))?)
        },
    );
    r.world(
        "certificate_html(actor, name) -> string",
        "The certificate as a standalone HTML page (regsim certificate writes it to a \
         file).",
        |w: &mut World, actor: &str, name: &str| -> R<String> {
            Ok(crate::report::certificate::html(&done(
                certificate::certificate(w, actor, name),
            )?))
        },
    );
}

/// RAM users, delegated authorization and the agent console.
pub(super) fn access(r: &mut Registry) {
    r.world(
        "add_access_key(id, secret, holder)",
        "Adds an AccessKey of the API sandbox (regsim serve) signing as `alice` or as her \
         RAM user `alice/ops`.",
        |w: &mut World, id: &str, secret: &str, holder: &str| -> R<()> {
            let (account, user) = match holder.split_once('/') {
                Some((a, u)) => (a, Some(u)),
                None => (holder, None),
            };
            done(crate::ops::seed::add_access_key(
                w, id, secret, account, user,
            ))
        },
    );
    r.world(
        "create_ram_user(actor, name, [permissions])",
        "Creates a RAM sub-user `actor/name` with permissions read, register, renew, \
         update, dns, trade, transfer or *.",
        |w: &mut World, actor: &str, name: &str, a: Array| -> R<()> {
            let perms = strings(a, "permissions")?;
            done(access::create_ram_user(w, actor, name, &perms))
        },
    );
    r.world(
        "grant(actor, user, permission)",
        "Gives a RAM sub-user (`ops` or `alice/ops`) a permission.",
        |w: &mut World, actor: &str, user: &str, p: &str| -> R<()> {
            done(access::set_permission(w, actor, user, p, true))
        },
    );
    r.world(
        "revoke(actor, user, permission)",
        "Takes a permission from a RAM sub-user (`ops` or `alice/ops`).",
        |w: &mut World, actor: &str, user: &str, p: &str| -> R<()> {
            done(access::set_permission(w, actor, user, p, false))
        },
    );
    r.world(
        "permissions(user) -> array",
        "A RAM sub-user's permissions, e.g. permissions(\"alice/ops\").",
        |w: &mut World, user: &str| -> R<Array> {
            Ok(done(views::permissions(w, None, user))?
                .into_iter()
                .map(Dynamic::from)
                .collect())
        },
    );
    r.world(
        "permissions(account, user) -> array",
        "A RAM sub-user's permissions, the user named bare (`ops`) or in full \
         (`alice/ops`).",
        |w: &mut World, account: &str, user: &str| -> R<Array> {
            Ok(done(views::permissions(w, Some(account), user))?
                .into_iter()
                .map(Dynamic::from)
                .collect())
        },
    );
    r.world(
        "enable_console(actor)",
        "Enables an agent account's separate domain console (agents only; never after \
         disabling).",
        |w: &mut World, actor: &str| -> R<()> { done(access::enable_console(w, actor)) },
    );
    r.world(
        "disable_console(actor)",
        "Disables the agent's domain console, irreversibly.",
        |w: &mut World, actor: &str| -> R<()> { done(access::disable_console(w, actor)) },
    );
}

/// Certificates and watching names.
pub(super) fn monitoring(r: &mut Registry) {
    r.world(
        "watch(actor, name)",
        "Watches a name one does not hold: notified when it is registered, expiring, in \
         grace, in redemption (expiry or deletion), restored, released, listed.",
        |w: &mut World, actor: &str, name: &str| -> R<()> {
            done(watch::watch(w, actor, name, true))
        },
    );
    r.world(
        "unwatch(actor, name)",
        "Stops watching a name.",
        |w: &mut World, actor: &str, name: &str| -> R<()> {
            done(watch::watch(w, actor, name, false))
        },
    );
    r.world(
        "watched(account) -> array",
        "The names an account watches.",
        |w: &mut World, account: &str| -> R<Array> {
            Ok(done(watch::watched(w, account))?
                .into_iter()
                .map(Dynamic::from)
                .collect())
        },
    );
}

/// A record map (`#{host, type, value, ttl, priority}`) as the DNS operations take it.
fn record_input(m: &Map, op: &str) -> R<dns::RecordInput> {
    only_keys(m, &["host", "type", "value", "ttl", "priority"], op)?;
    Ok(dns::RecordInput {
        host: opt_str(m, "host", op)?.unwrap_or_else(|| "@".into()),
        rtype: opt_str(m, "type", op)?.unwrap_or_default(),
        value: opt_str(m, "value", op)?.unwrap_or_default(),
        ttl: opt_int(m, "ttl", op)?,
        priority: opt_int(m, "priority", op)?,
    })
}
