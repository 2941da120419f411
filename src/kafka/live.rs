//! Live changes to the log family that no scenario fault expresses: how
//! many members a group runs, and its commit mode. (Crashing brokers and
//! members, adding partitions and slowing members reuse the faults' code.)

use super::Event;
use super::Member;
use super::World;
use crate::context::Ctx;
use crate::message::Meta;
use crate::scenario::CommitMode;

impl World {
    /// Runs `count` members of group `g`. Scaling in shuts the highest-numbered
    /// running members down gracefully (LeaveGroup, as a deployment scaling
    /// in does), so the group rebalances at once rather than after a session
    /// timeout; scaling out starts stopped members first, then adds new ones.
    /// Members beyond the partition count join and sit idle, as in Kafka.
    pub(crate) fn set_kafka_members<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, g: u32, count: u32) {
        let members = self.groups[g as usize].members.clone();
        let running: Vec<u32> = members
            .iter()
            .copied()
            .filter(|&m| self.members[m as usize].running && !self.members[m as usize].leaving)
            .collect();
        let count = count as usize;
        if running.len() > count {
            for &m in running[count..].iter().rev() {
                self.leave_member(cx, m);
            }
            return;
        }
        let mut missing = count - running.len();
        for &m in &members {
            if missing == 0 {
                break;
            }
            let member = &self.members[m as usize];
            if !member.running {
                self.join_member(cx, m);
                missing -= 1;
            } else if member.leaving {
                // It has not left yet: it stays after all.
                self.members[m as usize].leaving = false;
                missing -= 1;
            }
        }
        for n in 0..missing {
            let m = self.members.len() as u32;
            self.members.push(Member::new(g, (members.len() + n) as u32));
            self.groups[g as usize].members.push(m);
            self.join_member(cx, m);
        }
    }

    /// Group `g` commits by `commit` from now on. Auto-commit timers set
    /// under the old mode lapse; under `auto` every running member starts
    /// its interval now.
    pub(crate) fn set_commit_mode<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, g: u32, commit: CommitMode) {
        let group = &mut self.groups[g as usize];
        group.settings.commit = commit;
        group.commit_serial = group.commit_serial.wrapping_add(1);
        let members = group.members.clone();
        for m in members {
            if self.members[m as usize].running {
                self.schedule_auto_commit(cx, m);
            }
        }
    }
}
