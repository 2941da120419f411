//! Which partition a producer appends a record to.
//!
//! A record with a key goes where Kafka's default partitioner sends it: the
//! murmur2 hash of the key bytes, made non-negative, modulo the partition
//! count. The hash is reproduced bit for bit so that a scenario's keys land on
//! the same partitions they would in a real cluster, and so that per-key
//! ordering lessons hold exactly.
//!
//! A record without a key is placed by one of two small state machines:
//! [`RoundRobin`] (Kafka's opt-in `RoundRobinPartitioner`) and [`Sticky`]
//! (the built-in behaviour for null keys). Neither owns a random generator:
//! [`Sticky`] asks its caller for draws, so the run's single seeded stream
//! stays the only source of randomness.

/// Kafka's `Utils.murmur2`: the 32-bit MurmurHash2 of `data` with Kafka's
/// seed, as the Java client computes it for keyed records.
///
/// Java's `int` arithmetic wraps and its `>>>` shifts in zeros, so the hash
/// is computed on `u32` with wrapping multiplies and logical shifts, then
/// reinterpreted as `i32`; the bits are the ones Java produces.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    // MurmurHash2's mixing constants, fixed by the algorithm.
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;

    // Java takes `data.length` as an `int`; a Java array cannot reach 2^31
    // bytes, so for any input Kafka could hash the low 32 bits are the length.
    let mut h = SEED ^ (data.len() as u32);

    let blocks = data.chunks_exact(4);
    let tail = blocks.remainder();
    for block in blocks {
        // Kafka reads each 4-byte block little-endian.
        let mut k = block.iter().rev().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }

    // Kafka's `switch (length % 4)` falls through from case 3 to case 1: tail
    // byte i is mixed in at bit 8*i, then one multiply follows. With no tail
    // the switch does nothing at all, not even the multiply.
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u32::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }

    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit.
///
/// This is not `abs`: Kafka masks rather than negates, so `i32::MIN` maps to
/// 0 and a negative hash keeps its low 31 bits. Partition numbers depend on
/// exactly this choice.
pub fn to_positive(x: i32) -> i32 {
    x & 0x7fff_ffff
}

/// The partition Kafka's default partitioner picks for a record with a key:
/// `toPositive(murmur2(keyBytes)) % numPartitions`. `None` when the topic has
/// no partitions.
///
/// `key` is the serialized key. A string key serialized by Kafka's
/// `StringSerializer` is its UTF-8 bytes, so pass `key.as_bytes()`. An empty
/// key is still a key and is hashed; only an absent (null) key is unkeyed and
/// goes to [`RoundRobin`] or [`Sticky`] instead.
pub fn partition_for_key(key: &[u8], partitions: u32) -> Option<u32> {
    if partitions == 0 {
        return None;
    }
    // `to_positive` leaves a value in 0..=i32::MAX, so the cast is exact, and
    // for every partition count Kafka allows (an `int`) the `u32` remainder
    // equals Java's `int` remainder.
    Some(to_positive(murmur2(key)) as u32 % partitions)
}

/// Kafka's `RoundRobinPartitioner` for one topic: each record goes to the next
/// partition in turn, `counter++ % numPartitions`.
///
/// Kafka keeps one counter per topic inside each producer's partitioner, so a
/// simulation keeps one `RoundRobin` per (producer, topic). Every partition of
/// a simulated topic is available, so the counter indexes the full partition
/// list, as Kafka does when all partitions have a leader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundRobin {
    /// Kafka's `AtomicInteger` counter: starts at 0 and wraps past `i32::MAX`.
    counter: i32,
}

impl RoundRobin {
    pub fn new() -> Self {
        RoundRobin::default()
    }

    /// The partition for the next unkeyed record, or `None` when the topic has
    /// no partitions (the counter is then left alone).
    pub fn next(&mut self, partitions: u32) -> Option<u32> {
        if partitions == 0 {
            return None;
        }
        let value = self.counter;
        // `getAndIncrement` wraps to `i32::MIN` after `i32::MAX`; Kafka then
        // masks with `toPositive`, so the cycle restarts from 0 rather than
        // going negative.
        self.counter = self.counter.wrapping_add(1);
        Some(to_positive(value) as u32 % partitions)
    }
}

/// The built-in placement of unkeyed records: stay on one partition while a
/// batch fills, then move to another partition.
///
/// Sticking to one partition lets a batch fill up instead of spreading single
/// records over many small batches, which is why Kafka made it the default
/// for null keys (KIP-480, Kafka 2.4).
///
/// Simplifications, chosen so a run stays simple to reason about:
/// - Kafka 3.3+ "uniform sticky" (KIP-794) switches after `batch.size` *bytes*
///   have been produced to the partition; this model switches after
///   `batch_records` *records*.
/// - Kafka 3.3+ adaptive partitioning prefers partitions whose brokers have
///   shorter queues; this model picks uniformly among the other partitions,
///   as Kafka 2.4's `StickyPartitionCache` did (it redrew until the new
///   partition differed from the old one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sticky {
    batch_records: u32,
    /// The partition records currently stick to; `None` before the first
    /// record.
    current: Option<u32>,
    /// Records placed on `current` since the last switch.
    in_batch: u32,
}

