//! No input makes regsim panic: arbitrary names, fixture text, scripts and mutilated
//! scenarios end in a result or a clear error.

use proptest::prelude::*;
use regsim::fixture::{LoadOptions, default_world, load_str};
use regsim::script::{Limits, Scenario, run_scenario};
use std::path::PathBuf;

fn temp_script(tag: &str, text: &str) -> PathBuf {
    let path = crate::common::temp("robust", &format!("{tag}.rhai"));
    std::fs::write(&path, text).unwrap();
    path
}

fn run_text(tag: &str, text: &str) {
    let sc = Scenario {
        script: temp_script(tag, text),
        limits: Limits {
            max_operations: 200_000,
            ..Limits::default()
        },
        ..Scenario::default()
    };
    let _ = run_scenario(&sc);
}

const FIXTURE_LINES: &[&str] = &[
    "start: 2026-01-01",
    "start: 1900-01-01",
    "start: 9999-12-31T23:59:59Z",
    "seed: 3",
    "seed: -1",
    "accounts:",
    "  - id: alice",
    "    balance: 100",
    "    balance: -5",
    "    balance: 99999999999999999999",
    "    kind: agent",
    "    ram_users: {ops: [renew, \"*\"]}",
    "    ram_users: {ops: [fly]}",
    "profiles:",
    "  - {id: p, owner: alice, name: A, real_name: verified}",
    "  - {id: p, owner: zed, name: B}",
    "domains:",
    "  - {name: a.com, owner: alice}",
    "  - {name: a.com, owner: alice, years: 0}",
    "  - {name: b.cn, owner: alice, profile: p, created: 2016-02-29, expires: 2026-01-05, locks: [update]}",
    "  - {name: c.com, owner: alice, created: 2025-01-01, expires: 2025-12-01, deleted: 2025-12-20}",
    "  - {name: \"例子.cn\", owner: alice, years: 4294967295}",
    "  - {name: -x.com, owner: alice}",
    "tlds:",
    "  com: {grace_days: 0, redemption_days: 0, pending_delete_days: 0}",
    "  com: {max_term_years: 0}",
    "  \"new.tld\": {register: 1}",
    "  x: {renew: -1}",
    "registrars: [home, other, other]",
    "generate:",
    "  domains: 3",
    "  domains: 100000001",
    "  accounts: 0",
    "  accounts: 2",
    "  tlds: {com: 0}",
    "  tlds: {com: 4000000000, net: 4000000000}",
    "  tlds: {zz: 1}",
    "  auto_renew: .nan",
    "  max_age_years: 4294967295",
    "  balance: -1",
    "{",
    "]",
    ": :",
    "\t",
    "- - -",
    "&a [*a]",
    "!!binary aGk=",
];

