//! `src/kafka/assignor.rs` against Apache Kafka's own assignor tests, and
//! the sticky assignors' properties on generated groups.
//!
//! # The upstream cases
//!
//! Ported from apache/kafka (trunk at 1eb7644349c), directory
//! `clients/src/test/java/org/apache/kafka/clients/consumer/`:
//! `RangeAssignorTest.java`, `RoundRobinAssignorTest.java`,
//! `StickyAssignorTest.java`, `CooperativeStickyAssignorTest.java` and
//! `internals/AbstractStickyAssignorTest.java` (whose cases upstream runs
//! for both sticky assignors, and so do we). Each row names its upstream
//! test method; members are listed in Kafka's order (sorted by member id),
//! which is mqsim's member order. Every round of a sticky case also gets
//! upstream's `verifyValidityAndBalance` (no partition twice, sizes within
//! one) and, for the cooperative assignor, `CooperativeStickyAssignorTest`'s
//! override of it: no partition is revoked from one member and given to
//! another in the same round, and follow-up rounds (at most four) run until
//! nothing is revoked; a row's expected assignment is then that of the last
//! round, as upstream checks it after `verifyValidityAndBalance`.
//!
//! A group reads one topic in mqsim and every member subscribes to it, so:
//!
//! - the range assignor deals each topic on its own (`assignRanges` per
//!   `TopicAssignmentState`), and a multi-topic range case is ported topic
//!   by topic;
//! - the sticky assignors, when every subscription is equal, pool all
//!   partitions (`ConstrainedAssignmentBuilder`), handing out unowned ones
//!   by (topic, partition); a multi-topic sticky case is ported "flattened",
//!   the first topic's partitions numbered first, where no member owns more
//!   partitions than it keeps (Kafka picks the kept ones by (partition,
//!   topic), which one numbering cannot reproduce as well).
//!
//! Left out, and why:
//!
//! - `testOneConsumerNoTopic`, `testOneConsumerNonexistentTopic` (all four
//!   classes), `testAssignmentUpdatedForDeletedTopic`,
//!   `testNoExceptionThrownWhenOnlySubscribedTopicDeleted`: a group always
//!   reads one existing topic.
//! - `testOnlyAssignsPartitionsFromSubscribedTopics` (range, round robin):
//!   the assignor is only ever given its group's topic. (The sticky version
//!   is ported: the member's owned partitions of its own topic are kept.)
//! - Round robin `testOneConsumerMultipleTopics`,
//!   `testMultipleConsumersMixedTopics`,
//!   `testTwoDynamicConsumersTwoTopicsSixPartitions`: round robin deals the
//!   partitions of all subscribed topics in one sequence, so a multi-topic
//!   case is not the sum of one-topic cases.
//! - Static membership (`group.instance.id`): `testTwoStaticConsumers…`,
//!   `testOneStaticConsumerAndOneDynamicConsumer…`,
//!   `testStaticMember…Persistent…` (range and round robin). mqsim has no
//!   member ids; members are ordered by instance number.
//! - Racks: every `testRackAware…` case and
//!   `testUniformSubscriptionTransferOwnershipListIsRight` (which needs
//!   consumer racks), `testCoPartitionedAssignmentWithSameSubscription`.
//!   mqsim models no racks. (Where a rack test states the non-rack-aware
//!   assignment, that part is ported.)
//! - Unequal subscriptions, which only arise with several topics:
//!   `testMultipleConsumersMixedTopicSubscriptions`,
//!   `testPoorRoundRobinAssignmentScenario`,
//!   `testReassignmentAfterOneConsumerLeaves`, `testNewSubscription`,
//!   `testMoveExistingAssignments`,
//!   `testSubscriptionNotEqualAndAssignSamePartitionWith3Generation`,
//!   `testReassignmentWithRandomSubscriptionsAndChanges` (the property tests
//!   below cover random equal subscriptions), and the
//!   `isAllSubscriptionsEqual = false` variants.
//! - Per-topic balance over two topics: `testTopicBalanceAfterReassignment`.
//! - `testAddRemoveTwoConsumersTwoTopics`: members own more than they keep,
//!   and the flattening would change which ones they keep (see above).
//! - `testAddRemoveTopicTwoConsumers`'s third round: a topic leaves the
//!   subscription (its first two rounds, a topic joining, are ported).
//! - Generations and partitions claimed twice:
//!   `testOwnedPartitionsAreInvalidatedForConsumerWith…Generation`,
//!   `testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration`,
//!   `testEnsurePartitionsAssignedToHighestGeneration`,
//!   `testNoReassignmentOnCurrentMembers`,
//!   `testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumers…`
//!   (sticky and cooperative), `testAssignmentWithConflictingPreviousGenerations`
//!   and the third rounds of `testAssignmentWithMultipleGenerations1/2`.
//!   mqsim's assignor learns one previous owner per partition; stale
//!   generations and double claims cannot be expressed.
//! - The wire format: `testMemberData…`, `testSchemaBackwardCompatibility`'s
//!   schema part (its assignment is ported), `testEncodeAndDecodeGeneration`,
//!   `testDecodeGeneration`.
//! - Performance cases with timeouts: `testLargeAssignment…`,
//!   `testAssignmentAndGroupWithNonEqualSubscriptionNotTimeout`.
//!   (Speed is measured in BENCHMARKS.md, never by timed tests.)
//!
//! Where mqsim differs from upstream's expected result:
//! `testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers` expects the
//! result of Kafka's hash-map order of member ids; mqsim uses member order
//! (see `sticky_max_quota_members_beyond_the_remainder_keep_by_member_order`
//! and docs/semantics.md).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use mqsim::kafka::assignor;
use mqsim::scenario::AssignorKind::{self, CooperativeSticky, Range, RoundRobin, Sticky};
use proptest::prelude::*;

