//! Partition assignors as pure functions: given a topic's partition count,
//! the group's members (in member order) and, for the sticky assignors, who
//! owned each partition before, they return the member index of each
//! partition's new owner. A group reads one topic in mqsim, so the
//! multi-topic parts of Kafka's assignors do not arise.

use crate::scenario::AssignorKind;

/// The owner (an index into the member list) of each partition, or an empty
/// vector when there are no members.
pub fn assign(kind: AssignorKind, partitions: u32, members: usize, previous: &[Option<usize>]) -> Vec<usize> {
    match kind {
        AssignorKind::Range => range(partitions, members),
        AssignorKind::RoundRobin => round_robin(partitions, members),
        AssignorKind::Sticky | AssignorKind::CooperativeSticky => sticky(partitions, members, previous),
    }
}

/// Kafka's `RangeAssignor` for one topic: each member takes a consecutive
/// run of partitions; the first `partitions % members` members take one
/// more. With more members than partitions the last ones get none.
pub fn range(partitions: u32, members: usize) -> Vec<usize> {
    if members == 0 {
        return Vec::new();
    }
    let n = partitions as usize;
    let (base, extra) = (n / members, n % members);
    let mut owners = Vec::with_capacity(n);
    for m in 0..members {
        let count = base + usize::from(m < extra);
        owners.extend(std::iter::repeat_n(m, count));
    }
    owners
}

/// Kafka's `RoundRobinAssignor` for one topic: partitions dealt to members
/// in turn.
pub fn round_robin(partitions: u32, members: usize) -> Vec<usize> {
    if members == 0 {
        return Vec::new();
    }
    (0..partitions as usize).map(|p| p % members).collect()
}

/// The sticky assignors' rule (`AbstractStickyAssignor`): a balanced
/// assignment — every member within one partition of every other — that
/// keeps as many partitions as possible with their previous owner.
///
/// Members keep their previous partitions (lowest numbered first) up to
/// their quota: `partitions / members`, plus one for as many members as the
/// remainder, given first to the members that already had more. The
/// partitions left over go, lowest numbered first, to the member with the
/// fewest (the lowest index among equals).
pub fn sticky(partitions: u32, members: usize, previous: &[Option<usize>]) -> Vec<usize> {
    if members == 0 {
        return Vec::new();
    }
    let n = partitions as usize;
    let (base, mut extra) = (n / members, n % members);
    let mut had: Vec<Vec<usize>> = vec![Vec::new(); members];
    for (p, owner) in previous.iter().enumerate().take(n) {
        if let Some(m) = owner.filter(|&m| m < members) {
            had[m].push(p);
        }
    }
    // Members that had the most partitions first, then by number.
    let mut order: Vec<(u64, u64, u64)> = (0..members).map(|m| (!(had[m].len() as u64), m as u64, 0)).collect();
    crate::kernel::sort_triples(&mut order);
    let mut owners: Vec<Option<usize>> = vec![None; n];
    let mut count = vec![0usize; members];
    for m in order.into_iter().map(|(_, m, _)| m as usize) {
        let quota = if had[m].len() > base && extra > 0 {
            extra -= 1;
            base + 1
        } else {
            base
        };
        for &p in had[m].iter().take(quota) {
            owners[p] = Some(m);
            count[m] += 1;
        }
    }
    for owner in owners.iter_mut().filter(|o| o.is_none()) {
        let m = (0..members).min_by_key(|&m| (count[m], m)).unwrap_or(0);
        *owner = Some(m);
        count[m] += 1;
    }
    owners.into_iter().map(|o| o.unwrap_or(0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(owners: &[usize], members: usize) -> Vec<usize> {
        (0..members).map(|m| owners.iter().filter(|&&o| o == m).count()).collect()
    }

    /// Range gives consecutive runs, the remainder to the first members.
    #[test]
    fn range_gives_consecutive_runs() {
        assert_eq!(range(7, 3), [0, 0, 0, 1, 1, 2, 2]);
        assert_eq!(range(2, 4), [0, 1], "members 2 and 3 get nothing");
    }

    /// Round-robin deals partitions in turn.
    #[test]
    fn round_robin_deals_in_turn() {
        assert_eq!(round_robin(7, 3), [0, 1, 2, 0, 1, 2, 0]);
    }

    /// Sticky keeps every partition whose owner is still there when the
    /// result stays balanced, and moves the fewest when a member joins.
    #[test]
    fn sticky_moves_the_fewest_partitions() {
        let before = sticky(6, 2, &[]);
        assert_eq!(counts(&before, 2), [3, 3]);
        let previous: Vec<Option<usize>> = before.iter().map(|&m| Some(m)).collect();
        let after = sticky(6, 3, &previous);
        assert_eq!(counts(&after, 3), [2, 2, 2]);
        let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        assert_eq!(moved, 2, "only the new member's two partitions move");
    }

    /// When a member leaves, only its partitions move.
    #[test]
    fn sticky_reassigns_only_the_leavers_partitions() {
        // Members 0, 1, 2 had two partitions each; member 1 left, so the
        // survivors are renumbered 0 (was 0) and 1 (was 2).
        let previous = [Some(0), Some(0), None, None, Some(1), Some(1)];
        let after = sticky(6, 2, &previous);
        assert_eq!(&after[..2], [0, 0]);
        assert_eq!(&after[4..], [1, 1]);
        assert_eq!(counts(&after, 2), [3, 3]);
    }

    /// No members, no assignment.
    #[test]
    fn no_members_get_nothing() {
        for kind in [AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::Sticky] {
            assert!(assign(kind, 3, 0, &[]).is_empty());
        }
    }
}
