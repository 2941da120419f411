//! Standard exponential draws by the ziggurat method (Marsaglia and Tsang,
//! "The Ziggurat Method for Generating Random Variables", 2000).
//!
//! Poisson arrivals and M/M/c service draw an exponential for almost every
//! event, and drawing one by inversion (`-ln u`) spent about a fifth of the
//! engine's time in the logarithm. The ziggurat covers the density with 256
//! layers of equal area; a draw picks a layer and a point in it from one
//! 64-bit word and, 98.9 % of the time, is done with a multiply and a compare.
//! Only the rare draw near a layer's edge or in the tail calls `libm`.
//!
//! `rand_distr` implements the same method, but its rare path calls the
//! platform's `ln`/`exp`, which differ between native hosts and wasm (see the
//! determinism rules in ARCHITECTURE.md); here every logarithm and exponential,
//! including those that build the tables, is the pure-Rust `libm`, so a seed
//! draws the same values on every platform.

use std::sync::OnceLock;

use super::rng::SimRng;

/// Layers of the ziggurat: one byte of the random word picks one.
const LAYERS: usize = 256;
/// Where the tail begins: the right edge of the lowest layer (for 256 layers).
const R: f64 = 7.697_117_470_131_05;
/// The area of every layer, the base layer's rectangle plus the tail included.
const V: f64 = 0.003_949_659_822_581_557;

/// The layers' right edges and the density at them.
struct Tables {
    /// `x[i]` is the right edge of layer `i` (`x[0]`, the base layer, is the
    /// width a rectangle of area `V` would have at the tail's height, so that
    /// every layer is picked with the same chance); `x[1] = R`, and the edges
    /// shrink to `x[LAYERS] = 0` at the top.
    x: [f64; LAYERS + 1],
    /// `f[i] = exp(-x[i])`: the density at each edge.
    f: [f64; LAYERS + 1],
}

/// Built once, from the recurrence that makes every layer's area `V`.
fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; LAYERS + 1];
        x[0] = V / libm::exp(-R);
        x[1] = R;
        for i in 1..LAYERS - 1 {
            // Layer i spans [0, x[i]] horizontally and [f(x[i]), f(x[i+1])]
            // vertically; its area is V when f(x[i+1]) = V / x[i] + f(x[i]).
            x[i + 1] = -libm::log(V / x[i] + libm::exp(-x[i]));
        }
        // The recurrence lands on zero only up to rounding; the top edge is
        // zero by definition.
        x[LAYERS] = 0.0;
        let f = x.map(|xi| libm::exp(-xi));
        Tables { x, f }
    })
}

/// One draw from the exponential distribution with mean 1.
#[inline]
pub fn standard_exponential(rng: &mut SimRng) -> f64 {
    Ziggurat::new().sample(rng)
}

