//! Snapshots: the whole world — clock, timers, random streams, ledger, event log and
//! digest state — written to a file and read back, so that a restored run goes on
//! exactly as the original would have.

use crate::model::World;
use std::io::{Read, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"REGSIM\x00\x05";

/// Encodes a world to bytes.
pub fn to_bytes(world: &World) -> Result<Vec<u8>, String> {
    let mut out = MAGIC.to_vec();
    postcard::to_io(world, &mut out).map_err(|e| format!("cannot encode the world: {e}"))?;
    Ok(out)
}

/// Decodes a world from bytes written by [`to_bytes`].
pub fn from_bytes(bytes: &[u8]) -> Result<World, String> {
    let mut world = decode(bytes)?;
    world.reindex();
    Ok(world)
}

/// Decodes the stored part of a world; [`World::reindex`] rebuilds the rest.
fn decode(bytes: &[u8]) -> Result<World, String> {
    let body = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or("not a regsim snapshot of this version")?;
    postcard::from_bytes(body).map_err(|e| format!("the snapshot is damaged: {e}"))
}

/// Writes a snapshot file.
pub fn save(world: &World, path: &Path) -> Result<(), String> {
    let bytes = to_bytes(world)?;
    let mut f = std::fs::File::create(path)
        .map_err(|e| format!("cannot write snapshot {}: {e}", path.display()))?;
    f.write_all(&bytes)
        .map_err(|e| format!("cannot write snapshot {}: {e}", path.display()))
}

/// Reads a snapshot file.
pub fn load(path: &Path) -> Result<World, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read snapshot {}: {e}", path.display()))?;
    let mut world = decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    // The file's bytes go before the lookup tables are built: a 10M-domain world and
    // its snapshot are each over half a gigabyte.
    drop(bytes);
    world.reindex();
    Ok(world)
}
