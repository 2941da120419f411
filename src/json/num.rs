//! Floats as text, without core's float formatting (Grisu and Dragon4, 17 KB
//! of the wasm module): `Num` writes what `{}` writes, `fixed` what `{:.N}`
//! writes. Anything that reaches the wasm formats its floats with these.

use std::fmt;

/// Writes a float as `{}` does for an `f64` (the shortest digits that read
/// back as it, never an exponent: "0.1", "1", "-0", "1000000000000000000000",
/// "inf", "NaN"), from zmij's text, which the JSON writer needs anyway:
/// core's own float formatting (Grisu and Dragon4) is 17 KB of the wasm
/// module. Every message that shows a float uses this.
pub struct Num(pub f64);

/// Writes a float as `{:.N}` does for an `f64` with `N` = `decimals` (at
/// most 9): the exact binary value rounded half to even, in integers, so that
/// core's float formatting stays out of the wasm module (see `Num`). Exact up
/// to 2^74 (every f64 below that converts to an integer of 128 bits); larger
/// values, which no summary has, are written by `Num` with zeros appended.
pub fn fixed(v: f64, decimals: u32) -> String {
    let scale = 10u128.pow(decimals.min(9));
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let fraction = u128::from(bits & ((1 << 52) - 1));
    let (m, q) = if exp == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exp - 1075) };
    let sign = if v.is_sign_negative() { "-" } else { "" };
    let units = if !v.is_finite() || q > 74 {
        let text = Num(v).to_string();
        return if v.is_finite() && decimals > 0 { format!("{text}.{}", "0".repeat(decimals as usize)) } else { text };
    } else if q >= 0 {
        (m << q) * scale
    } else if q < -120 {
        0 // below 2^-67 × 2^53: under half of the last decimal place
    } else {
        // v × scale = m × scale / 2^-q, rounded half to even.
        let (whole, rest) = ((m * scale) >> -q, (m * scale) & ((1 << -q) - 1));
        let half = 1 << (-q - 1);
        whole + u128::from(rest > half || (rest == half && whole % 2 == 1))
    };
    let (int, frac) = (units / scale, units % scale);
    let width = decimals as usize;
    if decimals == 0 { format!("{sign}{int}") } else { format!("{sign}{int}.{frac:0>width$}") }
}

/// Whether `v` (finite, positive) is exactly `0.digits5` × 10^point, halfway
/// between `digits` and the next number up in their last place: whether
/// m × 2^q = n × 10^t, with `v` = m × 2^q and n = digits5, in integers.
/// (Where that is so, every product below is under 2^112.)
fn halfway(v: f64, digits: &str, point: i32) -> bool {
    let bits = v.to_bits();
    let exp = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, q) = if exp == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exp - 1075) };
    let Ok(n) = digits.parse::<u128>() else { return false };
    let t = point - digits.len() as i32 - 1;
    let times = |x: Option<u128>, base: u128, k: i32| x?.checked_mul(base.checked_pow(k.unsigned_abs())?);
    let (mut lhs, mut rhs) = (Some(m as u128), n.checked_mul(10).map(|n| n + 5));
    // m × 2^(q - t) = n × 5^t, with each negative power moved across.
    if q >= t { lhs = times(lhs, 2, q - t) } else { rhs = times(rhs, 2, q - t) }
    if t >= 0 { rhs = times(rhs, 5, t) } else { lhs = times(lhs, 5, t) }
    lhs.is_some() && lhs == rhs
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let v = self.0;
        if !v.is_finite() {
            return f.pad(if v.is_nan() { "NaN" } else if v > 0.0 { "inf" } else { "-inf" });
        }
        // zmij writes `[-]digits[.digits][e[+-]exponent]`.
        let mut buffer = zmij::Buffer::new();
        let text = buffer.format_finite(v);
        let (sign, text) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text),
        };
        let (mantissa, exponent) = match text.split_once('e') {
            Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        // The significant digits and where the point goes among them.
        let digits: String = [int, frac].concat();
        let lead = digits.len() - digits.trim_start_matches('0').len();
        let mut digits = digits[lead..].trim_end_matches('0').to_string();
        let point = int.len() as i32 + exponent - lead as i32;
        // Where `v` lies exactly halfway between two shortest candidates,
        // zmij takes the even one and `{}` the larger.
        if digits.ends_with(['2', '4', '6', '8']) && halfway(v.abs(), &digits, point) {
            let last = digits.pop().unwrap_or('0');
            digits.push((last as u8 + 1) as char);
        }
        let digits = digits.as_str();
        let mut out = String::from(sign);
        if digits.is_empty() {
            out.push('0');
        } else if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', -point as usize));
            out.push_str(digits);
        } else if point as usize >= digits.len() {
            out.push_str(digits);
            out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
        } else {
            out.push_str(&digits[..point as usize]);
            out.push('.');
            out.push_str(&digits[point as usize..]);
        }
        f.pad(&out)
    }
}
