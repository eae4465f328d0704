//! Snapshots: the whole world — clock, timers, random streams, ledger, event log and
//! digest state — written to a file and read back, so that a restored run goes on
//! exactly as the original would have.
//!
//! The format: the 8-byte magic (which names the format version), the body's length
//! (8 bytes, little-endian), the body (the world in postcard), and a BLAKE3 hash of
//! everything before it (32 bytes). A file that is cut short, has bytes after the end,
//! or differs from what was written in any byte is refused as damaged; a body that
//! decodes is then checked for references that point nowhere ([`World::validate`]).

use crate::model::World;
use std::path::Path;

const MAGIC: &[u8; 8] = b"REGSIM\x00\x0b";
/// Bytes before the body: the magic and the body's length.
const HEADER: usize = 16;
/// Bytes after the body: the BLAKE3 hash.
const TRAILER: usize = 32;

/// Encodes a world to bytes.
pub fn to_bytes(world: &World) -> Result<Vec<u8>, String> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&[0; 8]);
    postcard::to_io(world, &mut out).map_err(|e| format!("cannot encode the world: {e}"))?;
    let len = (out.len() - HEADER) as u64;
    out[8..HEADER].copy_from_slice(&len.to_le_bytes());
    let hash = blake3::hash(&out);
    out.extend_from_slice(hash.as_bytes());
    Ok(out)
}

/// Decodes a world from bytes written by [`to_bytes`].
pub fn from_bytes(bytes: &[u8]) -> Result<World, String> {
    let mut world = decode(bytes)?;
    world.reindex();
    Ok(world)
}

/// Checks the frame (magic, length, hash) and decodes the stored part of a world,
/// checking its references; [`World::reindex`] rebuilds the rest.
fn decode(bytes: &[u8]) -> Result<World, String> {
    if bytes.len() < MAGIC.len() || !bytes.starts_with(&MAGIC[..6]) {
        return Err("not a regsim snapshot".into());
    }
    if !bytes.starts_with(MAGIC) {
        return Err(format!(
            "a snapshot of format {}, but this regsim reads format {} only",
            bytes[7], MAGIC[7]
        ));
    }
    let damaged = |why: &str| format!("the snapshot is damaged: {why}");
    let Some(len) = bytes.get(8..HEADER) else {
        return Err(damaged("it is cut short"));
    };
    let len = u64::from_le_bytes(len.try_into().expect("8 bytes"));
    let expected = usize::try_from(len)
        .ok()
        .and_then(|l| l.checked_add(HEADER + TRAILER));
    match expected {
        Some(n) if n == bytes.len() => {}
        Some(n) if n > bytes.len() => return Err(damaged("it is cut short")),
        _ => return Err(damaged("it has bytes after its end")),
    }
    let (framed, hash) = bytes.split_at(bytes.len() - TRAILER);
    if blake3::hash(framed).as_bytes() != hash {
        return Err(damaged("its checksum does not match its content"));
    }
    let world: World =
        postcard::from_bytes(&framed[HEADER..]).map_err(|e| damaged(&e.to_string()))?;
    world.validate().map_err(|e| damaged(&e))?;
    Ok(world)
}

/// Writes a snapshot file: to a temporary file in the same folder, flushed to disk,
/// then renamed over `path`, so that a writer stopped midway leaves the old file whole.
pub fn save(world: &World, path: &Path) -> Result<(), String> {
    let bytes = to_bytes(world)?;
    crate::files::write_atomically(path, &bytes).map_err(|e| format!("cannot write snapshot {e}"))
}

/// The most a snapshot file may hold (64 GiB): past it, a file is refused before it is
/// read (a 10-million-domain world is about 0.6 GiB).
pub(crate) const MAX_SNAPSHOT_BYTES: u64 = 64 << 30;

/// Reads a snapshot file. Anything but a regular file (a FIFO, `/dev/zero`) is refused
/// before reading.
pub fn load(path: &Path) -> Result<World, String> {
    let bytes = crate::files::read_regular(path, MAX_SNAPSHOT_BYTES)
        .map_err(|e| format!("cannot read snapshot {}: {e}", path.display()))?;
    let mut world = decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    // The file's bytes go before the lookup tables are built: a 10M-domain world and
    // its snapshot are each over half a gigabyte.
    drop(bytes);
    world.reindex();
    Ok(world)
}
