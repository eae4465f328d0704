//! Property tests over random domain-management operations: a held domain never
//! resolves, a RAM user never does what its permissions forbid, every accepted data
//! change is in the audit log with the real actor, and a refused operation changes
//! nothing.

use proptest::prelude::*;
use regsim::fixture::{LoadOptions, load_str};
use regsim::model::{Status, World};
use regsim::ops::dns::{self, RecordInput};
use regsim::ops::profiles::{self, ProfileInput};
use regsim::ops::{self, registrant, status};

const FIXTURE: &str = r#"
accounts:
  - id: li
    balance: 10000000
    ram_users: { dns: [dns], view: [read], admin: ["*"] }
  - id: wang
    balance: 10000000
profiles:
  - { id: li-v, owner: li, name: Li Lei, email: li@example.cn, country: CN, real_name: verified, document: { kind: id_card, number: "110101199003071234" } }
  - { id: li-u, owner: li, name: Li Lei, email: li2@example.cn, country: CN, email_verified: false, document: { kind: passport, number: E1234567 } }
domains:
  - { name: a.cn, owner: li, profile: li-v, created: 2025-06-01, years: 1 }
  - { name: b.com, owner: li, profile: li-u, created: 2025-06-01, years: 2 }
  - { name: c.com, owner: wang, created: 2025-12-10, years: 1 }
"#;

const ACTORS: [&str; 5] = ["li", "li/dns", "li/view", "li/admin", "wang"];
const DOMAINS: [&str; 3] = ["a.cn", "b.com", "c.com"];
const HOSTS: [&str; 6] = ["@", "www", "*", "a.b", "mail", "bad host"];
const TYPES: [(&str, &str); 7] = [
    ("A", "192.0.2.1"),
    ("A", "300.0.0.1"),
    ("AAAA", "2001:db8::1"),
    ("CNAME", "www.a.cn"),
    ("MX", "mx.b.com"),
    ("TXT", "hello"),
    ("CAA", "0 issue \"ca.example\""),
];

#[derive(Clone, Debug)]
enum Op {
    AddRecord(usize, usize, usize, usize, i64),
    RemoveRecord(usize, usize, i64),
    Nameservers(usize, usize, bool),
    Lock(usize, usize, bool),
    Registrant(usize, usize, bool),
    Contact(usize, usize, bool),
    Privacy(usize, usize, bool),
    Submit(usize, bool),
    UpdateProfile(usize, bool),
    VerifyEmail(usize, bool),
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    let a = 0..ACTORS.len();
    let d = 0..DOMAINS.len();
    prop_oneof![
        (
            a.clone(),
            d.clone(),
            0..HOSTS.len(),
            0..TYPES.len(),
            prop_oneof![Just(600i64), Just(30), Just(3600)]
        )
            .prop_map(|(a, d, h, t, ttl)| Op::AddRecord(a, d, h, t, ttl)),
        (a.clone(), d.clone(), 0i64..6).prop_map(|(a, d, r)| Op::RemoveRecord(a, d, r)),
        (a.clone(), d.clone(), any::<bool>()).prop_map(|(a, d, b)| Op::Nameservers(a, d, b)),
        (a.clone(), d.clone(), any::<bool>()).prop_map(|(a, d, b)| Op::Lock(a, d, b)),
        (a.clone(), d.clone(), any::<bool>()).prop_map(|(a, d, b)| Op::Registrant(a, d, b)),
        (a.clone(), d.clone(), any::<bool>()).prop_map(|(a, d, b)| Op::Contact(a, d, b)),
        (a.clone(), d.clone(), any::<bool>()).prop_map(|(a, d, b)| Op::Privacy(a, d, b)),
        (a.clone(), any::<bool>()).prop_map(|(a, b)| Op::Submit(a, b)),
        (a.clone(), any::<bool>()).prop_map(|(a, b)| Op::UpdateProfile(a, b)),
        (a.clone(), any::<bool>()).prop_map(|(a, b)| Op::VerifyEmail(a, b)),
        (0i64..40 * 86_400).prop_map(Op::Advance),
    ]
}

/// The permission an op needs, and whether it changes domain data (audited).
fn needs(op: &Op) -> (Option<&'static str>, bool) {
    match op {
        Op::AddRecord(..) | Op::RemoveRecord(..) => (Some("dns"), true),
        Op::Nameservers(..) | Op::Registrant(..) | Op::Contact(..) | Op::Privacy(..) => {
            (Some("update"), true)
        }
        Op::Lock(..) | Op::Submit(..) | Op::UpdateProfile(..) | Op::VerifyEmail(..) => {
            (Some("update"), false)
        }
        Op::Advance(_) => (None, false),
    }
}

