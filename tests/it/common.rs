//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the regsim binary with `args`.
pub fn regsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(args)
        .output()
        .expect("regsim runs")
}

/// What a command wrote to its standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The path `name` in this test process's folder for `area` (made if missing), so
/// that tests in other areas, and other runs, never share a file.
pub fn temp(area: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("regsim-{area}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The Python of a virtual environment in `target/NAME` holding the pinned packages
/// of `requirements` (files relative to the project), made here when it is missing or
/// cannot import `probe`; `.ci/run` makes the same environments beforehand.
pub fn venv_python(name: &str, requirements: &[&str], probe: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join("target").join(name);
    let python = venv.join("bin/python");
    let ready = |p: &Path| {
        Command::new(p)
            .args(["-c", &format!("import {probe}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !ready(&python) {
        let made = Command::new("python3")
            .args(["-m", "venv", venv.to_str().unwrap()])
            .status()
            .expect("python3 runs");
        assert!(made.success(), "python3 -m venv {}", venv.display());
        let mut pip = Command::new(venv.join("bin/pip"));
        pip.args(["install", "-q"]).current_dir(root);
        for r in requirements {
            pip.args(["-r", r]);
        }
        assert!(
            pip.status().expect("pip runs").success(),
            "installing {requirements:?} into {}",
            venv.display()
        );
    }
    python
}
