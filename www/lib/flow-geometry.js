// Where the flow view (lib/flow-view.js) puts things: node sizes, the
// layering of the topology into columns, and where a consumer's instances or
// a group's members sit in their box. Sizes are in the view's own pixels,
// before its zoom.
export const PAD_X = 18;
export const PAD_Y = 16;
export const MIN_GAP_Y = 14;
export const NODE_W_MAX = 190;
export const NODE_W_MIN = 100;
export const MAX_ZOOM = 1.25; // a small topology is drawn a little larger
export const MIN_ZOOM = 0.75; // a narrow canvas draws smaller down to this, and no smaller (see minWidth)
export const MIN_GAP_X = 56;
export const DOT_R = 4.2;
export const INSTANCE_R = 8;
export const INSTANCE_GAP = 6;
export const MAX_INSTANCES_DRAWN = 24;
export const PART_ROW_H = 20; // one partition's row in a topic box
export const PARTS_DRAWN = 12; // more partitions than this are summarised in a last line
export const TOPIC_HEAD_H = 40;
export const MEMBER_LABEL_H = 11; // the partition numbers under a group member
const HEIGHTS = { producer: 48, request_flow: 48, queue: 62, service: 48 };
export const KIND_RANK = { producer: 0, request_flow: 0, exchange: 1, queue: 1, topic: 1, consumer: 2, consumer_group: 2, service: 3 };

/** Layer of each node: the longest path to it from a source (bounded, so a cycle cannot hang it). */
export function layers(nodes, edges) {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const layer = nodes.map(() => 0);
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const e of edges) {
      const a = index.get(e.from);
      const b = index.get(e.to);
      if (a == null || b == null || layer[b] >= layer[a] + 1) continue;
      layer[b] = layer[a] + 1;
      changed = true;
    }
    if (!changed) break;
  }
  return layer;
}

function instancesPerRow(width) {
  return Math.max(1, Math.floor((width - 12) / (2 * INSTANCE_R + INSTANCE_GAP)));
}

export function nodeHeight(node, width) {
  if (node.kind === 'topic') {
    const n = node.partitions.length;
    return TOPIC_HEAD_H + Math.min(n, PARTS_DRAWN) * PART_ROW_H + (n > PARTS_DRAWN ? 14 : 0) + 6;
  }
  if (node.kind === 'consumer_group') {
    const shown = Math.min(node.members.length, MAX_INSTANCES_DRAWN);
    const rows = Math.max(1, Math.ceil(shown / instancesPerRow(width)));
    return 42 + rows * (2 * INSTANCE_R + INSTANCE_GAP + MEMBER_LABEL_H);
  }
  if (node.kind !== 'consumer') return HEIGHTS[node.kind] ?? 46;
  const shown = Math.min(node.instances.length, MAX_INSTANCES_DRAWN);
  const rows = Math.max(1, Math.ceil(shown / instancesPerRow(width)));
  return 42 + rows * (2 * INSTANCE_R + INSTANCE_GAP);
}

/** Where a circle sits among `count` circles laid out in rows in `box`. */
export function circleAt(box, k, count, rowStep) {
  const perRow = instancesPerRow(box.w);
  const step = 2 * INSTANCE_R + INSTANCE_GAP;
  const rowWidth = Math.min(count, perRow) * step - INSTANCE_GAP;
  return {
    x: box.x + (box.w - rowWidth) / 2 + INSTANCE_R + (k % perRow) * step,
    y: box.y + 38 + INSTANCE_R + Math.floor(k / perRow) * rowStep,
  };
}
