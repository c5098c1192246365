import { resolve } from 'node:path';
import { PlanterError } from '../../../shared/errors';
import { readableEvidence, readableTerms } from '../../../shared/text/evidence-filter';
import { jsonlObjects } from '../../importers/jsonl';
import { readLines } from '../../importers/read-lines';
import { BundleError, bundlePredictorParts, loadBundle } from '../../plant/pipeline/bundle';
import { TextPredictor } from '../../plant/pipeline/predict';
import { thresholdOf } from '../../plant/pipeline/model';
import { bool, JSON_FLAG, str, type Command } from '../command';
import { UsageError } from '../io';
import { CliSession } from '../session';

interface PredictorSource {
  predictor: TextPredictor;
  labels: { code: string }[];
  /** Decision threshold of label i. */
  threshold: (i: number) => number;
  explains: boolean;
  dispose(): Promise<void>;
}

async function fromBundle(dir: string): Promise<PredictorSource> {
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
  return { predictor, labels: bundle.labels.labels, threshold: (i) => bundle.labels.labels[i]?.threshold ?? bundle.labels.threshold, explains: !!bundle.explain || !!bundle.lexical, dispose: () => predictor.dispose() };
}

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
    top: { type: 'string', description: 'labels per document (default 10)', placeholder: 'K' },
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
    const top = Number(str(args, 'top') ?? 10);
    if (!Number.isInteger(top) || top < 1 || top > 1000) throw new UsageError(`--top must be a whole number from 1 to 1000`);
    const textField = str(args, 'text-field') ?? 'text';
    const idField = str(args, 'id-field') ?? 'id';
    const session = project ? new CliSession() : null;
    let source: PredictorSource;
    if (session) {
      const projectId = session.project(project!);
      const lease = await session.services.context.models.lease(projectId, session.services.projects.get(projectId));
      if (!lease) {
        await session.dispose();
        throw new PlanterError('not-found', 'the project has no trained model yet: run planter train first');
      }
      const { loaded } = lease;
      source = {
        predictor: loaded.predictor,
        labels: loaded.model.labels,
        threshold: (i) => thresholdOf(loaded.model, i),
        explains: true,
        dispose: () => {
          lease.release();
          return session.dispose();
        },
      };
    } else source = await fromBundle(modelDir!);
    try {
      if (bool(args, 'explain') && !source.explains) throw new PlanterError('unavailable', 'this bundle has no model-explain.onnx; re-export it with a current Planter to get evidence');
      const file = resolve(docs[0]!);
      for await (const { line, value } of jsonlObjects(readLines(file), file)) {
        const text = value[textField];
        if (typeof text !== 'string') throw new PlanterError('bad-file', `${file} line ${line}: field "${textField}" is ${text === undefined ? 'missing' : 'not text'}`, { file, line, field: textField });
        const id = value[idField] ?? line;
        const best = await source.predictor.top(text, top);
        const labels: { label: string; score: number; evidence?: { token: string; weight: number }[]; terms?: { text: string; weight: number }[] }[] = best.map((b) => ({ label: source.labels[b.label]!.code, score: Number(b.score.toFixed(6)) }));
        if (bool(args, 'explain')) {
          const ev = await source.predictor.explain(text, best.map((b) => b.label), 5);
          ev.forEach((e, i) => {
            labels[i]!.evidence = readableEvidence(text, e.spans).map((s) => ({ token: text.slice(s.start, s.end), weight: Number(s.weight.toFixed(4)) }));
            const terms = readableTerms(e.terms);
            if (terms.length) labels[i]!.terms = terms.map((t) => ({ text: t.text, weight: Number(t.weight.toFixed(4)) }));
          });
        }
        io.out(JSON.stringify({ id, labels, assigned: best.filter((b) => b.score >= source.threshold(b.label)).map((b) => source.labels[b.label]!.code) }));
      }
      return 0;
    } finally {
      await source.dispose();
    }
  },
};
