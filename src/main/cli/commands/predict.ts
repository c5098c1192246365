import { resolve } from 'node:path';
import { PlanterError } from '../../../shared/errors';
import { readableEvidence, readableTerms } from '../../../shared/text/evidence-filter';
import { jsonlObjects } from '../../importers/jsonl';
import { readLines } from '../../importers/read-lines';
import { BundleError, bundlePredictorParts, loadBundle } from '../../plant/pipeline/bundle';
import { TextPredictor } from '../../plant/pipeline/predict';
import { bool, int, JSON_FLAG, str, type Command } from '../command';
import { UsageError } from '../io';
import { withProject, type CliSession } from '../session';

/** One document's top labels, as printed (scores rounded; evidence only with --explain). */
interface PrintedLabel {
  label: string;
  score: number;
  evidence?: { token: string; weight: number }[];
  terms?: { text: string; weight: number }[];
}

/** Where predictions come from: an exported bundle read here, or a project's current model through the contract. */
interface PredictorSource {
  /** Whether it can give evidence (`--explain`). */
  explains: boolean;
  predict(text: string, top: number, explain: boolean): Promise<{ labels: PrintedLabel[]; assigned: string[] }>;
}

const EVIDENCE_PER_LABEL = 5;
const rounded = (v: number, digits: number): number => Number(v.toFixed(digits));

/** The printed form of one label's prediction and its evidence (`spans` and `terms` already readable). */
function printed(text: string, code: string, score: number, explained?: { spans: readonly { start: number; end: number; weight: number }[]; terms: readonly { text: string; weight: number }[] }): PrintedLabel {
  const label: PrintedLabel = { label: code, score: rounded(score, 6) };
  if (!explained) return label;
  label.evidence = explained.spans.map((s) => ({ token: text.slice(s.start, s.end), weight: rounded(s.weight, 4) }));
  if (explained.terms.length) label.terms = explained.terms.map((t) => ({ text: t.text, weight: rounded(t.weight, 4) }));
  return label;
}

async function fromBundle(dir: string): Promise<PredictorSource & { dispose(): Promise<void> }> {
  let bundle;
  try {
    bundle = loadBundle(resolve(dir));
  } catch (e) {
    throw new PlanterError(e instanceof BundleError ? 'bad-file' : 'not-found', (e as Error).message);
  }
  let predictor: TextPredictor;
  try {
    predictor = await TextPredictor.create(bundlePredictorParts(bundle));
    // Load the graph now so a damaged model.onnx fails here with a clear message, not mid-stream.
    await predictor.scoreTexts(['']);
  } catch (e) {
    throw new PlanterError('bad-file', `model bundle ${dir}: the model cannot be loaded (${(e as Error).message.split('\n')[0]})`);
  }
  const labels = bundle.labels.labels;
  const threshold = (i: number): number => labels[i]?.threshold ?? bundle.labels.threshold;
  return {
    explains: !!bundle.explain || !!bundle.lexical,
    async predict(text, top, explain) {
      const best = await predictor.top(text, top);
      const ev = explain ? await predictor.explain(text, best.map((b) => b.label), EVIDENCE_PER_LABEL) : null;
      return {
        labels: best.map((b, i) => printed(text, labels[b.label]!.code, b.score, ev ? { spans: readableEvidence(text, ev[i]!.spans), terms: readableTerms(ev[i]!.terms) } : undefined)),
        assigned: best.filter((b) => b.score >= threshold(b.label)).map((b) => labels[b.label]!.code),
      };
    },
    dispose: () => predictor.dispose(),
  };
}

/** The project's current model, through `models.predict`. */
async function fromProject(session: CliSession, projectId: string): Promise<PredictorSource> {
  // Refuse before reading any document, as a bundle that cannot load does.
  if (!(await session.call('models.list', { projectId })).models.some((m) => m.current)) throw new PlanterError('not-found', NO_MODEL);
  return {
    explains: true,
    async predict(text, top, explain) {
      const r = await session.call('models.predict', { projectId, texts: [text], top, ...(explain ? { evidence: EVIDENCE_PER_LABEL } : {}) });
      if (r.modelId === null) throw new PlanterError('not-found', NO_MODEL);
      const labels = r.predictions[0]!.labels;
      return {
        labels: labels.map((l) => printed(text, l.code, l.score, l.spans && l.terms ? { spans: l.spans, terms: l.terms } : undefined)),
        assigned: labels.filter((l) => l.assigned).map((l) => l.code),
      };
    },
  };
}

const NO_MODEL = 'the project has no trained model yet: run planter train first';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'Predict labels for the documents of a JSONL FILE (one JSON object per line; .gz read transparently). Prints JSON lines {id, labels: [{label, score}], assigned}; scores are probabilities in [0, 1].',
  positionals: 'FILE',
  flags: {
    project: { type: 'string', description: "use this project's current model", placeholder: 'DIR' },
    model: { type: 'string', description: 'or an exported model bundle (planter export)', placeholder: 'DIR' },
    docs: { type: 'string', description: 'the JSONL file of documents, instead of the FILE argument (kept for older scripts)', placeholder: 'FILE' },
    'text-field': { type: 'string', description: 'field holding the text (default: text)', placeholder: 'F' },
    'id-field': { type: 'string', description: 'field holding the id (default: id, else the line number)', placeholder: 'F' },
    top: { type: 'int', min: 1, max: 1000, description: 'labels per document (default 10)', placeholder: 'K' },
    explain: { type: 'boolean', description: 'add the most attended tokens (evidence) to each label' },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const project = str(args, 'project');
    const modelDir = str(args, 'model');
    if (!!project === !!modelDir) throw new UsageError('give either --project or --model');
    // One style for input files across commands (`import FILE`, `labels FILE`), `--docs` as an alias.
    const docs = [...args.positionals, ...(str(args, 'docs') ? [str(args, 'docs')!] : [])];
    if (docs.length !== 1) throw new UsageError('give exactly one FILE of documents (or --docs FILE)');
    const top = int(args, 'top') ?? 10;
    const textField = str(args, 'text-field') ?? 'text';
    const idField = str(args, 'id-field') ?? 'id';
    const explain = bool(args, 'explain');
    const print = async (source: PredictorSource): Promise<number> => {
      if (explain && !source.explains) throw new PlanterError('unavailable', 'this bundle has no model-explain.onnx; re-export it with a current Planter to get evidence');
      const file = resolve(docs[0]!);
      for await (const { line, value } of jsonlObjects(readLines(file), file)) {
        const text = value[textField];
        if (typeof text !== 'string') throw new PlanterError('bad-file', `${file} line ${line}: field "${textField}" is ${text === undefined ? 'missing' : 'not text'}`, { file, line, field: textField });
        const id = value[idField] ?? line;
        const { labels, assigned } = await source.predict(text, top, explain);
        io.out(JSON.stringify({ id, labels, assigned }));
      }
      return 0;
    };
    if (project) return withProject(project, async (session, projectId) => print(await fromProject(session, projectId)));
    const bundle = await fromBundle(modelDir!);
    try {
      return await print(bundle);
    } finally {
      await bundle.dispose();
    }
  },
};