fn apply(w: &mut World, op: &Op) -> Result<(), regsim::Refusal> {
    match op {
        Op::AddRecord(a, d, h, t, ttl) => dns::add_record(
            w,
            ACTORS[*a],
            DOMAINS[*d],
            &RecordInput {
                host: HOSTS[*h].into(),
                rtype: TYPES[*t].0.into(),
                value: TYPES[*t].1.into(),
                ttl: Some(*ttl),
                priority: None,
            },
        )
        .map(|_| ()),
        Op::RemoveRecord(a, d, r) => dns::remove_record(w, ACTORS[*a], DOMAINS[*d], *r),
        Op::Nameservers(a, d, custom) => {
            let list: Vec<String> = if *custom {
                vec!["ns1.elsewhere.net".into(), "ns2.elsewhere.net".into()]
            } else {
                dns::DEFAULT_NAMESERVERS
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            };
            dns::set_nameservers(w, ACTORS[*a], DOMAINS[*d], &list)
        }
        Op::Lock(a, d, on) => ops::set_lock(w, ACTORS[*a], DOMAINS[*d], "update", *on),
        Op::Registrant(a, d, v) => registrant::set_registrant(
            w,
            ACTORS[*a],
            DOMAINS[*d],
            if *v { "li-v" } else { "li-u" },
            false,
        ),
        Op::Contact(a, d, good) => registrant::update_contact(
            w,
            ACTORS[*a],
            DOMAINS[*d],
            Some(if *good { "x@example.cn" } else { "bad" }),
            None,
        ),
        Op::Privacy(a, d, on) => registrant::set_privacy(w, ACTORS[*a], DOMAINS[*d], *on),
        Op::Submit(a, v) => {
            profiles::submit_verification(w, ACTORS[*a], if *v { "li-v" } else { "li-u" })
        }
        Op::UpdateProfile(a, name) => {
            let input = if *name {
                ProfileInput {
                    name: Some("Li Lei II".into()),
                    ..ProfileInput::default()
                }
            } else {
                ProfileInput {
                    country: Some("XX".into()),
                    ..ProfileInput::default()
                }
            };
            profiles::update_profile(w, ACTORS[*a], "li-u", &input)
        }
        Op::VerifyEmail(a, v) => {
            profiles::verify_email(w, ACTORS[*a], if *v { "li-v" } else { "li-u" })
        }
        Op::Advance(s) => {
            let t = w.now().add_secs(*s);
            regsim::dispatch::advance_to(w, t).map(|_| ())
        }
    }
}

fn held_domains_never_resolve(w: &World) -> Result<(), TestCaseError> {
    for (id, d) in w.live_domains() {
        let held = status::statuses(w, d).iter().any(|s| {
            matches!(
                s,
                Status::ClientHold | Status::ServerHold | Status::PendingDelete
            )
        });
        if !held {
            continue;
        }
        let name = w.names[d.name].to_string();
        let hosts: Vec<String> = w
            .data
            .get(&id)
            .map(|z| z.records.iter().map(|r| r.host.clone()).collect())
            .unwrap_or_default();
        for host in std::iter::once("@".to_string()).chain(hosts) {
            let fqdn = if host == "@" {
                name.clone()
            } else {
                format!("{}.{name}", host.replace('*', "x"))
            };
            for t in ["A", "TXT", "CNAME", "MX"] {
                let r = dns::resolve(w, &fqdn, t).unwrap();
                prop_assert!(
                    r.rcode == "NXDOMAIN" && r.answers.is_empty(),
                    "held {} answered {:?}",
                    fqdn,
                    r
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 80, ..ProptestConfig::default() })]

    #[test]
    fn management_invariants(ops in proptest::collection::vec(op(), 1..50)) {
        let mut w = load_str("p.yaml", FIXTURE, LoadOptions::default()).unwrap();
        for op in &ops {
            let before = regsim::snapshot::to_bytes(&w).unwrap();
            let audit_before = w.audit.len();
            let result = apply(&mut w, op);
            let (permission, audited) = needs(op);
            let actor = match op {
                Op::AddRecord(a, ..) | Op::RemoveRecord(a, ..) | Op::Nameservers(a, ..) | Op::Lock(a, ..)
                | Op::Registrant(a, ..) | Op::Contact(a, ..) | Op::Privacy(a, ..) | Op::Submit(a, ..)
                | Op::UpdateProfile(a, ..) | Op::VerifyEmail(a, ..) => Some(ACTORS[*a]),
                Op::Advance(_) => None,
            };
            match &result {
                Err(_) => {
                    prop_assert!(regsim::snapshot::to_bytes(&w).unwrap() == before, "refused {:?} changed the world", op);
                }
                Ok(()) => {
                    // A RAM user never does what its permissions forbid.
                    if let (Some(actor), Some(p)) = (actor, permission) {
                        let allowed = match actor {
                            "li/dns" => p == "dns",
                            "li/view" => false,
                            _ => true,
                        };
                        prop_assert!(allowed, "{} did {:?} without `{}`", actor, op, p);
                    }
                    // Every data change is audited once, with the real actor.
                    if audited {
                        prop_assert_eq!(w.audit.len(), audit_before + 1, "{:?} not audited", op);
                        prop_assert_eq!(Some(w.audit.last().unwrap().actor.as_str()), actor);
                    }
                }
            }
            if !audited || result.is_err() {
                prop_assert_eq!(w.audit.len(), audit_before, "{:?} wrote the audit log", op);
            }
            held_domains_never_resolve(&w)?;
        }
    }
}
