//! The name table: every ASCII domain name the world has seen, interned to a dense
//! [`NameId`] in order of first sight.
//!
//! Built for portfolios of tens of millions of names: the text lives in one byte arena
//! (no allocation and no 24-byte string header per name), a name is found by its end
//! offset, and the lookup index is a SwissTable of entries (an id and the live domain
//! holding the name) whose hashes are recomputed from the arena when it grows. About 30
//! bytes a name in all, against about 50 for a set of owned strings.
//!
//! A name can be *forgotten* (see [`NameTable::forget`]): its id leaves the index but
//! keeps its text, so the index stays the size of the live portfolio while the records
//! that name old ids (events, journal, audit) still read right.

use super::domain::{DomainId, NameId};
use hashbrown::HashTable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::hash::BuildHasher;

/// Interned names, by dense id.
#[derive(Clone, Default)]
pub struct NameTable {
    /// Every name's bytes, back to back.
    bytes: Vec<u8>,
    /// End offset in `bytes` of each name, modulo 2^32; a name starts where the previous
    /// one ends.
    ends: Vec<u32>,
    /// The ids whose end offset passed each further 4 GiB of text (almost always
    /// empty): the high part of an offset is the number of these at or before the id.
    wraps: Vec<NameId>,
    /// Ids by the hash of their name, with the live domain holding the name; forgotten
    /// ids are not in it.
    index: HashTable<Entry>,
    /// One bit per id: set when the id was forgotten.
    forgotten: Vec<u64>,
    /// The id and hash of the name [`NameTable::set_live`] last marked, so that
    /// forgetting the name just released needs no second read of its text.
    recent: Option<(NameId, u32)>,
}

/// An index entry: a name's id and the live domain holding it (`NO_DOMAIN` when none).
/// Keeping the domain here, rather than in a table by id, costs nothing for the
/// released names that make up most ids of a long run.
#[derive(Clone, Copy, Debug)]
struct Entry {
    id: NameId,
    live: DomainId,
}

const NO_DOMAIN: DomainId = DomainId::MAX;

/// A name's hash as a domain keeps it ([`NameTable::hash_of`]): 32 bits, from which the
/// index's 64-bit hash is spread, so that a domain can find its name's entry without the
/// name's text.
fn hash32(name: &[u8]) -> u32 {
    let h = rustc_hash::FxBuildHasher.hash_one(name);
    (h ^ (h >> 32)) as u32
}

/// The index's hash of a name whose 32-bit hash is `h`.
fn spread(h: u32) -> u64 {
    crate::sim::rng::mix64(u64::from(h))
}

fn hash(name: &[u8]) -> u64 {
    spread(hash32(name))
}

