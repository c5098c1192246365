/**
 * The lexical ranker's few-shot loop: after new annotations only the linear models of labels whose
 * training documents changed are retrained — with the tree nodes above them — and labels that got
 * their first documents join the tree (flat: the root group; tree: the leaf cluster whose PIFA
 * centroid is closest). Everything else keeps its weights, so a retrain costs seconds, not a full
 * training. The TF-IDF features stay the previous model's (like the vocabulary).
 */
import { labelDocs, pifaVectors } from './pifa';
import type { GroupRunner } from './group-runner';
import type { LexicalRanker, RankerLevel } from './ranker';
import { sparseDot, type Csr, type SparseVector } from './sparse';
import type { GroupChunk, GroupTask } from './train-group';
import { matcherParents } from './matcher-negatives';
import { groupTasksAt, type RankerOptions } from './train-ranker';
import { ancestors, nodesAt, type LabelTree } from './tree';

/** FNV-1a of each label's training documents (by text fingerprint), to see which changed. */
export function positiveFingerprints(docHashes: ArrayLike<number>, docLabels: readonly ArrayLike<number>[], numLabels: number): Int32Array {
  const ld = labelDocs(docLabels, numLabels);
  const out = new Int32Array(numLabels);
  for (let l = 0; l < numLabels; l++) {
    const hs = Array.from(ld.docs.subarray(ld.start[l]!, ld.start[l + 1]!), (d) => docHashes[d]! >>> 0).sort((a, b) => a - b);
    let h = 0x811c9dc5;
    for (const v of hs) {
      for (let s = 0; s < 32; s += 8) {
        h ^= (v >>> s) & 0xff;
        h = Math.imul(h, 0x01000193);
      }
    }
    out[l] = hs.length ? h | 0 : 0;
  }
  return out;
}

/** A 32-bit FNV-1a of a text (documents are matched across trainings by their text). */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** One group's entries out of a level, as a chunk (children local to the group). */
function groupChunkOf(level: RankerLevel, p: number, m: number, firstNode: number): GroupChunk {
  const a = level.featStart[p]!;
  const b = level.featStart[p + 1]!;
  const e0 = level.entryStart[a]!;
  const e1 = level.entryStart[b]!;
  return {
    id: p,
    feats: level.feats.slice(a, b),
    entryStart: Int32Array.from(level.entryStart.subarray(a, b + 1), (e) => e - e0),
    child: level.child.slice(e0, e1),
    weight: level.weight.slice(e0, e1),
    bias: level.bias.slice(firstNode, firstNode + m),
    childRange: [0, m],
    solverIterations: 0,
    solverWork: 0,
  };
}

/** Merges chunks of one group (any child order) into feature-major arrays; `drop` children are left out of `base`. */
function mergeGroup(base: GroupChunk, fresh: readonly GroupChunk[], drop: Set<number>, m: number): GroupChunk {
  const perFeature = new Map<number, [number, number][]>();
  const add = (c: GroupChunk, keep: (child: number) => boolean): void => {
    c.feats.forEach((f, i) => {
      for (let e = c.entryStart[i]!; e < c.entryStart[i + 1]!; e++) {
        if (!keep(c.child[e]!)) continue;
        let list = perFeature.get(f);
        if (!list) perFeature.set(f, (list = []));
        list.push([c.child[e]!, c.weight[e]!]);
      }
    });
  };
  add(base, (c) => !drop.has(c));
  for (const c of fresh) add(c, () => true);
  const feats = [...perFeature.keys()].sort((x, y) => x - y);
  const entryStart = [0];
  const child: number[] = [];
  const weight: number[] = [];
  for (const f of feats) {
    for (const [c, w] of perFeature.get(f)!.sort((x, y) => x[0] - y[0])) {
      child.push(c);
      weight.push(w);
    }
    entryStart.push(child.length);
  }
  const bias = new Float32Array(m);
  bias.set(base.bias.subarray(0, Math.min(m, base.bias.length)));
  for (const c of fresh) for (let k = c.childRange[0]; k < c.childRange[1]; k++) bias[k] = c.bias[k]!;
  return { ...base, feats: Int32Array.from(feats), entryStart: Int32Array.from(entryStart), child: Int32Array.from(child), weight: Float32Array.from(weight), bias, childRange: [0, m] };
}

