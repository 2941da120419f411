//! Partition assignors as pure functions: given a topic's partition count,
//! the group's members (in member order) and, for the sticky assignors, the
//! partitions each member owned before, they return each partition's new
//! owner (an index into the member list).
//!
//! A group reads one topic in mqsim, so the multi-topic parts of Kafka's
//! assignors (RoundRobin dealing across topics, the sticky assignors'
//! general builder for unequal subscriptions) do not arise, and there are
//! no racks. Member order stands for the order of Kafka's member ids, which
//! every assignor sorts by (`Collections.sort(members)`); Kafka's ids are
//! `client.id`s with a random suffix, so any fixed order is one it could
//! produce. `tests/kafka_assignor_cases.rs` runs the cases of Kafka's own
//! assignor tests against these functions.

use crate::scenario::AssignorKind;

/// Each partition's owner (an index into the member list), or none: only
/// the cooperative sticky assignor leaves a partition unassigned, for one
/// round, while its previous owner gives it up. Empty when there are no
/// members.
pub fn assign(kind: AssignorKind, partitions: u32, members: usize, previous: &[Option<usize>]) -> Vec<Option<usize>> {
    match kind {
        AssignorKind::Range => range(partitions, members).into_iter().map(Some).collect(),
        AssignorKind::RoundRobin => round_robin(partitions, members).into_iter().map(Some).collect(),
        AssignorKind::Sticky => sticky(partitions, members, previous).into_iter().map(Some).collect(),
        AssignorKind::CooperativeSticky => cooperative_sticky(partitions, members, previous),
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

/// Kafka's `StickyAssignor` (eager): the balanced assignment of
/// `AbstractStickyAssignor`'s constrained builder, keeping as many
/// partitions as possible with their previous owner. `previous[p]` is the
/// member that owned partition `p` in the last assignment it received, if
/// that member is still in the group.
pub fn sticky(partitions: u32, members: usize, previous: &[Option<usize>]) -> Vec<usize> {
    constrained(partitions, members, previous).owners
}

/// Kafka's `CooperativeStickyAssignor` (KIP-429): the sticky assignment,
/// less every partition that would move from one member straight to
/// another (`partitionsTransferringOwnership`, removed by its
/// `adjustAssignment`). Such a partition is assigned to nobody this round:
/// its owner, not finding it in its new assignment, revokes it and rejoins,
/// and the follow-up rebalance hands it out. `owned[p]` is the member that
/// owns partition `p` now, if any.
pub fn cooperative_sticky(partitions: u32, members: usize, owned: &[Option<usize>]) -> Vec<Option<usize>> {
    let c = constrained(partitions, members, owned);
    c.owners.into_iter().zip(c.transferring).map(|(owner, moving)| (!moving).then_some(owner)).collect()
}

/// The outcome of the constrained builder: each partition's owner, and
/// whether it is being taken from a member that owned it before.
struct Constrained {
    owners: Vec<usize>,
    transferring: Vec<bool>,
}

/// `AbstractStickyAssignor.ConstrainedAssignmentBuilder` for one topic
/// without racks (Kafka 3.x/4.0):
///
/// 1. Each member, in turn, keeps its previously owned partitions (lowest
///    numbered first): all of them if it owned fewer than `minQuota`
///    (`partitions / members`), and it is "unfilled"; `maxQuota`
///    (`minQuota` rounded up) if it owned that many and fewer than
///    `partitions % members` members have been given `maxQuota` so far;
///    otherwise `minQuota`, and, while members at `maxQuota` are still
///    wanted, it may take one more. Kafka visits members in its `HashMap`'s
///    order of member ids; mqsim in member order. Which members keep
///    `maxQuota` can differ with that order, how many partitions stay put
///    cannot (see the property tests).
/// 2. The partitions left, lowest numbered first, are dealt round-robin to
///    the unfilled members in member order (a member leaves the round once
///    it has `minQuota`), then one each to the members at `minQuota` that
///    may take one more.
fn constrained(partitions: u32, members: usize, previous: &[Option<usize>]) -> Constrained {
    let n = partitions as usize;
    if members == 0 {
        return Constrained { owners: Vec::new(), transferring: Vec::new() };
    }
    let (min_quota, expected_over) = (n / members, n % members);
    let max_quota = min_quota + usize::from(expected_over > 0);
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); members];
    for (p, owner) in previous.iter().enumerate().take(n) {
        if let Some(m) = owner.filter(|&m| m < members) {
            owned[m].push(p);
        }
    }
    let mut owners: Vec<Option<usize>> = vec![None; n];
    let mut count = vec![0usize; members];
    // The member that owned a partition this step did not let it keep.
    let mut maybe_revoked: Vec<Option<usize>> = vec![None; n];
    let mut under_min: Vec<usize> = Vec::new();
    let mut at_min: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut current_over = 0;

    // Step 1: previously owned partitions.
    for (m, parts) in owned.iter().enumerate() {
        let keep = if parts.len() < min_quota {
            under_min.push(m);
            parts.len()
        } else if parts.len() >= max_quota && current_over < expected_over {
            current_over += 1;
            if current_over == expected_over {
                at_min.clear();
            }
            max_quota
        } else {
            if current_over < expected_over {
                at_min.push_back(m);
            }
            min_quota
        };
        for &p in &parts[..keep] {
            owners[p] = Some(m);
        }
        for &p in &parts[keep..] {
            maybe_revoked[p] = Some(m);
        }
        count[m] = keep;
    }

    // Step 2: the rest, round-robin (`assignRoundRobin`). `next` walks
    // `under_min` as Java's iterator does, starting over when it runs out.
    let mut transferring = vec![false; n];
    let mut next = 0;
    for p in 0..n {
        if owners[p].is_some() {
            continue;
        }
        let (m, from_under) = if next < under_min.len() {
            next += 1;
            (under_min[next - 1], true)
        } else if !under_min.is_empty() {
            next = 1;
            (under_min[0], true)
        } else if let Some(m) = at_min.pop_front() {
            (m, false)
        } else {
            // Kafka throws here ("No more unfilled consumers"); the quotas
            // add up to the partition count, so it cannot happen.
            unreachable!("the quotas cover every partition")
        };
        owners[p] = Some(m);
        count[m] += 1;
        transferring[p] = maybe_revoked[p].is_some_and(|prev| prev != m);
        // A member reaching `minQuota` leaves the round and may yet take
        // one more. (Kafka also counts members reaching `maxQuota` here,
        // only to log an error should partitions remain.)
        if count[m] == min_quota && from_under {
            under_min.remove(next - 1);
            next -= 1;
            at_min.push_back(m);
        }
    }
    Constrained { owners: owners.into_iter().map(|o| o.unwrap_or(0)).collect(), transferring }
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

    /// Unowned partitions go round robin to the members under the min
    /// quota (`assignRoundRobin`), not to whoever has fewest: with six
    /// partitions, a new member and one that kept 4 and 5, the new member
    /// takes 0, the other 1 (and is full), and the new member the rest.
    #[test]
    fn sticky_deals_unowned_partitions_round_robin_under_the_min_quota() {
        let owned = [None, None, None, None, Some(1), Some(1)];
        assert_eq!(sticky(6, 2, &owned), [0, 1, 0, 0, 1, 1]);
    }

    /// Once nobody is under the min quota, the remainder goes to the
    /// members at exactly the min quota in the order they got there:
    /// first those that kept it (in member order), then those filled up.
    #[test]
    fn sticky_gives_the_remainder_to_members_at_min_quota_in_turn() {
        // Seven partitions, three members: quotas 2 and 3, one member at 3.
        // Member 2 kept 0 and 1 (min quota); members 0 and 1 are dealt 2..5
        // in turn and reach the min quota in that order. The last partition
        // goes to member 2, the first to have been at the min quota.
        let owned = [Some(2), Some(2), None, None, None, None, None];
        assert_eq!(sticky(7, 3, &owned), [2, 2, 0, 1, 0, 1, 2]);
    }

    /// The cooperative sticky assignor holds back what moves from a present
    /// owner, and hands out at once what nobody owns.
    #[test]
    fn cooperative_sticky_holds_back_moving_partitions() {
        let owned = [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1)];
        assert_eq!(cooperative_sticky(6, 3, &owned), [Some(0), Some(0), None, Some(1), Some(1), None]);
        let after_revoking = [Some(0), Some(0), None, Some(1), Some(1), None];
        assert_eq!(cooperative_sticky(6, 3, &after_revoking), [Some(0), Some(0), Some(2), Some(1), Some(1), Some(2)]);
    }

    /// No members, no assignment.
    #[test]
    fn no_members_get_nothing() {
        for kind in [AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::Sticky, AssignorKind::CooperativeSticky] {
            assert!(assign(kind, 3, 0, &[]).is_empty());
        }
    }
}