/// What a member owned going into a round.
#[derive(Clone, Copy, Debug)]
enum Own {
    /// Nothing (a new member, or a subscription without owned partitions).
    Nothing,
    /// What the previous round assigned to it.
    Previous,
    /// These partitions.
    These(&'static [u32]),
}

/// What a round must show, beyond validity and balance.
#[derive(Clone, Copy, Debug)]
enum Check {
    /// The member's partitions, exactly.
    Gets(&'static str, &'static [u32]),
    /// `partitionsTransferringOwnership`: the partitions moving from a
    /// member that still owns them, and who gets them.
    Transferring(&'static [(u32, &'static str)]),
    /// The member keeps everything it owned (upstream's `containsAll`).
    Keeps(&'static str),
    /// The member gets only partitions it owned (upstream's `owned.containsAll(assigned)`).
    Within(&'static str),
    /// The member gets this many partitions.
    Count(&'static str, usize),
}

struct Round {
    /// The topic's partition count from this round on, if it grew.
    grown_to: Option<u32>,
    members: &'static [(&'static str, Own)],
    checks: &'static [Check],
}

struct Case {
    /// The upstream test method (and which part of it).
    upstream: &'static str,
    partitions: u32,
    rounds: &'static [Round],
}

use Check::{Count, Gets, Keeps, Transferring, Within};
use Own::{Nothing, Previous, These};

/// One member's partitions, in partition order.
type Assignment = Vec<(&'static str, BTreeSet<u32>)>;

fn of<'a>(assignment: &'a Assignment, name: &str) -> &'a BTreeSet<u32> {
    &assignment.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no member {name}")).1
}

/// The owner per partition that `owned` describes, as member indices.
fn owners(partitions: u32, owned: &Assignment) -> Vec<Option<usize>> {
    let mut out = vec![None; partitions as usize];
    for (m, (_, ps)) in owned.iter().enumerate() {
        for &p in ps {
            assert!(out[p as usize].is_none(), "partition {p} owned twice in a case's input");
            out[p as usize] = Some(m);
        }
    }
    out
}

/// Calls the assignor once: each member's partitions (None = held back).
fn assign_once(kind: AssignorKind, partitions: u32, owned: &Assignment) -> (Assignment, Vec<Option<usize>>) {
    let result = assignor::assign(kind, partitions, owned.len(), &owners(partitions, owned));
    assert_eq!(result.len(), partitions as usize, "one owner (or none) per partition");
    let assignment = owned
        .iter()
        .enumerate()
        .map(|(m, (name, _))| (*name, (0..partitions).filter(|&p| result[p as usize] == Some(m)).collect()))
        .collect();
    (assignment, result)
}

