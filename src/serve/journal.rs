//! The request journal: with `--journal FILE`, every request that may change the world
//! (a record change, a clock move) is appended to FILE and flushed to disk *before* it
//! is applied, so nothing acknowledged is lost. Starting again with the same journal
//! and the same world re-applies it and goes on; `regsim replay` re-runs it offline.
//! Requests are re-applied as they were first applied — refusals included — so the
//! world comes back with the same digest.
//!
//! Format: JSON lines. The first names the regsim version and the BLAKE3 of the world
//! the journal started from (its snapshot bytes); each later line is one request.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One line of a journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Entry {
    /// The first line: what the journal applies to.
    Head {
        /// The regsim version that wrote it.
        regsim_version: String,
        /// BLAKE3 of the starting world's snapshot bytes.
        world_blake3: String,
    },
    /// An API request, authenticated: who, which action, with what.
    Api {
        /// The actor (`alice`, `alice/ops`).
        actor: String,
        /// The API version.
        version: String,
        /// The action.
        action: String,
        /// The parameters as received.
        params: Vec<(String, String)>,
    },
    /// A control request (`/_regsim/WHAT?QUERY`).
    Control {
        /// The control.
        what: String,
        /// Its query string.
        query: String,
    },
}

/// An open journal, appending.
pub(crate) struct Journal {
    file: std::fs::File,
    path: PathBuf,
}

/// The identity of a starting world: BLAKE3 of its snapshot bytes.
pub(crate) fn world_hash(world: &crate::model::World) -> Result<String, String> {
    let bytes = crate::snapshot::to_bytes(world)?;
    Ok(blake3::hash(&bytes).to_hex().to_string())
}

impl Journal {
    /// Opens `path` for a server starting from a world whose hash is `world`: a new
    /// journal, or an existing one of the same world with the requests it holds (to
    /// re-apply first). Refuses a journal of another world or version.
    pub fn open(path: &Path, world: &str) -> Result<(Journal, Vec<Entry>), String> {
        let head = Entry::Head {
            regsim_version: env!("CARGO_PKG_VERSION").to_string(),
            world_blake3: world.to_string(),
        };
        let entries = if path.exists() {
            let entries = read(path)?;
            if entries.first() != Some(&head) {
                return Err(format!(
                    "{} is the journal of another world or regsim version; start from the world it was written for, or give a new journal",
                    path.display()
                ));
            }
            // Write it again whole, so that a line cut short by a kill is gone before
            // anything is appended after it.
            let mut text = String::new();
            for e in &entries {
                text += &(serde_json::to_string(e).map_err(|e| e.to_string())? + "\n");
            }
            crate::files::write_atomically(path, text.as_bytes())
                .map_err(|e| format!("cannot write {e}"))?;
            entries.into_iter().skip(1).collect()
        } else {
            let line = serde_json::to_string(&head).map_err(|e| e.to_string())? + "\n";
            crate::files::write_atomically(path, line.as_bytes())
                .map_err(|e| format!("cannot write {e}"))?;
            Vec::new()
        };
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        Ok((
            Journal {
                file,
                path: path.to_path_buf(),
            },
            entries,
        ))
    }

    /// Appends an entry and waits until it is on disk.
    pub(crate) fn append(&mut self, entry: &Entry) -> Result<(), String> {
        let line = serde_json::to_string(entry).map_err(|e| e.to_string())? + "\n";
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }
}

/// Reads a journal's entries, head first. A last line cut short (the server was
/// killed while writing it, so it was never applied nor answered) is left out.
pub fn read(path: &Path) -> Result<Vec<Entry>, String> {
    let text = crate::files::read_text(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        match serde_json::from_str::<Entry>(line) {
            Ok(e) => entries.push(e),
            Err(_) if n + 1 == lines.len() && !text.ends_with('\n') => {}
            Err(e) => return Err(format!("{}:{}: {e}", path.display(), n + 1)),
        }
    }
    if !matches!(entries.first(), Some(Entry::Head { .. })) {
        return Err(format!(
            "{} does not start with a journal head",
            path.display()
        ));
    }
    Ok(entries)
}
