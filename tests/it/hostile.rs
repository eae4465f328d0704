//! Hostile input (issue 22): damaged snapshots, files that are not regular files, and
//! writers stopped midway never crash regsim, run on silently, or lose a kept file.

use crate::common::{regsim, stderr};
use regsim::fixture::{LoadOptions, load_str};
use regsim::ops;
use regsim::snapshot;

const FIXTURE: &str = r#"
accounts:
  - { id: li, balance: 1000000 }
  - { id: wang, balance: 1000000 }
profiles:
  - { id: li, owner: li, name: Li Lei, email: li@example.cn, country: CN, real_name: verified }
domains:
  - { name: a.com, owner: li, profile: li, created: 2025-05-01, years: 2 }
  - { name: b.cn, owner: wang, created: 2025-05-01, years: 1 }
"#;

fn small_world() -> regsim::model::World {
    let mut w = load_str("h.yaml", FIXTURE, LoadOptions::default()).unwrap();
    ops::register(&mut w, "li", "c.com", 1, &Default::default()).unwrap();
    regsim::dispatch::advance(&mut w, "40d").unwrap();
    w
}

#[test]
fn every_single_byte_flip_of_a_snapshot_is_refused() {
    let bytes = snapshot::to_bytes(&small_world()).unwrap();
    assert!(snapshot::from_bytes(&bytes).is_ok());
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[i] ^= flip;
            assert!(
                snapshot::from_bytes(&damaged).is_err(),
                "a flip of byte {i} by {flip:#x} was accepted"
            );
        }
    }
}

#[test]
fn cut_padded_and_blank_snapshots_are_refused() {
    let bytes = snapshot::to_bytes(&small_world()).unwrap();
    for len in [0, 4, 8, 16, 100, bytes.len() - 1] {
        let e = snapshot::from_bytes(&bytes[..len]).unwrap_err();
        assert!(e.contains("snapshot"), "{e}");
    }
    let mut padded = bytes.clone();
    padded.extend_from_slice(b"garbage");
    assert!(
        snapshot::from_bytes(&padded)
            .unwrap_err()
            .contains("after its end")
    );
    // The header followed by zeros is no empty world.
    let mut blank = bytes[..8].to_vec();
    blank.resize(4096, 0);
    assert!(snapshot::from_bytes(&blank).is_err());
    // Another format version is named as such.
    let mut other = bytes.clone();
    other[7] = other[7].wrapping_add(1);
    assert!(snapshot::from_bytes(&other).unwrap_err().contains("format"));
}

#[test]
fn a_well_framed_snapshot_with_a_broken_reference_is_refused() {
    let mut w = small_world();
    let slot = w.domains.iter().position(Option::is_some).unwrap();
    w.domains[slot].as_mut().unwrap().owner = 999;
    let e = snapshot::from_bytes(&snapshot::to_bytes(&w).unwrap()).unwrap_err();
    assert!(e.contains("a domain points nowhere"), "{e}");

    let mut w = small_world();
    w.domains[slot].as_mut().unwrap().tld = 999;
    assert!(snapshot::from_bytes(&snapshot::to_bytes(&w).unwrap()).is_err());

    let mut w = small_world();
    w.profiles[0].owner = 77;
    assert!(snapshot::from_bytes(&snapshot::to_bytes(&w).unwrap()).is_err());
}

#[test]
fn snapshots_are_written_whole_or_not_at_all() {
    let path = crate::common::temp("hostile", "world.snap");
    let dir = path.parent().unwrap().to_path_buf();
    let w = small_world();
    snapshot::save(&w, &path).unwrap();
    let first = std::fs::read(&path).unwrap();
    // A save into a folder that does not exist fails and leaves nothing behind.
    let missing = dir.join("no-such-folder").join("x.snap");
    assert!(snapshot::save(&w, &missing).is_err());
    // Saving again replaces the file in one step; no temporary file is left.
    snapshot::save(&small_world(), &path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), first);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("world.snap")]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn snapshots_that_are_not_regular_files_are_refused_before_reading() {
    for path in ["/dev/zero", "/dev/urandom", "/"] {
        let e = snapshot::load(std::path::Path::new(path)).unwrap_err();
        assert!(
            e.contains(path) && e.contains("not a regular file"),
            "{path}: {e}"
        );
    }
}