/// `partitionsTransferringOwnership` of a round: partitions whose owner is
/// in the group and which the full sticky assignment gives to another.
fn transferring(partitions: u32, owned: &Assignment) -> BTreeSet<(u32, &'static str)> {
    let previous = owners(partitions, owned);
    let target = assignor::sticky(partitions, owned.len(), &previous);
    (0..partitions)
        .filter(|&p| previous[p as usize].is_some_and(|o| o != target[p as usize]))
        .map(|p| (p, owned[target[p as usize]].0))
        .collect()
}

/// Upstream's `verifyValidityAndBalance` (one topic, equal subscriptions):
/// every partition assigned once and the sizes within one of each other.
fn valid_and_balanced(case: &str, partitions: u32, assignment: &Assignment) {
    let total: usize = assignment.iter().map(|(_, ps)| ps.len()).sum();
    let union: BTreeSet<u32> = assignment.iter().flat_map(|(_, ps)| ps.iter().copied()).collect();
    assert_eq!(total, union.len(), "{case}: a partition assigned twice: {assignment:?}");
    assert_eq!(union.len(), partitions as usize, "{case}: a partition left unassigned: {assignment:?}");
    let sizes = assignment.iter().map(|(_, ps)| ps.len());
    let (min, max) = (sizes.clone().min().unwrap_or(0), sizes.max().unwrap_or(0));
    assert!(max - min <= 1, "{case}: not balanced: {assignment:?}");
}

/// Runs one case's rounds with one assignor and checks every round.
fn run_case(case: &Case, kind: AssignorKind) {
    let mut previous: Assignment = Vec::new();
    let mut partitions = case.partitions;
    for (r, round) in case.rounds.iter().enumerate() {
        partitions = round.grown_to.unwrap_or(partitions);
        let name = format!("{} ({kind:?}, round {})", case.upstream, r + 1);
        let owned: Assignment = round
            .members
            .iter()
            .map(|&(member, own)| {
                let set = match own {
                    Nothing => BTreeSet::new(),
                    Previous => of(&previous, member).clone(),
                    These(ps) => ps.iter().copied().collect(),
                };
                (member, set)
            })
            .collect();
        let moving = transferring(partitions, &owned);
        let (mut assignment, result) = assign_once(kind, partitions, &owned);
        if kind == CooperativeSticky {
            // CooperativeStickyAssignorTest.verifyValidityAndBalance: what
            // moves is held back until its owner has revoked it.
            let held: BTreeSet<u32> = (0..partitions).filter(|&p| result[p as usize].is_none()).collect();
            assert_eq!(held, moving.iter().map(|&(p, _)| p).collect(), "{name}: held back");
            let mut owned_now = owned.clone();
            let mut rebalances = 0;
            loop {
                let revoked: BTreeSet<u32> = owned_now.iter().flat_map(|(m, ps)| ps.difference(of(&assignment, m)).copied().collect::<Vec<_>>()).collect();
                let added: BTreeSet<u32> = assignment.iter().flat_map(|(m, ps)| ps.difference(of(&owned_now, m)).copied().collect::<Vec<_>>()).collect();
                assert!(revoked.is_disjoint(&added), "{name}: {:?} revoked and reassigned in one round", revoked.intersection(&added));
                if revoked.is_empty() {
                    break;
                }
                rebalances += 1;
                assert!(rebalances <= 4, "{name}: still revoking after four follow-up rounds");
                owned_now = assignment.clone();
                assignment = assign_once(kind, partitions, &owned_now).0;
            }
        }
        if matches!(kind, Sticky | CooperativeSticky) {
            valid_and_balanced(&name, partitions, &assignment);
        }
        for check in round.checks {
            match *check {
                Gets(member, want) => {
                    assert_eq!(of(&assignment, member), &want.iter().copied().collect(), "{name}: {member}'s partitions")
                }
                Transferring(want) => assert_eq!(moving, want.iter().copied().collect(), "{name}: partitions transferring ownership"),
                Keeps(member) => assert!(of(&assignment, member).is_superset(of(&owned, member)), "{name}: {member} lost a partition it owned"),
                Within(member) => assert!(of(&assignment, member).is_subset(of(&owned, member)), "{name}: {member} got a partition it did not own"),
                Count(member, n) => assert_eq!(of(&assignment, member).len(), n, "{name}: {member}'s partition count"),
            }
        }
        previous = assignment;
    }
}

