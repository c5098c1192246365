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
  return `# Planter model card

- **Model**: ${model.kind === 'plant' ? 'PLANT (attention planted from learning-to-rank, arXiv 2410.23066)' : 'LANT (label-wise attention, random U: the ablation)'}
- **Created**: ${model.createdAt}${extra.projectName ? `\n- **Project**: ${extra.projectName}` : ''}
- **Labels**: ${model.labels.length} (by training documents: zero ${buckets.zero}, 1–5 ${buckets.few}, 6–50 ${buckets.mid}, >50 ${buckets.head})
- **Training documents**: ${model.numTrainDocs}
- **Vocabulary**: ${model.vocabulary.tokens.length} tokens (fingerprint \`${model.vocabulary.fingerprint}\`)
- **Architecture**: embedding → 1-D conv (kernel ${s.kernel}, d = ${s.dim}) → label-wise attention → per-label head; windows of ${s.maxLen} tokens, document score = max over windows
- **Decision thresholds**: on sigmoid scores, one per training-frequency bucket, tuned for micro-F1 on the tuning half of dev (global fallback ${model.threshold.toFixed(4)}; each label's in labels.json)

## Settings
\`\`\`json
${JSON.stringify(s, null, 2)}
\`\`\`

## Metrics (evaluation half of dev)
${model.metrics ? table(model.metrics) : 'No dev split was available; the model was not evaluated.'}

Buckets group the gold labels of the evaluated documents by their number of training documents:
zero (0), few (1–5), mid (6–50), head (> 50). PSP uses Jain et al. (2016) propensities (A = 0.55, B = 1.5).

## Stage timings
${model.stageTimings.map((t) => `- ${t.stage}: ${t.seconds.toFixed(1)} s`).join('\n')}

## Inputs and outputs of model.onnx
- \`token_ids\` [B, T] int64: ids from \`vocab.json\` (tokenizer settings inside), pad id 0; T ≤ ${s.maxLen} per window
- \`mask\` [B, T] float32: 1 for tokens, 0 for padding
- \`scores\` [B, L] float32: sigmoid score of every label, in the order of \`labels.json\`

For documents longer than ${s.maxLen} tokens, score each window and take the max per label.
`;
}
