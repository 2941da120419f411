//! The per-key ordering detector: did a consumer group process some record
//! after a later record with the same key?
//!
//! "Later" means produced later: records get ids in the order producers
//! create them, so for one key the ids give the order the application
//! intended. A record processed when the group has already processed a
//! higher id with the same key is out of order. Only first processings
//! count; processing a record again is a duplicate, counted apart.

/// The highest record id processed per key, for one group.
#[derive(Clone, Debug, Default)]
pub struct KeyOrder {
    /// `last[key]` is one more than the highest id processed with that key;
    /// 0 means none yet. Grown on demand up to the highest key seen.
    last: Vec<u64>,
}

impl KeyOrder {
    /// Notes that record `msg` with `key` was processed; returns true if a
    /// later record with the same key had been processed before it.
    pub fn observe(&mut self, key: u32, msg: u64) -> bool {
        let k = key as usize;
        if k >= self.last.len() {
            self.last.resize(k + 1, 0);
        }
        if self.last[k] > msg + 1 {
            return true;
        }
        self.last[k] = msg + 1;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::KeyOrder;

    /// Records of one key processed in id order are in order; a lower id
    /// after a higher one is out of order; keys are independent.
    #[test]
    fn a_lower_id_after_a_higher_one_is_out_of_order() {
        let mut order = KeyOrder::default();
        assert!(!order.observe(7, 1));
        assert!(!order.observe(7, 5));
        assert!(!order.observe(3, 2), "another key has its own order");
        assert!(order.observe(7, 4));
        assert!(!order.observe(7, 6));
    }
}
