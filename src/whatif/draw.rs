//! Keyed random draws for the behaviour model: each decision is a pure function of
//! (run seed, purpose, name, occasion), so a domain's draws do not move when other
//! domains or other policies change (common random numbers across variants).

use crate::model::World;

/// A uniform number in [0, 1). Inlined, so that the literal purpose of a call folds to
/// a constant (see [`crate::sim::rng::Streams::keyed`]).
#[inline]
pub(crate) fn unit(world: &World, purpose: &str, keys: &[u64]) -> f64 {
    world.rng.unit(purpose, keys)
}

/// A standard normal number (Box–Muller over two keyed uniforms).
pub(crate) fn normal(world: &World, purpose: &str, keys: &[u64]) -> f64 {
    let mut k = keys.to_vec();
    k.push(1);
    let u1 = unit(world, purpose, keys).max(1e-300);
    let u2 = unit(world, purpose, &k);
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A Poisson count with mean `lambda`: inversion for small means, a rounded normal
/// approximation above 50.
pub(crate) fn poisson(world: &World, purpose: &str, keys: &[u64], lambda: f64) -> u64 {
    if lambda <= 0.0 || !lambda.is_finite() {
        return 0;
    }
    if lambda > 50.0 {
        let n = lambda + lambda.sqrt() * normal(world, purpose, keys);
        return n.round().max(0.0) as u64;
    }
    let u = unit(world, purpose, keys);
    let (mut k, mut p) = (0u64, (-lambda).exp());
    let mut cdf = p;
    while u > cdf && k < 1_000 {
        k += 1;
        p *= lambda / k as f64;
        cdf += p;
    }
    k
}

/// `(now / reference) ^ elasticity`, 1 when either price is not positive.
pub(crate) fn price_factor(now: i64, reference: i64, elasticity: f64) -> f64 {
    // At the reference price the factor is exactly 1 (as `powf` gives it), without
    // the cost of `powf`.
    if now <= 0 || reference <= 0 || now == reference {
        return 1.0;
    }
    (now as f64 / reference as f64).powf(elasticity)
}

/// A pronounceable-enough label of 5 to 12 letters from a keyed draw.
pub fn label(world: &World, keys: &[u64]) -> String {
    let mut x = world.rng.keyed("name", keys);
    let len = 5 + (x % 8) as usize;
    x /= 8;
    const CONSONANTS: &[u8] = b"bcdfghjklmnprstvwxz";
    const VOWELS: &[u8] = b"aeiou";
    // Room for the suffixes callers append (a number, the TLD).
    let mut s = String::with_capacity(len + 16);
    // Each branch divides by a constant (a multiply), where a length read at run time
    // cost two 64-bit divisions a letter.
    const C: u64 = CONSONANTS.len() as u64;
    const V: u64 = VOWELS.len() as u64;
    for i in 0..len {
        let letter = if i % 2 == 0 {
            let c = CONSONANTS[(x % C) as usize];
            x /= C;
            c
        } else {
            let v = VOWELS[(x % V) as usize];
            x /= V;
            v
        };
        s.push(letter as char);
        if x == 0 {
            x = world.rng.keyed(
                "name",
                &[keys[0], keys.get(1).copied().unwrap_or(0), i as u64, 7],
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_keyed_and_in_range() {
        let w = crate::fixture::default_world(Default::default());
        let a = unit(&w, "renew", &[1, 2]);
        assert_eq!(a, unit(&w, "renew", &[1, 2]));
        assert_ne!(a, unit(&w, "renew", &[1, 3]));
        assert!((0.0..1.0).contains(&a));
        let n: Vec<u64> = (0..2000).map(|i| poisson(&w, "p", &[i], 3.0)).collect();
        let mean = n.iter().sum::<u64>() as f64 / n.len() as f64;
        assert!((mean - 3.0).abs() < 0.2, "{mean}");
        let big: f64 = (0..500)
            .map(|i| poisson(&w, "q", &[i], 400.0) as f64)
            .sum::<f64>()
            / 500.0;
        assert!((big - 400.0).abs() < 5.0, "{big}");
        let z: Vec<f64> = (0..4000).map(|i| normal(&w, "z", &[i])).collect();
        let zm = z.iter().sum::<f64>() / z.len() as f64;
        let zv = z.iter().map(|x| (x - zm).powi(2)).sum::<f64>() / z.len() as f64;
        assert!(zm.abs() < 0.06 && (zv - 1.0).abs() < 0.08, "{zm} {zv}");
        assert!((price_factor(200, 100, -1.0) - 0.5).abs() < 1e-12);
        let l = label(&w, &[5, 6]);
        assert!((5..=12).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()));
    }
}
