//! A compact append-only store: items postcard-encoded back to back in chunks of about
//! [`CHUNK`] bytes (no item straddles two, no chunk is ever reallocated); a full chunk
//! is sealed with LZ4, and everything is read back by decoding on demand. A run's kept
//! events and ledger postings live here, at a few bytes each instead of a heap object
//! or a 40- to 64-byte struct each. Each chunk notes a caller's mark (a day) for its
//! first item, so that a reader can start near a mark.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::marker::PhantomData;

/// Bytes a chunk holds before the next one starts.
pub(crate) const CHUNK: usize = 1 << 20;

/// One chunk: open (being filled, plain) or sealed (LZ4, its plain size prepended).
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Chunk {
    Open(Vec<u8>),
    Sealed(Vec<u8>),
}

impl Chunk {
    /// The chunk's plain bytes (decompressed when sealed; a damaged one reads as empty).
    fn plain(&self) -> Cow<'_, [u8]> {
        match self {
            Chunk::Open(b) => Cow::Borrowed(b),
            Chunk::Sealed(z) => {
                Cow::Owned(lz4_flex::block::decompress_size_prepended(z).unwrap_or_default())
            }
        }
    }
}

/// Items of type `T`, stored compactly in order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Chunked<T> {
    chunks: Vec<Chunk>,
    /// Per chunk: the mark of its first item.
    marks: Vec<i64>,
    len: u64,
    #[serde(skip)]
    _items: PhantomData<T>,
}

impl<T> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked {
            chunks: Vec::new(),
            marks: Vec::new(),
            len: 0,
            _items: PhantomData,
        }
    }
}

impl<T: Serialize + DeserializeOwned> Chunked<T> {
    /// Appends an item; `mark` (non-decreasing, e.g. its day) labels the chunk it opens.
    pub fn push(&mut self, mark: i64, item: &T) {
        let full = match self.chunks.last() {
            None => true,
            Some(Chunk::Open(b)) => b.len() >= CHUNK,
            Some(Chunk::Sealed(_)) => true,
        };
        if full {
            self.seal_last();
            self.chunks
                .push(Chunk::Open(Vec::with_capacity(CHUNK + 256)));
            self.marks.push(mark);
        }
        if let Some(Chunk::Open(chunk)) = self.chunks.last_mut() {
            // Encoding into a Vec cannot fail for plain data.
            let _ = postcard::to_io(item, &mut *chunk);
        }
        self.len += 1;
    }

    /// Compresses the last chunk if it is open (out of line: once a mebibyte).
    #[inline(never)]
    fn seal_last(&mut self) {
        if let Some(last) = self.chunks.last_mut()
            && let Chunk::Open(b) = last
        {
            *last = Chunk::Sealed(lz4_flex::block::compress_prepend_size(b));
        }
    }

    /// How many items are stored.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every item, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.iter_from_chunk(0)
    }

    /// The items from the first chunk that may hold items marked `mark` on (items of
    /// earlier marks may come first: the caller skips them).
    pub(crate) fn iter_near(&self, mark: i64) -> impl Iterator<Item = T> + '_ {
        let first = self.marks.partition_point(|m| *m < mark).saturating_sub(1);
        self.iter_from_chunk(first)
    }

    fn iter_from_chunk(&self, first: usize) -> impl Iterator<Item = T> + '_ {
        self.chunks.iter().skip(first).flat_map(|chunk| {
            let plain = chunk.plain();
            let mut at = 0;
            std::iter::from_fn(move || {
                let rest = plain.get(at..).filter(|r| !r.is_empty())?;
                let (item, tail) = postcard::take_from_bytes(rest).ok()?;
                at = plain.len() - tail.len();
                Some(item)
            })
        })
    }

    /// Empties the store.
    pub fn clear(&mut self) {
        *self = Chunked::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes reserved for a store's items.
    fn bytes<T>(c: &Chunked<T>) -> usize {
        c.chunks
            .iter()
            .map(|c| match c {
                Chunk::Open(b) | Chunk::Sealed(b) => b.capacity(),
            })
            .sum()
    }

    #[test]
    fn items_come_back_in_order_across_chunks_and_from_a_mark() {
        let mut c: Chunked<(u64, String)> = Chunked::default();
        let text = "x".repeat(1000);
        for i in 0..3_000u64 {
            c.push(i as i64 / 100, &(i, text.clone()));
        }
        assert_eq!(c.len(), 3_000);
        assert!(c.chunks.len() >= 3, "about 1 MiB a chunk");
        assert!(bytes(&c) < 3 * CHUNK, "full chunks are sealed, compressed");
        assert!(c.iter().map(|(i, _)| i).eq(0..3_000));
        // From mark 25 on: the chunk holding it starts at or before item 2,500.
        let from: Vec<u64> = c.iter_near(25).map(|(i, _)| i).collect();
        assert!(from[0] <= 2_500 && *from.last().unwrap() == 2_999);
        assert!(from.windows(2).all(|w| w[1] == w[0] + 1));
        c.clear();
        assert!(c.is_empty() && c.iter().next().is_none());
    }
}
