//! A fingerprint of a whole run: a 64-bit hash folded over every lifecycle
//! event in order.
//!
//! Two runs have the same trace hash exactly when they recorded the same events
//! at the same times in the same order (up to hash collisions). Golden tests
//! compare it natively, under node and in the browser. The hash is word-wise
//! FNV-1a with an xorshift per word: a dozen lines, portable, and fast enough
//! to run on every event.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceHash(u64);

impl Default for TraceHash {
    fn default() -> Self {
        TraceHash(OFFSET)
    }
}

impl TraceHash {
    /// Folds one word into the hash.
    #[inline]
    pub fn mix(&mut self, word: u64) {
        let h = (self.0 ^ word).wrapping_mul(PRIME);
        self.0 = h ^ (h >> 29);
    }

    pub fn value(self) -> u64 {
        self.0
    }

    /// Sixteen hex digits: how the hash is shown and stored in golden files
    /// (a string, because a JS number cannot hold 64 bits).
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Order matters: the same words in another order give another hash.
    #[test]
    fn order_changes_the_hash() {
        let (mut a, mut b) = (TraceHash::default(), TraceHash::default());
        a.mix(1);
        a.mix(2);
        b.mix(2);
        b.mix(1);
        assert_ne!(a, b);
        assert_eq!(a.hex().len(), 16);
    }
}