const CALLS: &[&str] = &[
    "open_account(S, #{balance: I})",
    "open_account(S)",
    "deposit(S, I)",
    "register(S, S, I)",
    "register(S, S, I, #{auto_renew: true})",
    "register(S, S, I, #{profile: S})",
    "renew(S, S, I)",
    "restore(S, S)",
    "delete(S, S)",
    "set_auto_renew(S, S, true)",
    "set_lock(S, S, S, true)",
    "advance(S)",
    "advance_to(S)",
    "check(S)",
    "domain(S)",
    "whois(S)",
    "account(S)",
    "notifications(S)",
    "price(S, S)",
    "set_policy(S, I)",
    "set_policy(S, [I, I])",
    "policy(S)",
    "events()",
    "events(S)",
    "add_days(S, I)",
    "add_years(S, I)",
    "days_between(S, S)",
    "random(I, I)",
    "ledger()",
    "domains(S)",
    "restore_snapshot(snapshot())",
    "create_profile(S, #{id: S, name: S, email: S, country: S, phone: S})",
    "create_profile(S, #{id: S, name: S, email: S, country: S, document: #{kind: S, number: S, expires: S}})",
    "update_profile(S, S, #{name: S, email: S})",
    "submit_verification(S, S)",
    "verify_email(S, S)",
    "profile(S)",
    "set_registrant(S, S, S)",
    "set_registrant(S, S, S, #{opt_out_lock: true})",
    "update_contact(S, S, #{email: S, phone: S})",
    "set_privacy(S, S, false)",
    "add_record(S, S, #{host: S, type: S, value: S, ttl: I, priority: I})",
    "add_record(S, S, #{host: S, type: S, value: S})",
    "remove_record(S, S, I)",
    "records(S)",
    "set_nameservers(S, S, [S, S])",
    "nameservers(S)",
    "resolve(S, S)",
    "dns_check(S, S)",
    "audit_log(S)",
    "apply_icp(S, S, #{kind: S})",
    "confirm_icp_sms(S, S)",
    "icp(S)",
    "launch_site(S, S, #{region: S, commercial: true})",
    "apply_psb(S, S)",
    "site(S)",
    "certificate(S, S)",
    "certificate_html(S, S)",
    "create_ram_user(S, S, [S, S])",
    "grant(S, S, S)",
    "revoke(S, S, S)",
    "permissions(S)",
    "enable_console(S)",
    "disable_console(S)",
    "watch(S, S)",
    "unwatch(S, S)",
    "watched(S)",
    "transfer_in(S, S, S)",
    "cancel_transfer(S, S)",
    "auth_code(S, S)",
    "request_transfer_out(S, S, S)",
    "approve_transfer(S, S)",
    "reject_transfer(S, S)",
    "transfer(S)",
    "push_domain(S, S, S)",
    "list_for_sale(S, S, #{kind: S, price: I, start_price: I, reserve: I, duration: S, min_offer: I, buyer: S})",
    "list_for_sale(S, S, #{kind: \"fixed\", price: I})",
    "list_for_sale(S, S, #{kind: \"auction\", start_price: I})",
    "delist(S, I)",
    "listing(I)",
    "shop(S)",
    "shop_html(S)",
    "buy(S, I)",
    "buy(S, I, #{profile: S})",
    "order(I)",
    "deliver(S, I)",
    "pay(S, I)",
    "bid(S, I, I)",
    "make_offer(S, I, I)",
    "counter_offer(S, I, I)",
    "accept_offer(S, I)",
    "reject_offer(S, I)",
    "offer(I)",
    "accept_push(S, I)",
    "decline_push(S, I)",
    "backorder(S, S)",
    "trade_breaches(S)",
    "metrics()",
    "fork().run(|| advance(S))",
    "fork().set_policy(S, I)",
    "fork().metrics()",
    "set_policy(\"behaviour.renew_first\", 0.5)",
];

const STRINGS: &[&str] = &[
    "\"alice\"",
    "\"alice/ops\"",
    "\"x.com\"",
    "\"EXAMPLE.com\"",
    "\"例子.cn\"",
    "\"a..b\"",
    "\"\"",
    "\"tlds.com.grace_days\"",
    "\"tlds.com.max_term_years\"",
    "\"tlds.cn.redemption_days\"",
    "\"30d\"",
    "\"99999999999999999999y\"",
    "\"1y\"",
    "\"-1d\"",
    "\"2027-01-01\"",
    "\"9999-12-31T23:59:59Z\"",
    "\"1970-01-01\"",
    "\"transfer\"",
    "\"com\"",
    "\"renew\"",
    "\"xn--zz\"",
    "\"\\u{0}\"",
    "\"A\"",
    "\"CNAME\"",
    "\"MX\"",
    "\"www\"",
    "\"*\"",
    "\"@\"",
    "\"192.0.2.1\"",
    "\"p\"",
    "\"CN\"",
    "\"li@example.cn\"",
    "\"+8613800138000\"",
    "\"id_card\"",
    "\"110101199003071234\"",
    "\"mainland\"",
    "\"filing\"",
    "\"dns\"",
    "\"*\"",
    "\"rules.review_business_days\"",
    "\"alice/dns\"",
];

const INTS: &[&str] = &[
    "0",
    "1",
    "-1",
    "10",
    "11",
    "9223372036854775807",
    "-9223372036854775808",
    "86400",
    "100000",
];