impl Sticky {
    /// A sticky placement that switches partition after every
    /// `batch_records` records. A batch of 0 records is taken as 1, since
    /// every batch holds at least the record that opened it.
    pub fn new(batch_records: u32) -> Self {
        Sticky { batch_records: batch_records.max(1), current: None, in_batch: 0 }
    }

    /// The partition records currently stick to, if any record was placed.
    pub fn current(&self) -> Option<u32> {
        self.current
    }

    /// Ends the current batch early, as when Kafka sends a batch at
    /// `linger.ms` before it is full: the next record opens a new batch on
    /// another partition.
    pub fn batch_sent(&mut self) {
        self.in_batch = self.batch_records;
    }

    /// The partition for the next unkeyed record, or `None` when the topic has
    /// no partitions.
    ///
    /// `rng_draw` is called once each time a new partition must be chosen
    /// among two or more candidates, and never otherwise, so the caller's
    /// seeded stream advances the same way on every run.
    pub fn next(&mut self, partitions: u32, mut rng_draw: impl FnMut() -> u64) -> Option<u32> {
        if partitions == 0 {
            return None;
        }
        let keep = self.current.filter(|&p| p < partitions && self.in_batch < self.batch_records);
        let partition = match keep {
            Some(p) => p,
            None => {
                self.in_batch = 0;
                self.choose(partitions, &mut rng_draw)
            }
        };
        self.current = Some(partition);
        self.in_batch = self.in_batch.saturating_add(1);
        Some(partition)
    }

    /// Picks the partition for a new batch: uniformly among the partitions
    /// other than the current one when there is one to leave, otherwise
    /// uniformly among all.
    fn choose(&self, partitions: u32, rng_draw: &mut impl FnMut() -> u64) -> u32 {
        if partitions == 1 {
            // Kafka takes the only available partition without drawing.
            return 0;
        }
        match self.current {
            Some(old) if old < partitions => {
                // One draw over the n-1 other partitions gives the same
                // distribution as Kafka's redraw-until-different loop, with a
                // bounded number of draws. The remainder's bias is below
                // n / 2^64, far under anything a run could observe.
                let r = (rng_draw() % u64::from(partitions - 1)) as u32;
                if r >= old { r + 1 } else { r }
            }
            _ => (rng_draw() % u64::from(partitions)) as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// murmur2 reproduces every vector of Apache Kafka's `UtilsTest.testMurmur2`.
    #[test]
    fn murmur2_matches_kafka_utils_test_vectors() {
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973_932_308),
            (b"foobar", -790_332_482),
            (b"a-little-bit-long-string", -985_981_536),
            (b"a-little-bit-longer-string", -1_486_304_829),
            (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            // Kafka writes this one as `new byte[] {'a', 'b', 'c'}`.
            (b"abc", 479_470_107),
        ];
        for (data, expected) in cases {
            assert_eq!(murmur2(data), expected, "murmur2({:?})", String::from_utf8_lossy(data));
        }
    }

    /// murmur2 agrees with librdkafka's Java-compatibility vectors, which add
    /// the empty input and every tail length (0 to 3 trailing bytes).
    #[test]
    fn murmur2_matches_librdkafka_java_compatible_vectors() {
        let unaligned = "PreAmbleWillBeRemoved,ThePrePartThatIs";
        let cases: [(&str, u32); 11] = [
            ("kafka", 0xd067_cf64),
            ("giberish123456789", 0x8f55_2b0c),
            ("1234", 0x9fc9_7b14),
            ("234", 0xe7c0_09ca),
            ("34", 0x8739_30da),
            ("4", 0x5a4b_5ca1),
            (unaligned, 0x7842_4f1c),
            (&unaligned[1..], 0x4a62_b377),
            (&unaligned[2..], 0xe0e4_e09e),
            (&unaligned[3..], 0x62b8_b43f),
            ("", 0x106e_08d9),
        ];
        for (key, expected) in cases {
            assert_eq!(murmur2(key.as_bytes()), expected as i32, "murmur2({key:?})");
        }
    }

    /// to_positive masks the sign bit instead of negating.
    #[test]
    fn to_positive_masks_the_sign_bit() {
        assert_eq!(to_positive(5), 5);
        assert_eq!(to_positive(0), 0);
        assert_eq!(to_positive(-1), i32::MAX);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(-790_332_482), 1_357_151_166);
    }

