//! Reading and writing the files a user gives and keeps: inputs must be regular files
//! of bounded size (a FIFO or `/dev/zero` is refused before it is read), and outputs
//! are written whole or not at all (a temporary file beside the target, flushed, then
//! renamed over it).

use std::io::{Read, Write};
use std::path::Path;

/// The most a text input (fixture, script, module, study) may hold: 64 MiB.
pub(crate) const MAX_TEXT_BYTES: u64 = 64 << 20;

/// Writes a file the user keeps: to a temporary file beside it, flushed, then renamed
/// over it. On failure the temporary file is removed and `path` is as it was.
/// The error names the path.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    renamed.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

/// Reads a whole regular file of at most `limit` bytes; refuses devices, FIFOs,
/// folders and larger files before reading them.
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    if meta.len() > limit {
        return Err(format!(
            "it holds {} bytes, more than the limit of {limit}",
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read still stops at the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("it holds more than the limit of {limit} bytes"));
    }
    Ok(bytes)
}

/// Reads a regular text file of at most [`MAX_TEXT_BYTES`], as UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_regular(path, MAX_TEXT_BYTES)?;
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
}