function levelFrom(tree: LabelTree, k: number, groups: readonly GroupChunk[]): RankerLevel {
  const P = groups.length;
  const nFeats = groups.reduce((a, g) => a + g.feats.length, 0);
  const nEntries = groups.reduce((a, g) => a + g.child.length, 0);
  const level: RankerLevel = { featStart: new Float64Array(P + 1), feats: new Int32Array(nFeats), entryStart: new Float64Array(nFeats + 1), child: new Int32Array(nEntries), weight: new Float32Array(nEntries), bias: new Float32Array(nodesAt(tree, k)) };
  let fo = 0;
  let eo = 0;
  const cs = tree.levels[k]!.childStart;
  groups.forEach((g, p) => {
    level.feats.set(g.feats, fo);
    for (let i = 0; i < g.feats.length; i++) level.entryStart[fo + i] = eo + g.entryStart[i]!;
    level.child.set(g.child, eo);
    level.weight.set(g.weight, eo);
    level.bias.set(g.bias.subarray(0, cs[p + 1]! - cs[p]!), cs[p]!);
    fo += g.feats.length;
    eo += g.child.length;
    level.featStart[p + 1] = fo;
  });
  level.entryStart[nFeats] = eo;
  return level;
}

export interface RankerRetrainInput {
  previous: LexicalRanker;
  /** [new L] the previous model's label id of each label, or null for a label new to the model. */
  previousIndex: readonly (number | null)[];
  X: Csr;
  docLabels: readonly ArrayLike<number>[];
  numLabels: number;
  /** Labels (new ids) whose training documents changed. */
  changed: ReadonlySet<number>;
}