/// Members with these names, all new.
macro_rules! fresh {
    ($($name:literal),*) => { &[$(($name, Nothing)),*] };
}

/// RangeAssignorTest, each topic of a case on its own.
const RANGE: &[Case] = &[
    Case { upstream: "testOneConsumerOneTopic", partitions: 3, rounds: &[Round { grown_to: None, members: fresh!("consumer1"), checks: &[Gets("consumer1", &[0, 1, 2])] }] },
    Case {
        upstream: "testOneConsumerMultipleTopics, topic1 (1 partition)",
        partitions: 1,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1"), checks: &[Gets("consumer1", &[0])] }],
    },
    Case {
        upstream: "testOneConsumerMultipleTopics, topic2 (2 partitions)",
        partitions: 2,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1"), checks: &[Gets("consumer1", &[0, 1])] }],
    },
    Case {
        upstream: "testTwoConsumersOneTopicOnePartition",
        partitions: 1,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1", "consumer2"), checks: &[Gets("consumer1", &[0]), Gets("consumer2", &[])] }],
    },
    Case {
        upstream: "testTwoConsumersOneTopicTwoPartitions",
        partitions: 2,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1", "consumer2"), checks: &[Gets("consumer1", &[0]), Gets("consumer2", &[1])] }],
    },
    Case {
        upstream: "testMultipleConsumersMixedTopics, topic1 (3 partitions, all three consumers)",
        partitions: 3,
        rounds: &[Round {
            grown_to: None,
            members: fresh!("consumer1", "consumer2", "consumer3"),
            checks: &[Gets("consumer1", &[0]), Gets("consumer2", &[1]), Gets("consumer3", &[2])],
        }],
    },
    Case {
        upstream: "testMultipleConsumersMixedTopics, topic2 (2 partitions, consumer2 alone)",
        partitions: 2,
        rounds: &[Round { grown_to: None, members: fresh!("consumer2"), checks: &[Gets("consumer2", &[0, 1])] }],
    },
    Case {
        upstream: "testTwoConsumersTwoTopicsSixPartitions, topic1 and topic2 alike (3 partitions each)",
        partitions: 3,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1", "consumer2"), checks: &[Gets("consumer1", &[0, 1]), Gets("consumer2", &[2])] }],
    },
    Case {
        upstream: "testRackAwareAssignmentWithUniformSubscription, its non-rack-aware assignment, t2 (7 partitions)",
        partitions: 7,
        rounds: &[Round { grown_to: None, members: fresh!("c0", "c1", "c2"), checks: &[Gets("c0", &[0, 1, 2]), Gets("c1", &[3, 4]), Gets("c2", &[5, 6])] }],
    },
    Case {
        upstream: "testRackAwareAssignmentWithUniformSubscription, its non-rack-aware assignment, t3 (2 partitions)",
        partitions: 2,
        rounds: &[Round { grown_to: None, members: fresh!("c0", "c1", "c2"), checks: &[Gets("c0", &[0]), Gets("c1", &[1]), Gets("c2", &[])] }],
    },
    Case {
        upstream: "testRackAwareAssignmentWithNonEqualSubscription, its non-rack-aware assignment, t2 (7 partitions, two consumers)",
        partitions: 7,
        rounds: &[Round { grown_to: None, members: fresh!("c0", "c1"), checks: &[Gets("c0", &[0, 1, 2, 3]), Gets("c1", &[4, 5, 6])] }],
    },
    Case {
        upstream: "testRackAwareAssignmentWithUniformPartitions, its non-rack-aware assignment, each topic (5 partitions)",
        partitions: 5,
        rounds: &[Round { grown_to: None, members: fresh!("c0", "c1", "c2"), checks: &[Gets("c0", &[0, 1]), Gets("c1", &[2, 3]), Gets("c2", &[4])] }],
    },
];

