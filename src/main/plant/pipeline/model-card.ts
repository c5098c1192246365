import type { EvalReport } from '../../../shared/contract';
import type { PlantModel } from './model';

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(3));
const KEYS = ['p@1', 'p@5', 'ndcg@5', 'psp@5', 'micro_f1', 'macro_f1', 'macro_auc'] as const;

function table(r: EvalReport): string {
  const rows = [['all', r, null] as const, ...(['zero', 'few', 'mid', 'head'] as const).map((b) => [b, r.buckets[b], r.buckets[b].labels] as const)];
  return [
    `| labels | n | ${KEYS.join(' | ')} |`,
    `|---|---|${KEYS.map(() => '---').join('|')}|`,
    ...rows.map(([name, m, n]) => `| ${name} | ${n ?? ''} | ${KEYS.map((k) => fmt(m[k])).join(' | ')} |`),
  ].join('\n');
}

/** The model card shipped in every export: data, settings, metrics per bucket, date. */
export function modelCard(model: PlantModel, extra: { projectName?: string } = {}): string {
  const buckets = { zero: 0, few: 0, mid: 0, head: 0 };
  for (const f of model.trainFreq) buckets[f === 0 ? 'zero' : f <= 5 ? 'few' : f <= 50 ? 'mid' : 'head']++;
  const s = model.settings;
  const attention = model.kind === 'plant' ? 'PLANT (attention planted from learning-to-rank, arXiv 2410.23066)' : 'LANT (label-wise attention, random U: the ablation)';
  const lexical = model.lexical
    ? `sparse lexical ranker: word 1–2-gram TF-IDF (${model.lexical.tfidf.keys.length} features) and L2-regularised ${model.lexical.options.loss === 'logistic' ? 'logistic' : 'squared-hinge'} linear models (C = ${model.lexical.options.C}) for ${model.lexical.ranker.tree.labels.length} labels with training documents, ${model.lexical.ranker.levels.length === 1 ? 'one-vs-rest' : `in a label tree of ${model.lexical.ranker.tree.levels.map((l) => l.childStart[l.childStart.length - 1]).join(' → ')} nodes (beam ${s.lexical.beam})`}; labels without documents ranked by their description${model.lexical.neighbours ? `; the ${s.lexical.neighbours} nearest of its ${model.lexical.neighbours.docs} training documents (TF-IDF cosine) vote for their labels, and up to ${s.lexical.neighbourCandidates} voted labels join the candidates` : ''}`
    : '';
  const served =
    model.serves === 'fused'
      ? `**fused**: the ${lexical}; its ${s.lexical.shortlist} best labels (plus ${s.lexical.zeroShot} by description) are scored by the attention model — ${attention} — and a logistic fusion turns both scores into a probability (lexical.bin, model-subset.onnx, fusion.json)`
      : model.serves === 'lexical'
        ? `**lexical ranker alone**: the ${lexical}; a logistic fusion of its scores gives a probability (lexical.bin, fusion.json)`
        : `**attention model alone**: ${attention} (model.onnx)`;
  const fusion = model.fusion
    ? `\n## Fusion (fitted on the tuning half of dev)\nprobability = sigmoid(Σ weight × feature) over each candidate's features (lexical/…/fusion/features.ts, version ${model.fusion.version}):\n\n| feature | weight |\n|---|---|\n${model.fusion.names.map((n, i) => `| ${n} | ${model.fusion!.theta[i]!.toFixed(4)} |`).join('\n')}\n`
    : '';
  const calibration = model.calibration?.ece !== undefined && model.calibration?.ece !== null ? `\n- **Calibration**: expected calibration error ${model.calibration.ece.toFixed(3)} over each evaluation document's top 15 suggestions (${model.calibration.pairs} pairs)` : '';
  const parts =
    model.components && (model.components.lexical || model.components.attention)
      ? `\n## The parts alone (evaluation half of dev)\n${model.components.lexical ? `Lexical ranker:\n\n${table(model.components.lexical)}\n` : ''}${model.components.attention ? `\nAttention model (every label scored):\n\n${table(model.components.attention)}\n` : ''}`
      : '';
  return `# Planter model card

- **Serves**: ${served}${calibration}
- **Attention model**: ${model.serves === 'lexical' ? 'not trained yet (this model is the lexical ranker alone)' : attention}
- **Created**: ${model.createdAt}${extra.projectName ? `\n- **Project**: ${extra.projectName}` : ''}
- **Labels**: ${model.labels.length} (by training documents: zero ${buckets.zero}, 1–5 ${buckets.few}, 6–50 ${buckets.mid}, >50 ${buckets.head})
- **Training documents**: ${model.numTrainDocs}
- **Vocabulary**: ${model.vocabulary.tokens.length} tokens (fingerprint \`${model.vocabulary.fingerprint}\`)
- **Architecture**: embedding → 1-D conv (kernel ${s.kernel}, d = ${s.dim}) → label-wise attention → per-label head; windows of ${s.maxLen} tokens, document score = max over windows
- **Decision thresholds**: on the ${model.serves === 'attention' ? 'sigmoid scores' : 'fused probabilities'}, one per training-frequency bucket, tuned for micro-F1 on the tuning half of dev (global fallback ${model.threshold.toFixed(4)}; each label's in labels.json)

## Settings
\`\`\`json
${JSON.stringify(s, null, 2)}
\`\`\`

## Metrics (evaluation half of dev)
${model.metrics ? table(model.metrics) : 'No dev split was available; the model was not evaluated.'}

Buckets group the gold labels of the evaluated documents by their number of training documents:
zero (0), few (1–5), mid (6–50), head (> 50). PSP uses Jain et al. (2016) propensities (A = 0.55, B = 1.5).

${parts}${fusion}
## Stage timings
${model.stageTimings.map((t) => `- ${t.stage}: ${t.seconds.toFixed(1)} s`).join('\n')}

${model.serves === 'lexical' ? '' : `## Inputs and outputs of model.onnx
- \`token_ids\` [B, T] int64: ids from \`vocab.json\` (tokenizer settings inside), pad id 0; T ≤ ${s.maxLen} per window
- \`mask\` [B, T] float32: 1 for tokens, 0 for padding
- \`scores\` [B, L] float32: sigmoid score of every label, in the order of \`labels.json\`

For documents longer than ${s.maxLen} tokens, score each window and take the max per label.${model.serves === 'fused' ? ' model-subset.onnx takes `label_ids` [B, C] as well and returns `logits` [B, C] of those labels only.' : ''}
`}${model.serves === 'attention' ? '' : `
## lexical.bin
The lexical ranker in the binary format of Planter's docs/lexical-format.md (a reference reader in
a few lines of JavaScript: docs/lexical-reader.mjs). \`planter predict --model <this folder>\` uses every file.
`}`;
}
