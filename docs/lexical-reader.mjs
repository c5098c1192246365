// Reference reader of Planter's lexical.bin (docs/lexical-format.md): plain JavaScript, no
// dependencies. Reads the file, turns a document's token ids into its TF-IDF row, and ranks the
// labels by beam search down the tree — the same numbers Planter computes.
//
//   import { readLexical, tfidfRow, rankLabels } from './lexical-reader.mjs';
//   const m = readLexical(fs.readFileSync('lexical.bin'));
//   const top = rankLabels(m, tfidfRow(m, tokenIds), { beam: 20, topK: 10 });  // [{ label, score, raw }]
//   const votes = neighbourVotes(m, tfidfRow(m, tokenIds), { k: 25 });      // [{ label, vote }] (models with neighbours)
//
// Token ids come from vocab.json (tokens[i] is id i; Planter's tokenizer: lower-cased words,
// digits folded to 0, see the bundle's model card).

export function readLexical(buf) {
  // a plain Uint8Array view (Node's Buffer.slice would not copy, and .buffer would be the whole pool)
  const bytes = ArrayBuffer.isView(buf) ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (new TextDecoder('latin1').decode(bytes.subarray(0, 8)) !== 'PLNTLEX1') throw new Error('not a Planter lexical model');
  const n = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n)));
  const types = { f64: Float64Array, f32: Float32Array, i32: Int32Array };
  const a = {};
  for (const e of header.arrays) {
    const T = types[e.dtype];
    a[e.name] = new T(bytes.slice(e.offset, e.offset + e.length * T.BYTES_PER_ELEMENT).buffer);
  }
  const levels = header.tree.levels.map((_, k) => ({
    childStart: a[`tree.${k}.childStart`],
    featStart: a[`ranker.${k}.featStart`],
    feats: a[`ranker.${k}.feats`],
    entryStart: a[`ranker.${k}.entryStart`],
    child: a[`ranker.${k}.child`],
    weight: a[`ranker.${k}.weight`],
    bias: a[`ranker.${k}.bias`],
  }));
  const index = new Map();
  a['tfidf.keys'].forEach((key, f) => index.set(key, f));
  const neighbours = a['neighbours.postStart']
    ? { postStart: a['neighbours.postStart'], postDoc: a['neighbours.postDoc'], postValue: a['neighbours.postValue'], labelStart: a['neighbours.labelStart'], docLabels: a['neighbours.docLabels'], docHash: a['neighbours.docHash'], docId: a['neighbours.docId'] }
    : null;
  return { header, levels, labels: a['tree.labels'], keys: a['tfidf.keys'], idf: a['tfidf.idf'], index, neighbours };
}

/** The L2-normalised sublinear TF-IDF row of a document: { indices (ascending), values }. */
export function tfidfRow(m, ids) {
  const V = m.header.tfidf.vocabSize;
  const word = (id) => id > 2; // 0 pad, 1 <unk>, 2 <mask>
  const tf = new Map();
  const add = (key) => {
    const f = m.index.get(key);
    if (f !== undefined) tf.set(f, (tf.get(f) ?? 0) + 1);
  };
  for (let i = 0; i < ids.length; i++) {
    if (!word(ids[i])) continue;
    add(ids[i]);
    if (m.header.tfidf.ngrams === 2 && i + 1 < ids.length && word(ids[i + 1])) add(V + ids[i] * V + ids[i + 1]);
  }
  const indices = [...tf.keys()].sort((x, y) => x - y);
  const values = indices.map((f) => (1 + Math.log(tf.get(f))) * m.idf[f]);
  const norm = Math.hypot(...values) || 1;
  return { indices, values: values.map((v) => v / norm) };
}

const post = (loss, v) => (loss === 'logistic' ? 1 / (1 + Math.exp(-v)) : Math.exp(-(Math.max(0, 1 - v) ** 3)));

/** Beam search: [{ label, score (path score), raw (the label's w·x + b) }], best first. */
export function rankLabels(m, x, { beam = 20, topK = 10 } = {}) {
  const wx = new Map(x.indices.map((f, j) => [f, x.values[j]]));
  let frontier = [{ node: 0, score: 1 }];
  for (let k = 0; k < m.levels.length; k++) {
    const L = m.levels[k];
    const next = [];
    for (const { node: p, score } of frontier) {
      const first = L.childStart[p];
      const acc = new Float64Array(L.childStart[p + 1] - first);
      for (let i = L.featStart[p]; i < L.featStart[p + 1]; i++) {
        const v = wx.get(L.feats[i]);
        if (v !== undefined) for (let e = L.entryStart[i]; e < L.entryStart[i + 1]; e++) acc[L.child[e]] += L.weight[e] * v;
      }
      acc.forEach((s, c) => {
        const raw = s + L.bias[first + c];
        next.push({ node: first + c, score: score * post(m.header.loss, raw), raw });
      });
    }
    next.sort((a, b) => b.score - a.score || a.node - b.node);
    frontier = k < m.levels.length - 1 ? next.slice(0, beam) : next.slice(0, topK);
  }
  return frontier.map((t) => ({ label: m.labels[t.node], score: t.score, raw: t.raw }));
}

/** The k nearest training documents' votes for their labels: [{ label, vote }], best first. */
export function neighbourVotes(m, x, { k = 25, queryFeatures = 64 } = {}) {
  const nb = m.neighbours;
  if (!nb) return [];
  const heaviest = x.indices.map((_, j) => j).sort((a, b) => x.values[b] - x.values[a] || a - b).slice(0, queryFeatures);
  const sim = new Map();
  for (const j of heaviest) {
    const f = x.indices[j];
    if (f + 1 >= nb.postStart.length) continue;
    for (let p = nb.postStart[f]; p < nb.postStart[f + 1]; p++) sim.set(nb.postDoc[p], (sim.get(nb.postDoc[p]) ?? 0) + x.values[j] * nb.postValue[p]);
  }
  const near = [...sim].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
  const total = near.reduce((t, [, s]) => t + s, 0);
  const vote = new Map();
  for (const [d, s] of near) for (let p = nb.labelStart[d]; p < nb.labelStart[d + 1]; p++) vote.set(nb.docLabels[p], (vote.get(nb.docLabels[p]) ?? 0) + s);
  return [...vote].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([label, v]) => ({ label, vote: v / total }));
}