/// RoundRobinAssignorTest's one-topic cases.
const ROUND_ROBIN: &[Case] = &[
    Case { upstream: "testOneConsumerOneTopic", partitions: 3, rounds: &[Round { grown_to: None, members: fresh!("consumer"), checks: &[Gets("consumer", &[0, 1, 2])] }] },
    Case {
        upstream: "testTwoConsumersOneTopicOnePartition",
        partitions: 1,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1", "consumer2"), checks: &[Gets("consumer1", &[0]), Gets("consumer2", &[])] }],
    },
    Case {
        upstream: "testTwoConsumersOneTopicTwoPartitions",
        partitions: 2,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1", "consumer2"), checks: &[Gets("consumer1", &[0]), Gets("consumer2", &[1])] }],
    },
];

/// AbstractStickyAssignorTest, for both sticky assignors.
const STICKY: &[Case] = &[
    Case {
        upstream: "testOneConsumerOneTopic",
        partitions: 3,
        rounds: &[Round { grown_to: None, members: fresh!("consumer"), checks: &[Gets("consumer", &[0, 1, 2]), Transferring(&[])] }],
    },
    Case {
        upstream: "testOnlyAssignsPartitionsFromSubscribedTopics (its owned partitions of the subscribed topic)",
        partitions: 2,
        rounds: &[Round { grown_to: None, members: &[("consumer", These(&[0, 1]))], checks: &[Gets("consumer", &[0, 1]), Transferring(&[])] }],
    },
    Case {
        upstream: "testOneConsumerMultipleTopics, flattened: topic1-0 = 0, topic2-0..1 = 1..2",
        partitions: 3,
        rounds: &[Round { grown_to: None, members: fresh!("consumer"), checks: &[Gets("consumer", &[0, 1, 2]), Transferring(&[])] }],
    },
    Case {
        upstream: "testTwoConsumersOneTopicOnePartition",
        partitions: 1,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1", "consumer2"), checks: &[Transferring(&[])] }],
    },
    Case {
        upstream: "testTwoConsumersOneTopicTwoPartitions",
        partitions: 2,
        rounds: &[Round { grown_to: None, members: fresh!("consumer1", "consumer2"), checks: &[Gets("consumer1", &[0]), Gets("consumer2", &[1]), Transferring(&[])] }],
    },
    Case {
        upstream: "testTwoConsumersTwoTopicsSixPartitions, flattened: topic1-0..2 = 0..2, topic2-0..2 = 3..5",
        partitions: 6,
        rounds: &[Round {
            grown_to: None,
            members: fresh!("consumer1", "consumer2"),
            checks: &[Gets("consumer1", &[0, 2, 4]), Gets("consumer2", &[1, 3, 5]), Transferring(&[])],
        }],
    },
    Case {
        upstream: "testConsumerOwningMinQuotaExpectedMaxQuota, flattened: topic1-0..1 = 0..1, topic2-0..2 = 2..4",
        partitions: 5,
        rounds: &[Round {
            grown_to: None,
            members: &[("consumer1", These(&[0, 3])), ("consumer2", These(&[1, 4]))],
            checks: &[Gets("consumer1", &[0, 2, 3]), Gets("consumer2", &[1, 4]), Transferring(&[])],
        }],
    },
    Case {
        upstream: "testAllConsumersAreUnderMinQuota, flattened: topic1-0..1 = 0..1, topic2-0..2 = 2..4",
        partitions: 5,
        rounds: &[Round {
            grown_to: None,
            members: &[("consumer1", These(&[0])), ("consumer2", These(&[1])), ("consumer3", Nothing)],
            checks: &[Gets("consumer1", &[0, 3]), Gets("consumer2", &[1, 4]), Gets("consumer3", &[2]), Transferring(&[])],
        }],
    },
    Case {
        upstream: "testAddRemoveConsumerOneTopic",
        partitions: 3,
        rounds: &[
            Round { grown_to: None, members: fresh!("consumer1"), checks: &[Gets("consumer1", &[0, 1, 2])] },
            Round {
                grown_to: None,
                members: &[("consumer1", Previous), ("consumer2", Nothing)],
                checks: &[Transferring(&[(2, "consumer2")]), Gets("consumer1", &[0, 1]), Gets("consumer2", &[2])],
            },
            Round { grown_to: None, members: &[("consumer2", Previous)], checks: &[Gets("consumer2", &[0, 1, 2]), Transferring(&[])] },
        ],
    },
    Case {
        upstream: "testAddRemoveTopicTwoConsumers, rounds 1 and 2, flattened: topic-0..2 = 0..2, then topic2-0..2 = 3..5 join",
        partitions: 3,
        rounds: &[
            Round { grown_to: None, members: fresh!("consumer1", "consumer2"), checks: &[Transferring(&[])] },
            Round {
                grown_to: Some(6),
                members: &[("consumer1", Previous), ("consumer2", Previous)],
                checks: &[Transferring(&[]), Count("consumer1", 3), Count("consumer2", 3), Keeps("consumer1"), Keeps("consumer2")],
            },
        ],
    },
    Case {
        upstream: "testReassignmentAfterOneConsumerAdded",
        partitions: 20,
        rounds: &[
            Round { grown_to: None, members: fresh!("c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09"), checks: &[Transferring(&[])] },
            Round { grown_to: None, members: fresh!("c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09", "c10"), checks: &[Transferring(&[])] },
        ],
    },
    Case {
        upstream: "testSameSubscriptions, flattened: t01..t14 with 1..14 partitions, 105 in all",
        partitions: 105,
        rounds: &[
            Round { grown_to: None, members: fresh!("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"), checks: &[Transferring(&[])] },
            Round {
                grown_to: None,
                members: &[
                    ("c1", Previous),
                    ("c2", Previous),
                    ("c3", Previous),
                    ("c4", Previous),
                    ("c6", Previous),
                    ("c7", Previous),
                    ("c8", Previous),
                ],
                checks: &[Transferring(&[])],
            },
        ],
    },
    Case {
        upstream: "testStickiness",
        partitions: 3,
        rounds: &[
            Round { grown_to: None, members: fresh!("consumer1", "consumer2", "consumer3", "consumer4"), checks: &[Transferring(&[])] },
            Round {
                grown_to: None,
                members: &[("consumer2", Previous), ("consumer3", Previous), ("consumer4", Previous)],
                checks: &[Transferring(&[]), Keeps("consumer2"), Keeps("consumer3"), Keeps("consumer4")],
            },
        ],
    },
    Case {
        upstream: "testAllConsumersReachExpectedQuotaAndAreConsideredFilled",
        partitions: 4,
        rounds: &[Round {
            grown_to: None,
            members: &[("consumer1", These(&[0, 1])), ("consumer2", These(&[2])), ("consumer3", Nothing)],
            checks: &[Gets("consumer1", &[0, 1]), Gets("consumer2", &[2]), Gets("consumer3", &[3]), Transferring(&[])],
        }],
    },
];