/// The ziggurat's tables, looked up once. A sampler that draws millions of
/// exponentials keeps one of these, so that a draw does not go through the
/// `OnceLock` check every time.
#[derive(Clone, Copy)]
pub struct Ziggurat(&'static Tables);

impl Ziggurat {
    pub fn new() -> Ziggurat {
        Ziggurat(tables())
    }

    /// One draw from the exponential distribution with mean 1.
    ///
    /// The common case, a point in the part of a layer wholly under the
    /// curve, is inlined into the caller (always: it is a dozen
    /// instructions, and a call would cost as much); the rest is out of line,
    /// so that the caller does not pay for the registers the rare paths need.
    #[inline(always)]
    pub fn sample(self, rng: &mut SimRng) -> f64 {
        let (i, x) = self.point(rng);
        if x < self.0.x[i + 1] {
            // Inside the part of the layer that lies wholly under the curve.
            return x;
        }
        self.sample_edge(rng, i, x)
    }

    /// A layer and a point within its width, from one 64-bit word.
    #[inline(always)]
    fn point(self, rng: &mut SimRng) -> (usize, f64) {
        let bits = rng.next_u64();
        // The low byte picks the layer; the top 53 bits, which do not overlap
        // it, place the point within the layer's width.
        let i = (bits & (LAYERS as u64 - 1)) as usize;
        let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        (i, u * self.0.x[i])
    }

    /// `sample` for a point `x` in layer `i` that is not wholly under the
    /// curve: it is in the tail or a wedge, or is rejected and drawn again.
    /// Draws exactly what the textbook loop draws.
    #[cold]
    #[inline(never)]
    fn sample_edge(self, rng: &mut SimRng, mut i: usize, mut x: f64) -> f64 {
        let t = self.0;
        loop {
            if x < t.x[i + 1] {
                return x;
            }
            if i == 0 {
                // The tail beyond R. The exponential is memoryless: its tail is
                // R plus another exponential.
                return R - libm::log(rng.unit_open_zero());
            }
            // The wedge between the curve and the layer's outer edge: accept
            // the point if a uniform height under the layer falls below the curve.
            let y = t.f[i + 1] + (t.f[i] - t.f[i + 1]) * rng.unit();
            if y < libm::exp(-x) {
                return x;
            }
            (i, x) = self.point(rng);
        }
    }
}

impl Default for Ziggurat {
    fn default() -> Self {
        Ziggurat::new()
    }
}

/// Every handle refers to the same tables.
impl PartialEq for Ziggurat {
    fn eq(&self, _: &Ziggurat) -> bool {
        true
    }
}

impl std::fmt::Debug for Ziggurat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ziggurat")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every layer has the area V, so that picking a layer uniformly is right.
    #[test]
    fn every_layer_has_the_same_area() {
        let t = tables();
        // The base layer: the rectangle under f(R) up to R, plus the tail.
        let base = R * t.f[1] + libm::exp(-R);
        assert!((base - V).abs() < 1e-15, "base layer area {base}");
        assert!((t.x[0] * t.f[1] - V).abs() < 1e-15);
        for i in 1..LAYERS {
            let area = t.x[i] * (t.f[i + 1] - t.f[i]);
            assert!((area - V).abs() < 1e-12, "layer {i} has area {area}");
        }
        assert!(t.x[LAYERS - 1] < 0.1 && t.x[LAYERS - 1] > 0.0, "the top layer is thin");
    }

    /// The draws follow the exponential distribution: a Kolmogorov–Smirnov
    /// distance within the 99.9 % bound over 200,000 draws, and mean and
    /// variance 1.
    #[test]
    fn draws_are_exponential() {
        let mut rng = SimRng::new(42);
        let n = 200_000;
        let mut draws: Vec<f64> = (0..n).map(|_| standard_exponential(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "variance {var}");
        draws.sort_by(f64::total_cmp);
        let d = draws
            .iter()
            .enumerate()
            .map(|(k, &x)| {
                let cdf = 1.0 - libm::exp(-x);
                (cdf - k as f64 / n as f64).abs().max(((k + 1) as f64 / n as f64 - cdf).abs())
            })
            .fold(0.0, f64::max);
        // The KS critical value at the 0.1 % level is 1.95 / sqrt(n).
        assert!(d < 1.95 / (n as f64).sqrt(), "KS distance {d}");
    }

    /// The tail beyond R and the wedges are drawn as often as the density says.
    #[test]
    fn the_tail_and_the_far_right_are_drawn_as_often_as_they_should_be() {
        let mut rng = SimRng::new(3);
        let n = 4_000_000;
        let (mut beyond_r, mut beyond_3) = (0u32, 0u32);
        for _ in 0..n {
            let x = standard_exponential(&mut rng);
            beyond_r += u32::from(x > R);
            beyond_3 += u32::from(x > 3.0);
        }
        // Expected n·e^-R ≈ 1,813 and n·e^-3 ≈ 199,148; allow five standard deviations.
        for (got, edge) in [(beyond_r, R), (beyond_3, 3.0)] {
            let want = n as f64 * libm::exp(-edge);
            assert!((f64::from(got) - want).abs() < 5.0 * want.sqrt(), "{got} beyond {edge}, want {want}");
        }
    }
}