    /// A keyed record goes to toPositive(murmur2(key)) % partitions.
    #[test]
    fn keyed_record_goes_to_hash_modulo_partitions() {
        // toPositive(-790332482) = 1357151166; 1357151166 % 12 = 6.
        assert_eq!(partition_for_key(b"foobar", 12), Some(6));
        // toPositive(-973932308) = 1173551340; 1173551340 % 3 = 0.
        assert_eq!(partition_for_key(b"21", 3), Some(0));
        // 479470107 is already positive; 479470107 % 10 = 7.
        assert_eq!(partition_for_key(b"abc", 10), Some(7));
        // toPositive(-58897971) = 2088585677; 2088585677 % 7 = 3.
        let long_key = "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8";
        assert_eq!(partition_for_key(long_key.as_bytes(), 7), Some(3));
    }

    /// The same key always lands on the same partition.
    #[test]
    fn same_key_always_maps_to_the_same_partition() {
        for key in ["order-17", "customer-42", "", "ключ"] {
            let first = partition_for_key(key.as_bytes(), 6);
            assert!(first.is_some_and(|p| p < 6));
            for _ in 0..100 {
                assert_eq!(partition_for_key(key.as_bytes(), 6), first);
            }
        }
    }

    /// A topic with no partitions has no partition for any key.
    #[test]
    fn keyed_record_has_no_partition_on_an_empty_topic() {
        assert_eq!(partition_for_key(b"foobar", 0), None);
    }

    /// Round-robin starts at partition 0 and cycles through every partition.
    #[test]
    fn round_robin_cycles_through_partitions() {
        let mut rr = RoundRobin::new();
        let picks: Vec<u32> = (0..7).filter_map(|_| rr.next(3)).collect();
        assert_eq!(picks, [0, 1, 2, 0, 1, 2, 0]);
    }

    /// Round-robin restarts from 0 when Kafka's int counter wraps.
    #[test]
    fn round_robin_restarts_when_the_counter_wraps() {
        let mut rr = RoundRobin { counter: i32::MAX };
        // i32::MAX % 10 = 7; the wrapped counter i32::MIN masks to 0.
        assert_eq!(rr.next(10), Some(7));
        assert_eq!(rr.next(10), Some(0));
        assert_eq!(rr.next(10), Some(1));
    }

    /// Round-robin on a topic with no partitions yields nothing.
    #[test]
    fn round_robin_has_no_partition_on_an_empty_topic() {
        let mut rr = RoundRobin::new();
        assert_eq!(rr.next(0), None);
        assert_eq!(rr.next(4), Some(0));
    }

    /// Sticky stays on one partition for a whole batch, then switches.
    #[test]
    fn sticky_stays_for_a_batch_then_switches() {
        let mut sticky = Sticky::new(3);
        let mut draws = [1u64, 0].into_iter();
        let mut draw = || draws.next().unwrap_or(0);
        let picks: Vec<u32> = (0..6).filter_map(|_| sticky.next(4, &mut draw)).collect();
        // First batch: draw 1 % 4 = partition 1. Second: draw 0 over the
        // other partitions {0, 2, 3} picks 0.
        assert_eq!(picks, [1, 1, 1, 0, 0, 0]);
    }

    /// A sticky switch never lands back on the partition it leaves.
    #[test]
    fn sticky_switch_moves_to_a_different_partition() {
        let mut sticky = Sticky::new(1);
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut draw = || {
            // xorshift64: any fixed sequence will do for this property.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut previous = sticky.next(5, &mut draw);
        for _ in 0..1000 {
            let next = sticky.next(5, &mut draw);
            assert!(next.is_some_and(|p| p < 5));
            assert_ne!(next, previous);
            previous = next;
        }
    }

    /// Sticky draws only when it opens a batch with a choice to make.
    #[test]
    fn sticky_draws_once_per_batch() {
        let mut sticky = Sticky::new(4);
        let mut calls = 0;
        for _ in 0..12 {
            sticky.next(3, || {
                calls += 1;
                7
            });
        }
        assert_eq!(calls, 3);
    }

    /// With a single partition sticky uses it without drawing.
    #[test]
    fn sticky_single_partition_needs_no_draw() {
        let mut sticky = Sticky::new(1);
        for _ in 0..5 {
            assert_eq!(sticky.next(1, || unreachable!("no draw expected")), Some(0));
        }
    }

    /// Sending a batch early makes the next record switch partition.
    #[test]
    fn sticky_switches_after_an_early_send() {
        let mut sticky = Sticky::new(100);
        assert_eq!(sticky.next(2, || 0), Some(0));
        assert_eq!(sticky.next(2, || 0), Some(0));
        sticky.batch_sent();
        assert_eq!(sticky.next(2, || 0), Some(1));
    }

    /// Sticky on a topic with no partitions yields nothing.
    #[test]
    fn sticky_has_no_partition_on_an_empty_topic() {
        let mut sticky = Sticky::new(10);
        assert_eq!(sticky.next(0, || 0), None);
        assert_eq!(sticky.current(), None);
    }

    /// Identical draws give identical placements: sticky is deterministic.
    #[test]
    fn sticky_is_deterministic_for_the_same_draws() {
        let run = || {
            let mut sticky = Sticky::new(2);
            let mut n = 0u64;
            (0..20)
                .filter_map(|_| {
                    sticky.next(6, || {
                        n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        n
                    })
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }
}