/// StickyAssignorTest's own cases (the eager sticky assignor).
const STICKY_ONLY: &[Case] = &[
    Case {
        upstream: "testSchemaBackwardCompatibility (the assignment; the old user-data schema does not apply)",
        partitions: 3,
        rounds: &[Round {
            grown_to: None,
            members: &[("consumer1", These(&[0, 2])), ("consumer2", These(&[1])), ("consumer3", Nothing)],
            checks: &[Count("consumer1", 1), Count("consumer2", 1), Count("consumer3", 1), Within("consumer1"), Within("consumer2")],
        }],
    },
    Case {
        upstream: "testAssignorWithOldVersionSubscriptions (the assignment; subscription versions do not apply)",
        partitions: 3,
        rounds: &[Round {
            grown_to: None,
            members: &[("consumer1", These(&[0])), ("consumer2", These(&[1])), ("consumer3", Nothing)],
            checks: &[Gets("consumer1", &[0]), Gets("consumer2", &[1]), Gets("consumer3", &[2])],
        }],
    },
    Case {
        upstream: "testAssignmentWithMultipleGenerations1 (isAllSubscriptionsEqual = true), rounds 1 and 2, flattened: topic-0..5 = 0..5, topic2-0..5 = 6..11",
        partitions: 12,
        rounds: &[
            Round { grown_to: None, members: fresh!("consumer1", "consumer2", "consumer3"), checks: &[Count("consumer1", 4), Count("consumer2", 4), Count("consumer3", 4)] },
            Round {
                grown_to: None,
                members: &[("consumer1", Previous), ("consumer2", Previous)],
                checks: &[Count("consumer1", 6), Count("consumer2", 6), Keeps("consumer1"), Keeps("consumer2")],
            },
        ],
    },
    Case {
        upstream: "testAssignmentWithMultipleGenerations2 (isAllSubscriptionsEqual = true), rounds 1 and 2, flattened: topic, topic2, topic3 with 4 partitions each",
        partitions: 12,
        rounds: &[
            Round { grown_to: None, members: fresh!("consumer1", "consumer2", "consumer3"), checks: &[Count("consumer1", 4), Count("consumer2", 4), Count("consumer3", 4)] },
            Round { grown_to: None, members: &[("consumer2", Previous)], checks: &[Count("consumer2", 12), Keeps("consumer2")] },
        ],
    },
];