fn temp(name: &str) -> std::path::PathBuf {
    crate::common::temp("hostile-cli", name)
}

#[test]
fn inputs_that_are_not_regular_files_exit_2_naming_the_file() {
    let script = temp("ok.rhai");
    std::fs::write(&script, "advance(\"1d\");\n").unwrap();
    let script = script.to_str().unwrap();
    for args in [
        vec!["run", "/dev/zero"],
        vec!["run", script, "--fixture", "/dev/urandom"],
        vec!["run", script, "--from-snapshot", "/dev/zero"],
    ] {
        let o = regsim(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not a regular file"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_damaged_snapshot_on_the_command_line_exits_2_naming_it() {
    let script = temp("save.rhai");
    std::fs::write(&script, "advance(\"10d\");\n").unwrap();
    let snap = temp("w.snap");
    let (script, snap_s) = (script.to_str().unwrap(), snap.to_str().unwrap());
    assert_eq!(
        regsim(&["run", script, "--save-snapshot", snap_s])
            .status
            .code(),
        Some(0)
    );
    let mut bytes = std::fs::read(&snap).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    std::fs::write(&snap, &bytes).unwrap();
    let o = regsim(&["run", script, "--from-snapshot", snap_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(snap_s) && stderr(&o).contains("damaged"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn arguments_that_would_change_nothing_are_refused() {
    let script = temp("args.rhai");
    std::fs::write(&script, "advance(\"1d\");\n").unwrap();
    let snap = temp("args.snap");
    let (script, snap) = (script.to_str().unwrap(), snap.to_str().unwrap());
    let o = regsim(&["run", script, "--set", "tlds.com.grace_days="]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no value"), "{}", stderr(&o));
    assert_eq!(
        regsim(&["run", script, "--save-snapshot", snap])
            .status
            .code(),
        Some(0)
    );
    let o = regsim(&["run", script, "--from-snapshot", snap, "--seed", "9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--seed"), "{}", stderr(&o));
}

#[test]
fn a_full_or_closed_standard_output_never_panics() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_regsim"))
        .arg("api")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write to standard output"),
        "{}",
        stderr(&o)
    );

    // A reader that stops after one line (`| head -1`).
    let mut child = Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(["test", "scenarios/lifecycle"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("ok"), "{first}");
    let o = child.wait_with_output().unwrap();
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn import_cycles_and_links_out_of_the_sandbox_are_refused() {
    let dir = temp("imports");
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(dir.join("a.rhai"), "import \"b\" as b;\nfn f() { 1 }\n").unwrap();
    std::fs::write(dir.join("b.rhai"), "import \"a\" as a;\nfn g() { 2 }\n").unwrap();
    std::fs::write(dir.join("me.rhai"), "import \"me\" as me;\n").unwrap();
    std::fs::write(dir.join("cycle.rhai"), "import \"a\" as a;\n").unwrap();
    std::fs::write(dir.join("self.rhai"), "import \"me\" as m;\n").unwrap();
    for script in ["cycle.rhai", "self.rhai"] {
        let o = regsim(&["run", dir.join(script).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{script}: {}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("import cycle"), "{script}: {out}");
    }
    // A symbolic link in the scenario's folder to a text outside it: refused before its
    // text is read, so a parse error cannot show it.
    let outside = temp("outside.rhai");
    std::fs::write(&outside, "the secret text\n").unwrap();
    let link = dir.join("lib").join("secret.rhai");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    std::fs::write(dir.join("leak.rhai"), "import \"lib/secret\" as s;\n").unwrap();
    let o = regsim(&["run", dir.join("leak.rhai").to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + stderr(&o).as_str();
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("leads outside"), "{out}");
    assert!(!out.contains("secret text"), "{out}");
}

#[test]
fn deep_recursion_stops_at_its_limit_and_the_limit_is_bounded() {
    let script = temp("recursion.rhai");
    std::fs::write(&script, "fn r(n) { r(n + 1) }\nr(0);\n").unwrap();
    let script = script.to_str().unwrap();
    for depth in ["2500", "10000"] {
        let o = regsim(&["run", script, "--max-call-depth", depth]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{depth}: {}", stderr(&o));
        assert!(
            out.contains("calls nested deeper than the limit"),
            "{depth}: {out}"
        );
    }
    let o = regsim(&["run", script, "--max-call-depth", "10001"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at most 10000"), "{}", stderr(&o));
}

#[test]
fn duplicate_yaml_keys_are_refused_naming_both_places() {
    let script = temp("dups.rhai");
    std::fs::write(&script, "advance(\"1d\");\n").unwrap();
    let cases = [
        (
            "accounts:\n  - id: a\n    ram_users: { ops: [read], ops: [\"*\"] }\n",
            "accounts[0].ram_users.ops",
            (3, 3),
        ),
        (
            "tlds:\n  com: { grace_days: 10 }\n  com: { grace_days: 1 }\n",
            "tlds.com",
            (2, 3),
        ),
        ("seed: 1\nstart: 2026-01-01\nseed: 2\n", "seed", (1, 3)),
    ];
    for (i, (text, path, (first, second))) in cases.into_iter().enumerate() {
        let fixture = temp(&format!("dup{i}.yaml"));
        std::fs::write(&fixture, text).unwrap();
        let o = regsim(&[
            "run",
            script.to_str().unwrap(),
            "--fixture",
            fixture.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(&format!(".yaml:{second}:")), "{err}");
        assert!(err.contains(path) && err.contains("given twice"), "{err}");
        assert!(err.contains(&format!("first at line {first}")), "{err}");
    }
    // A study's variants too.
    let dir = temp("dupstudy");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("f.yaml"), "seed: 1\n").unwrap();
    let study = dir.join("s.yaml");
    std::fs::write(
        &study,
        "fixture: f.yaml\nhorizon: 30d\nseeds: 1\nvariants:\n  a: {}\n  a: { tlds.com.grace_days: 1 }\n",
    )
    .unwrap();
    let o = regsim(&[
        "sweep",
        study.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("variants.a") && stderr(&o).contains("given twice"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn deeply_nested_yaml_is_refused_at_once() {
    let script = temp("deep.rhai");
    std::fs::write(&script, "advance(\"1d\");\n").unwrap();
    let fixture = temp("deep.yaml");
    std::fs::write(&fixture, format!("accounts: {}\n", "[".repeat(200_000))).unwrap();
    // Refused by a linear scan before the YAML reader's quadratic work (34 s before).
    let o = regsim(&[
        "run",
        script.to_str().unwrap(),
        "--fixture",
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nest deeper than 64"), "{}", stderr(&o));
    let o = regsim(&[
        "run",
        script.to_str().unwrap(),
        "--set",
        &format!("tlds.com.reminder_days_before_expiry={}", "[".repeat(100)),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_array_grown_one_element_at_a_time_is_stopped_at_its_limit() {
    // rhai checks a whole array after each push (time quadratic in its size): at the
    // earlier default of 1,000,000 elements this loop ran for minutes.
    let script = temp("push.rhai");
    std::fs::write(&script, "let a = [];\nloop { a.push(1); }\n").unwrap();
    let o = regsim(&["run", script.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("grew past its limit"), "{out}");
}

#[test]
fn forks_held_in_a_loop_are_stopped_by_the_memory_budget() {
    let script = temp("forks.rhai");
    std::fs::write(
        &script,
        "open_account(\"a\", #{ balance: 10000000 });\nfor i in 0..200 { register(\"a\", `d${i}.com`, 1); }\nlet forks = [];\nloop { forks.push(fork()); }\n",
    )
    .unwrap();
    let o = regsim(&["run", script.to_str().unwrap(), "--max-memory", "64"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("past its --max-memory of 64 MiB"), "{out}");
}

#[test]
fn pages_are_well_formed_whatever_the_names_hold() {
    let fixture = r#"
accounts:
  - { id: li, balance: 1000000 }
profiles:
  - { id: li, owner: li, name: "Li & <Lei> \"Q\"", organization: "R&D <Co>", email: li@example.cn, country: CN, real_name: verified }
domains:
  - { name: a.com, owner: li, profile: li, created: 2025-05-01, years: 2 }
"#;
    let mut w = load_str("p.yaml", fixture, LoadOptions::default()).unwrap();
    regsim::dispatch::advance(&mut w, "2d").unwrap();
    let input = regsim::market::listing::ListingInput {
        kind: "fixed".into(),
        price: Some(12345),
        ..Default::default()
    };
    regsim::market::listing::list_for_sale(&mut w, "li", "a.com", &input).unwrap();
    let cert = regsim::report::certificate::html(
        &regsim::ops::certificate::certificate(&w, "li", "a.com").unwrap(),
    );
    let shop = regsim::report::shop::html(&w, "li").unwrap();
    for (what, page) in [("certificate", &cert), ("shop", &shop)] {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(page, options)
            .unwrap_or_else(|e| panic!("the {what} page is not well-formed: {e}"));
        assert!(doc.root_element().has_tag_name("html"), "{what}");
        if what == "certificate" {
            // The registrant's markup is text on the page, not markup.
            let registrant = doc
                .descendants()
                .find(|n| n.has_tag_name("td") && n.text() == Some("R&D <Co>"));
            assert!(registrant.is_some(), "{cert}");
            assert!(!doc.descendants().any(|n| n.has_tag_name("Co")), "{cert}");
        }
    }
}

#[test]
fn tens_of_thousands_of_nested_closures_are_a_syntax_error_not_a_crash() {
    let script = temp("closures.rhai");
    std::fs::write(&script, format!("let f = {}1;\n", "|| ".repeat(50_000))).unwrap();
    let o = regsim(&["run", script.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("syntax error"), "{}", stderr(&o));
}

#[test]
fn a_map_grown_past_its_limit_is_stopped() {
    // rhai checks a map's size when the map itself changes (`+=`); a key added by
    // `m[k] = v` is checked only as the value it holds, so such a loop is stopped by the
    // operations limit or the memory budget instead (README, sandbox limits).
    let script = temp("map.rhai");
    std::fs::write(
        &script,
        "let m = #{};\nlet i = 0;\nloop { m[`k${i}`] = i; m += #{ last: i }; i += 1; }\n",
    )
    .unwrap();
    let o = regsim(&["run", script.to_str().unwrap(), "--max-map-size", "1000"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("grew past its limit") && out.contains("--max-map-size"),
        "{out}"
    );
    let only_indexed = temp("map2.rhai");
    std::fs::write(
        &only_indexed,
        "let m = #{};\nlet i = 0;\nloop { m[`k${i}`] = i; i += 1; }\n",
    )
    .unwrap();
    let o = regsim(&[
        "run",
        only_indexed.to_str().unwrap(),
        "--max-map-size",
        "1000",
        "--max-operations",
        "100000",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("more operations than its limit"));
}

#[test]
fn printed_output_is_streamed_not_held() {
    // 64 MB printed under a 48 MiB budget: held in memory it would be stopped.
    let script = temp("print.rhai");
    std::fs::write(
        &script,
        "let line = \"\";\nline.pad(16384, \"x\");\nfor i in 0..4096 { print(line); }\nprint(\"end\");\n",
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(["run", script.to_str().unwrap(), "--max-memory", "48"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = regsim(&["run", script.to_str().unwrap(), "--max-memory", "48"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("\nend\n"), "the printed lines come first");
    assert!(
        out.lines().last().unwrap().starts_with("digest: "),
        "the digest last"
    );
}