impl NameTable {
    /// Number of names.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when no name was interned.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn end_of(ends: &[u32], wraps: &[NameId], id: NameId) -> usize {
        let high = wraps.partition_point(|w| *w <= id);
        (high << 32) | ends[id as usize] as usize
    }

    fn bytes_of<'a>(bytes: &'a [u8], ends: &[u32], wraps: &[NameId], id: NameId) -> &'a [u8] {
        let end = Self::end_of(ends, wraps, id);
        let start = if id == 0 {
            0
        } else {
            Self::end_of(ends, wraps, id - 1)
        };
        &bytes[start..end]
    }

    fn name_bytes(&self, id: NameId) -> &[u8] {
        Self::bytes_of(&self.bytes, &self.ends, &self.wraps, id)
    }

    /// The name with this id.
    pub fn get(&self, id: NameId) -> Option<&str> {
        ((id as usize) < self.ends.len()).then(|| {
            let b = self.name_bytes(id);
            // SAFETY: the arena is a concatenation of `&str`s (`intern`), or ASCII checked
            // when decoded, and a name's bytes are cut exactly at the ends of those
            // strings, so they are valid UTF-8.
            unsafe { std::str::from_utf8_unchecked(b) }
        })
    }

    /// The id of a name, if it was interned (and not forgotten), and the live domain
    /// holding it, if any.
    pub(crate) fn lookup(&self, name: &str) -> Option<(NameId, Option<DomainId>)> {
        let (bytes, ends, wraps) = (&self.bytes, &self.ends, &self.wraps);
        self.index
            .find(hash(name.as_bytes()), |e| {
                Self::bytes_of(bytes, ends, wraps, e.id) == name.as_bytes()
            })
            .map(|e| (e.id, (e.live != NO_DOMAIN).then_some(e.live)))
    }

    /// The id of a name, if it was interned (and not forgotten).
    pub(crate) fn id_of(&self, name: &str) -> Option<NameId> {
        self.lookup(name).map(|(id, _)| id)
    }

    /// The live domain holding the name with this id, if any.
    pub fn live(&self, id: NameId) -> Option<DomainId> {
        if id as usize >= self.ends.len() {
            return None;
        }
        self.index
            .find(hash(self.name_bytes(id)), |e| e.id == id)
            .and_then(|e| (e.live != NO_DOMAIN).then_some(e.live))
    }

    /// The hash of the name with this id, which a domain holding it keeps for
    /// [`NameTable::set_live`].
    pub(crate) fn hash_of(&self, id: NameId) -> u32 {
        if id as usize >= self.ends.len() {
            return 0;
        }
        hash32(self.name_bytes(id))
    }

    /// Records which live domain holds the name with this id (`None`: none), given the
    /// name's hash ([`NameTable::hash_of`]). The id must be in the index (interned and
    /// not forgotten).
    pub(crate) fn set_live(&mut self, id: NameId, name_hash: u32, domain: Option<DomainId>) {
        if id as usize >= self.ends.len() {
            return;
        }
        debug_assert_eq!(
            name_hash,
            self.hash_of(id),
            "a domain keeps its name's hash"
        );
        self.recent = Some((id, name_hash));
        if let Some(e) = self.index.find_mut(spread(name_hash), |e| e.id == id) {
            e.live = domain.unwrap_or(NO_DOMAIN);
        } else {
            debug_assert!(domain.is_none(), "a live name is never forgotten");
        }
    }

    /// Interns a name (normalised ASCII): its id, new or existing.
    pub(crate) fn intern(&mut self, name: &str) -> NameId {
        debug_assert!(name.is_ascii(), "names are interned in their ASCII form");
        if let Some(id) = self.id_of(name) {
            return id;
        }
        let id = self.ends.len() as NameId;
        let before = self.bytes.len();
        self.bytes.extend_from_slice(name.as_bytes());
        if before >> 32 != self.bytes.len() >> 32 {
            self.wraps.push(id);
        }
        self.ends.push(self.bytes.len() as u32);
        let (bytes, ends, wraps) = (&self.bytes, &self.ends, &self.wraps);
        let entry = Entry {
            id,
            live: NO_DOMAIN,
        };
        self.index.insert_unique(hash(name.as_bytes()), entry, |e| {
            hash(Self::bytes_of(bytes, ends, wraps, e.id))
        });
        id
    }

    /// Forgets a name's id: lookups no longer find it and interning the name again
    /// gives a new id, while the id still resolves to its text (for the records that
    /// name it). The world forgets the names of released domains that nothing refers
    /// to by id, so the index holds about as many names as there are domains. A name a
    /// live domain holds is never forgotten: the call leaves it as it is.
    pub(crate) fn forget(&mut self, id: NameId) {
        if self.is_forgotten(id) || id as usize >= self.ends.len() {
            return;
        }
        let h = match self.recent {
            Some((recent, h)) if recent == id => spread(h),
            _ => hash(self.name_bytes(id)),
        };
        if let Ok(entry) = self.index.find_entry(h, |e| e.id == id) {
            if entry.get().live != NO_DOMAIN {
                return;
            }
            entry.remove();
        }
        let (word, bit) = (id as usize / 64, id % 64);
        if self.forgotten.len() <= word {
            self.forgotten.resize(word + 1, 0);
        }
        self.forgotten[word] |= 1 << bit;
    }

    /// Whether an id was forgotten.
    pub(crate) fn is_forgotten(&self, id: NameId) -> bool {
        self.forgotten
            .get(id as usize / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    /// Ids in the index: those not forgotten.
    pub fn indexed(&self) -> usize {
        self.index.len()
    }

    /// Makes room for `n` more names of about `avg_len` bytes.
    pub fn reserve(&mut self, n: usize, avg_len: usize) {
        self.bytes.reserve(n * avg_len);
        self.ends.reserve_exact(n);
        let (bytes, ends, wraps) = (&self.bytes, &self.ends, &self.wraps);
        self.index
            .reserve(n, |e| hash(Self::bytes_of(bytes, ends, wraps, e.id)));
    }

    /// Builds the index from the arena, marking the names that `live` gives a live
    /// domain (pairs of name id and domain, in any order; pairs naming an id that is not
    /// indexed are ignored). A decoded table has no index until this is called: the
    /// owner knows the live domains, and marking them while building costs one pass
    /// instead of a second probe per name. Returns each live domain's name hash
    /// ([`NameTable::hash_of`]), taken in the same pass (pairs naming no id are left out).
    pub(crate) fn rebuild_index(
        &mut self,
        live: &mut [(NameId, DomainId)],
    ) -> Vec<(DomainId, u32)> {
        live.sort_unstable();
        let mut hashes = Vec::with_capacity(live.len());
        let mut live = live.iter().peekable();
        let forgotten: usize = self.forgotten.iter().map(|w| w.count_ones() as usize).sum();
        let mut index = HashTable::with_capacity(self.ends.len().saturating_sub(forgotten));
        let (bytes, ends, wraps) = (&self.bytes, &self.ends, &self.wraps);
        for id in 0..ends.len() as NameId {
            let h = hash32(Self::bytes_of(bytes, ends, wraps, id));
            let mut domain = NO_DOMAIN;
            while let Some((name, d)) = live.next_if(|(name, _)| *name <= id) {
                if *name == id {
                    domain = *d;
                    hashes.push((*d, h));
                }
            }
            if self.is_forgotten(id) {
                continue;
            }
            let entry = Entry { id, live: domain };
            index.insert_unique(spread(h), entry, |e| {
                hash(Self::bytes_of(bytes, ends, wraps, e.id))
            });
        }
        self.index = index;
        self.recent = None;
        hashes
    }
}

impl std::ops::Index<NameId> for NameTable {
    type Output = str;

    fn index(&self, id: NameId) -> &str {
        self.get(id).unwrap_or("?")
    }
}

impl std::fmt::Debug for NameTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NameTable({} names)", self.len())
    }
}

