import { PlanterError } from '../../../shared/errors';
import { bool, int, JSON_FLAG, PROJECT_FLAG, str, type Command } from '../command';
import { withProject } from '../session';
import { formatReport } from './train';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Evaluate the current model (on dev: the evaluation half; the tuning half chose the threshold): P@k, nDCG@k, PSP@k, F1, AUC, per frequency bucket.',
  flags: {
    project: PROJECT_FLAG,
    split: { type: 'string', description: 'split to evaluate (default dev)', placeholder: 'NAME' },
    model: { type: 'int', min: 1, max: Number.MAX_SAFE_INTEGER, description: 'model id (default: the current model)', placeholder: 'ID' },
    agreement: { type: 'boolean', description: "evidence agreement instead (the Evaluate view's: how often the model's top evidence for a correct top-5 suggestion overlaps a coder's span)" },
    json: JSON_FLAG,
  },
  run: (args, io) =>
    withProject(str(args, 'project')!, async (session, projectId) => {
      const model = int(args, 'model');
      if (bool(args, 'agreement')) {
        const a = await session.call('spans.agreement', { projectId, split: str(args, 'split') ?? 'dev', k: 5, evidenceK: 5, ...(model !== undefined ? { modelId: model } : {}) });
        if (a.modelId === null) throw new PlanterError('not-found', `${a.noModel ?? 'there is no model'} (planter train)`);
        if (bool(args, 'json')) io.out(JSON.stringify(a));
        else io.out(`model ${a.modelId} on ${a.split}: evidence agreement ${a.agreement === null ? '—' : `${(100 * a.agreement).toFixed(1)} %`} (${a.agreeing} of ${a.cases} correct top-${a.k} suggestions with coder spans, on ${a.documents} documents with spans)`);
        return 0;
      }
      const r = await session.call('evaluation.report', { projectId, split: str(args, 'split') ?? 'dev', ...(model !== undefined ? { modelId: model } : {}) });
      if (r.modelId === null) throw new PlanterError('not-found', `${r.noModel} (planter train)`);
      if (bool(args, 'json')) io.out(JSON.stringify(r.report));
      else io.out(`model ${r.modelId} on ${r.split} (${r.documents} documents, score threshold ${r.threshold.toFixed(3)}):\n${formatReport(r.report)}`);
      return 0;
    }),
};
