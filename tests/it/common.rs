//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

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