/// Encoded as the arena and the end offsets; the owner rebuilds the index after decoding
/// ([`NameTable::rebuild_index`]).
impl Serialize for NameTable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (
            serde_bytes_ref(&self.bytes),
            &self.ends,
            &self.wraps,
            &self.forgotten,
        )
            .serialize(s)
    }
}

/// The arena as one byte string (not a sequence of numbers).
fn serde_bytes_ref(b: &[u8]) -> impl Serialize + '_ {
    struct Bytes<'a>(&'a [u8]);
    impl Serialize for Bytes<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    Bytes(b)
}

impl<'de> Deserialize<'de> for NameTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NameTable, D::Error> {
        struct ByteBuf(Vec<u8>);
        impl<'de> Deserialize<'de> for ByteBuf {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ByteBuf, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = ByteBuf;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("name bytes")
                    }
                    fn visit_bytes<E>(self, v: &[u8]) -> Result<ByteBuf, E> {
                        Ok(ByteBuf(v.to_vec()))
                    }
                    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                        Ok(ByteBuf(v))
                    }
                }
                d.deserialize_byte_buf(V)
            }
        }
        let (ByteBuf(bytes), ends, wraps, forgotten): (ByteBuf, Vec<u32>, Vec<NameId>, Vec<u64>) =
            Deserialize::deserialize(d)?;
        let absolute = |id: usize| NameTable::end_of(&ends, &wraps, id as NameId);
        let sane = bytes.is_ascii()
            && wraps.windows(2).all(|w| w[0] < w[1])
            && wraps.last().is_none_or(|w| (*w as usize) < ends.len())
            && (1..ends.len()).all(|i| absolute(i - 1) <= absolute(i))
            && (ends.is_empty() || absolute(ends.len() - 1) == bytes.len())
            && (!ends.is_empty() || bytes.is_empty())
            && forgotten.len() <= ends.len().div_ceil(64);
        if !sane {
            return Err(serde::de::Error::custom("damaged name table"));
        }
        Ok(NameTable {
            bytes,
            ends,
            wraps,
            index: HashTable::new(),
            forgotten,
            recent: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_in_order_of_first_sight() {
        let mut t = NameTable::default();
        assert_eq!(t.intern("a.com"), 0);
        assert_eq!(t.intern("bb.net"), 1);
        assert_eq!(t.intern("a.com"), 0);
        assert_eq!(t.id_of("bb.net"), Some(1));
        assert_eq!(t.id_of("c.org"), None);
        assert_eq!(&t[1], "bb.net");
        assert_eq!(t.get(2), None);
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn survives_growth_and_encoding() {
        let mut t = NameTable::default();
        for i in 0..10_000 {
            assert_eq!(t.intern(&format!("n{i}.com")), i);
        }
        let bytes = postcard::to_allocvec(&t).unwrap();
        let mut back: NameTable = postcard::from_bytes(&bytes).unwrap();
        back.rebuild_index(&mut []);
        for i in 0..10_000u32 {
            assert_eq!(back.id_of(&format!("n{i}.com")), Some(i));
            assert_eq!(&back[i], format!("n{i}.com"));
        }
        assert_eq!(back.len(), 10_000);
    }

    #[test]
    fn a_forgotten_name_gets_a_new_id_and_keeps_its_text() {
        let mut t = NameTable::default();
        t.intern("a.com");
        t.intern("b.com");
        t.forget(0);
        assert!(t.is_forgotten(0) && !t.is_forgotten(1));
        assert_eq!(t.id_of("a.com"), None);
        assert_eq!(&t[0], "a.com");
        assert_eq!(t.intern("a.com"), 2);
        assert_eq!(t.id_of("a.com"), Some(2));
        assert_eq!(t.indexed(), 2);
        let mut back: NameTable =
            postcard::from_bytes(&postcard::to_allocvec(&t).unwrap()).unwrap();
        back.rebuild_index(&mut []);
        assert_eq!(back.id_of("a.com"), Some(2));
        assert_eq!(back.id_of("b.com"), Some(1));
        assert!(back.is_forgotten(0));
        assert_eq!(back.indexed(), 2);
    }

    #[test]
    fn the_index_knows_the_live_domain_of_each_name() {
        let mut t = NameTable::default();
        let a = t.intern("a.com");
        let b = t.intern("b.com");
        t.set_live(a, t.hash_of(a), Some(7));
        assert_eq!(t.lookup("a.com"), Some((a, Some(7))));
        t.forget(a);
        assert!(!t.is_forgotten(a), "a live name stays");
        assert_eq!(t.lookup("b.com"), Some((b, None)));
        assert_eq!(t.lookup("c.com"), None);
        assert_eq!((t.live(a), t.live(b), t.live(99)), (Some(7), None, None));
        t.set_live(a, t.hash_of(a), None);
        t.forget(a);
        let again = t.intern("a.com");
        assert_eq!(t.live(a), None);
        t.set_live(again, t.hash_of(again), Some(3));
        assert_eq!(t.lookup("a.com"), Some((again, Some(3))));
        // A decoded table gets its index, and its live domains, from its owner; a pair
        // naming a forgotten id is ignored.
        let mut back: NameTable =
            postcard::from_bytes(&postcard::to_allocvec(&t).unwrap()).unwrap();
        assert_eq!(back.lookup("a.com"), None);
        let hashes = back.rebuild_index(&mut [(again, 3), (a, 5), (b, 1)]);
        let want = [
            (5, back.hash_of(a)),
            (1, back.hash_of(b)),
            (3, back.hash_of(again)),
        ];
        assert_eq!(hashes, want, "each live pair's hash, in name id order");
        assert_eq!(back.lookup("a.com"), Some((again, Some(3))));
        assert_eq!(back.lookup("b.com"), Some((b, Some(1))));
        assert_eq!(back.indexed(), 2);
    }

    #[test]
    fn offsets_past_4_gib_count_their_wraps() {
        // Name 1 ends 3 bytes past the first 4 GiB, name 2 just past the second.
        let (ends, wraps) = ([u32::MAX - 1, 3, 10], [1, 2]);
        assert_eq!(NameTable::end_of(&ends, &wraps, 0), (1 << 32) - 2);
        assert_eq!(NameTable::end_of(&ends, &wraps, 1), (1 << 32) + 3);
        assert_eq!(NameTable::end_of(&ends, &wraps, 2), (2 << 32) + 10);
    }

    #[test]
    fn refuses_a_damaged_encoding() {
        let bytes = postcard::to_allocvec(&(
            serde_bytes_ref(b"abc"),
            vec![2u32, 1],
            Vec::<u32>::new(),
            Vec::<u64>::new(),
        ))
        .unwrap();
        assert!(postcard::from_bytes::<NameTable>(&bytes).is_err());
    }
}
