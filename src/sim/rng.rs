//! Seeded, portable randomness: one independent ChaCha8 stream per purpose, derived
//! from the run seed, so that drawing more numbers for one purpose (auctions, say)
//! never shifts the numbers of another (common random numbers across variants).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The named random streams of one run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Streams {
    seed: u64,
    streams: BTreeMap<String, ChaCha8Rng>,
}

/// SplitMix64's finaliser: a bijection on 64 bits with full avalanche.
#[inline(always)]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A purpose name as 64 bits (FNV-1a). Inlined, so that a literal purpose folds to a
/// constant.
#[inline(always)]
fn purpose_code(purpose: &str) -> u64 {
    purpose.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Derives 32 seed bytes from the run seed, a purpose and extra keys.
fn derive(seed: u64, purpose: &str, keys: &[u64]) -> [u8; 32] {
    let mut h = blake3::Hasher::new_derive_key("regsim 1 random stream");
    h.update(&seed.to_le_bytes());
    h.update(&(purpose.len() as u64).to_le_bytes());
    h.update(purpose.as_bytes());
    for k in keys {
        h.update(&k.to_le_bytes());
    }
    *h.finalize().as_bytes()
}

impl Streams {
    /// Streams for run seed `seed`; each stream is created on first use.
    pub fn new(seed: u64) -> Streams {
        Streams {
            seed,
            streams: BTreeMap::new(),
        }
    }

    /// The run seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The stream for `purpose` (created from the seed and the purpose on first use).
    pub fn stream(&mut self, purpose: &str) -> &mut ChaCha8Rng {
        let seed = self.seed;
        self.streams
            .entry(purpose.to_string())
            .or_insert_with(|| ChaCha8Rng::from_seed(derive(seed, purpose, &[])))
    }

    /// A uniform integer in `lo..=hi` from the stream for `purpose`.
    pub fn range(&mut self, purpose: &str, lo: i64, hi: i64) -> i64 {
        uniform(self.stream(purpose), lo, hi)
    }

    /// A stateless draw keyed by (seed, purpose, keys): the same keys always give the
    /// same number, whatever else was drawn. For per-domain, per-occasion decisions.
    ///
    /// It runs for every decision of the behaviour model, so it is a chain of 64-bit
    /// finalisers (SplitMix64's) over the seed, the purpose and each key rather than a
    /// cryptographic hash: well mixed, portable, and a few nanoseconds.
    #[inline(always)]
    pub(crate) fn keyed(&self, purpose: &str, keys: &[u64]) -> u64 {
        let mut h = mix64(self.seed ^ 0x5265_6773_696d_2031);
        h = mix64(h ^ purpose_code(purpose));
        for k in keys {
            h = mix64(h.wrapping_add(0x9e37_79b9_7f4a_7c15) ^ *k);
        }
        mix64(h ^ keys.len() as u64)
    }

    /// A keyed uniform number in [0, 1): the top 53 bits of [`Streams::keyed`].
    #[inline(always)]
    pub(crate) fn unit(&self, purpose: &str, keys: &[u64]) -> f64 {
        (self.keyed(purpose, keys) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A uniform integer in `lo..=hi` (unbiased; `lo` when the range is empty).
pub(crate) fn uniform(rng: &mut impl Rng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        return lo;
    }
    let span = (hi as i128 - lo as i128 + 1) as u128;
    if span > u64::MAX as u128 {
        return rng.next_u64() as i64;
    }
    let span = span as u64;
    // Rejection sampling on the top of the range keeps the draw unbiased.
    let zone = u64::MAX - (u64::MAX % span);
    loop {
        let x = rng.next_u64();
        if x < zone {
            return (lo as i128 + (x % span) as i128) as i64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent_and_reproducible() {
        let mut a = Streams::new(7);
        let mut b = Streams::new(7);
        let x1 = a.range("auction", 0, 1_000_000);
        // Drawing from another purpose first does not shift the auction stream.
        b.range("behaviour", 0, 10);
        b.range("behaviour", 0, 10);
        assert_eq!(b.range("auction", 0, 1_000_000), x1);
        assert_ne!(Streams::new(8).range("auction", 0, 1_000_000), x1);
        assert_eq!(a.keyed("renew", &[1, 2]), b.keyed("renew", &[1, 2]));
        assert_ne!(a.keyed("renew", &[1, 2]), a.keyed("renew", &[2, 1]));
    }

    #[test]
    fn uniform_stays_in_range() {
        let mut s = Streams::new(1);
        for _ in 0..1000 {
            let v = s.range("t", -3, 3);
            assert!((-3..=3).contains(&v));
        }
        assert_eq!(s.range("t", 5, 5), 5);
        assert_eq!(s.range("t", 5, 1), 5);
        let _ = s.range("t", i64::MIN, i64::MAX);
    }
}