/// CooperativeStickyAssignorTest's own cases.
const COOPERATIVE_ONLY: &[Case] = &[Case {
    upstream: "testAssignorWithOldVersionSubscriptions (the assignment; subscription versions do not apply)",
    partitions: 3,
    rounds: &[Round {
        grown_to: None,
        members: &[("consumer1", These(&[0])), ("consumer2", These(&[1])), ("consumer3", Nothing)],
        checks: &[Gets("consumer1", &[0]), Gets("consumer2", &[1]), Gets("consumer3", &[2])],
    }],
}];

/// RangeAssignorTest: range deals each member a consecutive run.
#[test]
fn range_assignor_test_cases() {
    RANGE.iter().for_each(|case| run_case(case, Range));
}

/// RoundRobinAssignorTest: round robin deals partitions in turn.
#[test]
fn round_robin_assignor_test_cases() {
    ROUND_ROBIN.iter().for_each(|case| run_case(case, RoundRobin));
}

/// AbstractStickyAssignorTest as StickyAssignorTest runs it, and StickyAssignorTest's own cases.
#[test]
fn sticky_assignor_test_cases() {
    STICKY.iter().chain(STICKY_ONLY).for_each(|case| run_case(case, Sticky));
}

/// AbstractStickyAssignorTest as CooperativeStickyAssignorTest runs it, and CooperativeStickyAssignorTest's own cases.
#[test]
fn cooperative_sticky_assignor_test_cases() {
    STICKY.iter().chain(COOPERATIVE_ONLY).for_each(|case| run_case(case, CooperativeSticky));
}

/// AbstractStickyAssignorTest.testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers
/// (flattened: topic1-0..1 = 0..1, topic2-0..1 = 2..3), where mqsim
/// deliberately differs. consumer1 and consumer2 each own two of four
/// partitions and consumer3 joins: one of the two keeps two, the other
/// gives one to consumer3. Kafka decides in the iteration order of a
/// `HashMap` of member ids (for the ids "consumer1".."consumer3", that is
/// consumer3, consumer2, consumer1), so upstream expects consumer2 to keep
/// both and consumer1 to give up topic2-0. mqsim goes in member order:
/// consumer1 keeps both and consumer2 gives up its second partition.
#[test]
fn sticky_max_quota_members_beyond_the_remainder_keep_by_member_order() {
    let case = Case {
        upstream: "testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers (mqsim's side)",
        partitions: 4,
        rounds: &[Round {
            grown_to: None,
            members: &[("consumer1", These(&[0, 2])), ("consumer2", These(&[1, 3])), ("consumer3", Nothing)],
            checks: &[
                // Upstream: Transferring(&[(2, "consumer3")]), consumer1 [0], consumer2 [1, 3], consumer3 [2].
                Transferring(&[(3, "consumer3")]),
                Gets("consumer1", &[0, 2]),
                Gets("consumer2", &[1]),
                Gets("consumer3", &[3]),
            ],
        }],
    };
    run_case(&case, Sticky);
    run_case(&case, CooperativeSticky);
}