fn fill(template: &str, picks: &[usize]) -> String {
    let mut out = String::new();
    let mut i = 0;
    for ch in template.chars() {
        let p = picks.get(i).copied().unwrap_or(0);
        match ch {
            'S' => {
                out.push_str(STRINGS[p % STRINGS.len()]);
                i += 1;
            }
            'I' => {
                out.push_str(INTS[p % INTS.len()]);
                i += 1;
            }
            c => out.push(c),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn names_never_panic(s in "\\PC{0,80}") {
        let w = default_world(LoadOptions::default());
        let _ = regsim::ops::check(&w, &s);
        let _ = regsim::ops::views::whois(&w, &s);
        let _ = regsim::model::name::normalize(&s);
        let _ = regsim::sim::Time::parse(&s);
        let _ = regsim::sim::parse_span(&s);
    }

    #[test]
    fn fixture_text_never_panics(lines in proptest::collection::vec(0..FIXTURE_LINES.len(), 0..14), noise in "\\PC{0,20}") {
        let mut text: String = lines.iter().map(|i| format!("{}\n", FIXTURE_LINES[*i])).collect();
        text.push_str(&noise);
        let _ = load_str("fuzz.yaml", &text, LoadOptions::default());
    }

    #[test]
    fn scripts_of_random_calls_never_panic(calls in proptest::collection::vec((0..CALLS.len(), proptest::collection::vec(0usize..64, 4)), 1..25)) {
        let mut text = String::from("open_account(\"alice\", #{balance: 1000000});\ntry { create_ram_user(\"alice\", \"dns\", [\"dns\"]); register(\"alice\", \"x.com\", 1); } catch (e) { }\n");
        for (c, picks) in &calls {
            text.push_str(&format!("try {{ {}; }} catch (e) {{ }}\n", fill(CALLS[*c], picks)));
        }
        run_text("calls", &text);
    }
}

#[test]
fn mutilated_scenarios_never_panic() {
    let files = regsim::script::suite::discover(std::path::Path::new("scenarios"));
    for (n, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        let len = text.len();
        for k in 1..6 {
            // Cut a slice out at a few places (on char boundaries).
            let mut a = len * k / 7;
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (a + 7 * k).min(len);
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            let cut = format!("{}{}", &text[..a], &text[b..]);
            run_text(&format!("cut{n}_{k}"), &cut);
        }
    }
}

/// The fuzzer found this: at the clock's last representable month the month-end and
/// daily timers were scheduled at the same instant again and again, so an advance to
/// the end of time never returned.
#[test]
fn advancing_to_the_end_of_time_terminates() {
    let fixture = "start: 9999-10-01\ngenerate: { domains: 200, accounts: 5 }\nbehaviour:\n  new_per_day: { com: 2 }\n";
    let mut w = regsim::fixture::load_str("end.yaml", fixture, Default::default()).unwrap();
    regsim::dispatch::advance_until(&mut w, "9999-12-31T23:59:59Z").unwrap();
    assert_eq!(w.now().to_string(), "9999-12-31T23:59:59Z");
    assert_eq!(
        w.metrics.months.len(),
        2,
        "October and November end inside the range"
    );
}

/// The fuzzer found this too: `metrics()` built each month's row from the series up to
/// that month, quadratic in the months — a run to the clock's end has about 96,000.
#[test]
fn metrics_of_a_run_to_the_end_of_time_come_back() {
    let dir = std::env::temp_dir().join(format!("regsim-end-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("end.rhai");
    std::fs::write(
        &script,
        "advance_to(\"9999-12-31\");\nlet m = metrics();\nassert_eq(m.monthly.len(), 95687);\nassert_eq(m.monthly[95686].month, \"9999-11\");\n",
    )
    .unwrap();
    let sc = regsim::script::Scenario {
        script: script.clone(),
        limits: regsim::script::Limits {
            max_map_size: 0,
            max_array_size: 0,
            ..Default::default()
        },
        ..Default::default()
    };
    let outcome = regsim::script::run_scenario(&sc).unwrap();
    assert!(outcome.passed());
    std::fs::remove_dir_all(&dir).ok();
}

/// The behaviour model registers the names it builds without parsing them again; under
/// a TLD so long that label and TLD pass 253 octets, its names must still be refused,
/// as a script's would be (and nothing may panic).
#[test]
fn generated_names_under_a_very_long_tld_are_refused() {
    let label = "a".repeat(60);
    // 245 octets: with a dot, labels of 5 to 7 letters fit in 253, longer ones do not.
    let tld = format!("{label}.{label}.{label}.{}", "b".repeat(62));
    assert_eq!(tld.len(), 245);
    let fixture = format!(
        "start: 2026-01-01\ntlds:\n  {tld}: {{register: 100}}\nbehaviour:\n  new_per_day: {{ {tld}: 50 }}\n"
    );
    let mut w = regsim::fixture::load_str("long.yaml", &fixture, Default::default()).unwrap();
    regsim::dispatch::advance(&mut w, "5d").unwrap();
    let under_long: Vec<String> = w
        .live_domains()
        .map(|(_, d)| w.names[d.name].to_string())
        .filter(|n| n.ends_with(&tld))
        .collect();
    assert!(!under_long.is_empty(), "short labels fit: {under_long:?}");
    for name in &under_long {
        assert!(name.len() <= 253, "{name} is {} octets", name.len());
    }
    let too_long = format!("{}.{tld}", "c".repeat(14));
    let refused = regsim::ops::check(&w, &too_long);
    assert!(refused.is_err(), "a 254-octet name is not a name");
}