/** Retrains the changed labels' models and the tree nodes above them; returns the new ranker. */
export async function retrainRanker(input: RankerRetrainInput, o: RankerOptions, runner: GroupRunner): Promise<{ ranker: LexicalRanker; retrainedModels: number; newLabels: number }> {
  const { previous, previousIndex, X, docLabels, numLabels } = input;
  const oldToNew = new Map<number, number>();
  previousIndex.forEach((p, i) => {
    if (p !== null) oldToNew.set(p, i);
  });
  const K = previous.tree.levels.length;
  // 1. the tree with labels renumbered, plus labels that now have documents but no node
  const ld = labelDocs(docLabels, numLabels);
  const inTree = new Set<number>();
  const leafLabels: number[][] = [];
  const lastCs = previous.tree.levels[K - 1]!.childStart;
  for (let p = 0; p + 1 < lastCs.length; p++) {
    const members: number[] = [];
    for (let q = lastCs[p]!; q < lastCs[p + 1]!; q++) {
      const l = oldToNew.get(previous.tree.labels[q]!);
      if (l === undefined) throw new Error(`retrain: label ${previous.tree.labels[q]} of the previous ranker is missing from the new label space`);
      members.push(l);
      inTree.add(l);
    }
    leafLabels.push(members);
  }
  const added = Array.from({ length: numLabels }, (_, l) => l).filter((l) => !inTree.has(l) && ld.start[l + 1]! > ld.start[l]!);
  if (added.length) {
    if (leafLabels.length === 1) leafLabels[0]!.push(...added);
    else {
      // nearest leaf cluster by PIFA: the centroid of its labels' vectors
      const members = leafLabels.flat();
      const vectors = pifaVectors(X, ld, [...members, ...added], o.pifaTerms);
      const vecOf = new Map([...members, ...added].map((l, i) => [l, vectors[i]!]));
      const centroids = leafLabels.map((ls) => centroid(ls.map((l) => vecOf.get(l)!)));
      for (const l of added) {
        let best = 0;
        let bestScore = -Infinity;
        centroids.forEach((c, p) => {
          const s = sparseDot(vecOf.get(l)!, c);
          if (s > bestScore) {
            bestScore = s;
            best = p;
          }
        });
        leafLabels[best]!.push(l);
      }
    }
  }
  const lastChildStart = new Int32Array(leafLabels.length + 1);
  leafLabels.forEach((ls, p) => (lastChildStart[p + 1] = lastChildStart[p]! + ls.length));
  const tree: LabelTree = { levels: [...previous.tree.levels.slice(0, K - 1), { childStart: lastChildStart }], labels: Int32Array.from(leafLabels.flat()) };
  // 2. changed nodes: the changed labels, the new ones, and every ancestor of them
  const changedLabels = new Set([...input.changed].filter((l) => ld.start[l + 1]! > ld.start[l]!));
  for (const l of added) changedLabels.add(l);
  const anc = ancestors(tree);
  const changedNodes = tree.levels.map(() => new Set<number>());
  // a leaf group that had a single child had no model for it (it passed through): train them all
  leafLabels.forEach((ls, p) => {
    if (lastCs[p + 1]! - lastCs[p]! === 1 && ls.length > 1) for (const l of ls) changedLabels.add(l);
  });
  tree.labels.forEach((l, q) => {
    if (!changedLabels.has(l)) return;
    for (let k = 0; k < K; k++) changedNodes[k]!.add(anc[k]![q]!);
  });
  // 3. tasks: one per changed child, on its group's documents (with the negatives the previous
  // ranker's upper levels route to it, as the full training does)
  const matcher = o.matcherBeam > 0 && K > 1;
  const perLevel = tree.levels.map((_, k) =>
    matcher && k > 0 && changedNodes[k]!.size ? groupTasksAt(tree, k, docLabels, numLabels, matcherParents(tree, previous.levels, k - 1, X, o.matcherBeam, previous.loss)) : groupTasksAt(tree, k, docLabels, numLabels),
  );
  const tasks: { level: number; parent: number; task: GroupTask }[] = [];
  perLevel.forEach((groups, k) =>
    groups.forEach((g) => {
      const first = tree.levels[k]!.childStart[g.parent]!;
      for (let c = 0; c < g.task.children; c++) {
        if (changedNodes[k]!.has(first + c) && g.task.children > 1) tasks.push({ level: k, parent: g.parent, task: { ...g.task, id: tasks.length, childRange: [c, c + 1] } });
      }
    }),
  );
  const fresh: GroupChunk[][][] = perLevel.map((groups) => groups.map(() => []));
  await runner.run(
    tasks.map((t) => t.task),
    (chunk) => {
      const t = tasks[chunk.id]!;
      fresh[t.level]![t.parent]!.push(chunk);
    },
  );
  // 4. reassemble: previous entries of unchanged children, fresh ones of the retrained
  const levels = tree.levels.map((lv, k) => {
    const cs = lv.childStart;
    const prevLevel = previous.levels[k]!;
    const prevCs = previous.tree.levels[k]!.childStart;
    const groups: GroupChunk[] = [];
    for (let p = 0; p + 1 < cs.length; p++) {
      const m = cs[p + 1]! - cs[p]!;
      const prevM = prevCs[p + 1]! - prevCs[p]!;
      const base = groupChunkOf(prevLevel, p, prevM, prevCs[p]!);
      const retrained = new Set(fresh[k]![p]!.map((c) => c.childRange[0]));
      // a group that went from one child to several has no previous models to keep
      groups.push(mergeGroup(prevM === 1 && m > 1 ? { ...base, feats: new Int32Array(0), entryStart: Int32Array.of(0), child: new Int32Array(0), weight: new Float32Array(0) } : base, fresh[k]![p]!, retrained, m));
    }
    return levelFrom(tree, k, groups);
  });
  return { ranker: { tree, levels, loss: previous.loss }, retrainedModels: tasks.length, newLabels: added.length };
}

function centroid(vectors: readonly SparseVector[]): SparseVector {
  const acc = new Map<number, number>();
  for (const v of vectors) v.indices.forEach((f, i) => acc.set(f, (acc.get(f) ?? 0) + v.values[i]!));
  const idx = [...acc.keys()].sort((a, b) => a - b);
  const norm = Math.sqrt(idx.reduce((s, f) => s + acc.get(f)! ** 2, 0)) || 1;
  return { indices: Int32Array.from(idx), values: Float32Array.from(idx, (f) => acc.get(f)! / norm) };
}