// The sticky properties on generated groups: balance, stickiness and,
// for the cooperative assignor, no direct moves.

/// 256 cases unless `PROPTEST_CASES` asks for another number.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig { failure_persistence: None, ..ProptestConfig::default() };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    config
}

/// A group's history: a partition count and several generations, each a
/// set of member ids (0..12) in id order.
fn generations() -> impl Strategy<Value = (u32, Vec<Vec<u32>>)> {
    (1..=40u32, prop::collection::vec(prop::collection::btree_set(0..12u32, 1..=8), 1..6))
        .prop_map(|(partitions, gens)| (partitions, gens.into_iter().map(|g| g.into_iter().collect()).collect()))
}

/// The most partitions any balanced assignment can leave with their
/// previous owners: each member keeps up to the min quota, and as many as
/// the remainder allows of those that had more keep one more.
fn most_keepable(partitions: u32, members: usize, had: &[usize]) -> usize {
    let n = partitions as usize;
    let (min, rem) = (n / members, n % members);
    let at_min: usize = had.iter().map(|&h| h.min(min)).sum();
    let can_take_more = had.iter().filter(|&&h| h > min).count();
    at_min + if rem > 0 { can_take_more.min(rem) } else { 0 }
}

/// Each generation's previous owners (by member id) mapped to the new member list.
fn previous_of(owner_ids: &[Option<u32>], members: &[u32]) -> Vec<Option<usize>> {
    owner_ids.iter().map(|o| o.and_then(|id| members.iter().position(|&m| m == id))).collect()
}

proptest! {
    #![proptest_config(config())]

    /// The sticky assignor stays balanced (sizes within one) and keeps as
    /// many partitions with their previous owner as balance allows, generation after generation.
    #[test]
    fn sticky_is_balanced_and_keeps_what_balance_allows((partitions, gens) in generations()) {
        let mut owner_ids: Vec<Option<u32>> = vec![None; partitions as usize];
        for members in &gens {
            let previous = previous_of(&owner_ids, members);
            let result = assignor::sticky(partitions, members.len(), &previous);
            let sizes: Vec<usize> = (0..members.len()).map(|m| result.iter().filter(|&&o| o == m).count()).collect();
            prop_assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "sizes {:?} for {} partitions", sizes, partitions);
            let had: Vec<usize> = (0..members.len()).map(|m| previous.iter().filter(|&&o| o == Some(m)).count()).collect();
            let kept = previous.iter().zip(&result).filter(|(p, r)| **p == Some(**r)).count();
            prop_assert_eq!(kept, most_keepable(partitions, members.len(), &had), "previous {:?}, result {:?}", previous, result);
            owner_ids = result.iter().map(|&m| Some(members[m])).collect();
        }
    }

    /// The cooperative sticky assignor never hands a partition to a new
    /// member in the round its present owner gives it up; one follow-up
    /// round completes the sticky assignment, and it moves nothing.
    #[test]
    fn cooperative_sticky_never_moves_a_partition_directly((partitions, gens) in generations()) {
        let mut owner_ids: Vec<Option<u32>> = vec![None; partitions as usize];
        for members in &gens {
            let previous = previous_of(&owner_ids, members);
            let first = assignor::cooperative_sticky(partitions, members.len(), &previous);
            for (p, (before, now)) in previous.iter().zip(&first).enumerate() {
                if let (Some(before), Some(now)) = (before, now) {
                    prop_assert_eq!(before, now, "partition {} moved from member {} to {} in one round", p, before, now);
                }
            }
            // The follow-up round: the members own what the first gave them.
            let second = assignor::cooperative_sticky(partitions, members.len(), &first);
            prop_assert!(second.iter().all(Option::is_some), "the second round left {:?} unassigned", second);
            prop_assert!(first.iter().zip(&second).all(|(a, b)| a.is_none() || a == b), "the second round moved {:?} to {:?}", first, second);
            let sizes: Vec<usize> = (0..members.len()).map(|m| second.iter().filter(|&&o| o == Some(m)).count()).collect();
            prop_assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "sizes {:?} after the second round", sizes);
            owner_ids = second.iter().map(|o| o.map(|m| members[m])).collect();
        }
    }
}
