// Live commands and scheduled faults as sentences, in English and Chinese:
// every `Command` (src/engine/control.rs) and every `FaultAction`
// (src/scenario/mod.rs), by its JSON name, with `{field}` placeholders
// filled from its JSON arguments by `describeCommand` (lib/i18n.js). A live
// command and a fault of the same name take the same arguments, so they
// share a sentence.

export const COMMANDS = {
  en: {
    // Live commands (the "Live changes" panel) and faults alike.
    set_rate: '{producer}: rate → {rate}/s',
    set_consumers: '{consumer}: instances → {count}',
    set_prefetch: '{consumer}: prefetch → {prefetch}',
    crash_consumer: 'crash {consumer}#{instance}',
    restart_consumer: 'restart {consumer}#{instance}',
    service_down: '{service} down',
    service_up: '{service} up',
    slow_consumer: '{consumer}#{instance}: service time ×{factor}',
    crash_broker: 'broker {broker} crashes',
    restart_broker: 'broker {broker} restarts',
    add_partitions: '{topic}: partitions → {partitions}',
    set_acks: '{producer}: acks → {acks}',
    set_commit: '{consumer}: commit → {commit}',
    // Faults a scenario schedules.
    crash_request_handler: '{flow}: request handler crashes for {down_for}',
    replay_dead_letters: 'replay the dead letters of {queue}',
    crash_amqp_broker: 'the broker crashes',
    restart_amqp_broker: 'the broker restarts',
    slow_replication: 'broker {broker}: replication rounds take {fetch_delay}',
    join_group: '{consumer}#{instance} joins its group',
    leave_group: '{consumer}#{instance} leaves its group',
    pause_consumer: '{consumer}#{instance} pauses',
    resume_consumer: '{consumer}#{instance} resumes',
    skip_non_critical: '{consumer}: skip non-critical records',
  },
  zh: {
    set_rate: '{producer}：速率 → {rate}/秒',
    set_consumers: '{consumer}：实例数 → {count}',
    set_prefetch: '{consumer}：预取数 → {prefetch}',
    crash_consumer: '{consumer}#{instance} 宕机',
    restart_consumer: '{consumer}#{instance} 重启',
    service_down: '{service} 宕机',
    service_up: '{service} 恢复',
    slow_consumer: '{consumer}#{instance}：处理时间 ×{factor}',
    crash_broker: 'broker {broker} 宕机',
    restart_broker: 'broker {broker} 重启',
    add_partitions: '{topic}：分区数 → {partitions}',
    set_acks: '{producer}：acks → {acks}',
    set_commit: '{consumer}：提交方式 → {commit}',
    crash_request_handler: '{flow}：请求处理进程宕机 {down_for}',
    replay_dead_letters: '重放 {queue} 中的死信',
    crash_amqp_broker: 'Broker 宕机',
    restart_amqp_broker: 'Broker 重启',
    slow_replication: 'broker {broker}：每轮复制耗时 {fetch_delay}',
    join_group: '{consumer}#{instance} 加入消费者组',
    leave_group: '{consumer}#{instance} 离开消费者组',
    pause_consumer: '{consumer}#{instance} 暂停拉取',
    resume_consumer: '{consumer}#{instance} 恢复拉取',
    skip_non_critical: '{consumer}：跳过非关键消息',
  },
};
