import { isModelExport } from '../../../shared/contract';
import { PlanterError } from '../../../shared/errors';
import { bool, int, JSON_FLAG, PROJECT_FLAG, str, type Command } from '../command';
import { resultOf, waitForJob } from '../io';
import { withProject } from '../session';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export the current model as a bundle: model.onnx, labels.json, vocab.json (with tokenizer settings), model-card.md (+ model-explain.onnx for evidence).',
  flags: {
    project: PROJECT_FLAG,
    out: { type: 'string', description: 'output folder (replaced atomically)', required: true, placeholder: 'DIR' },
    model: { type: 'int', min: 1, max: Number.MAX_SAFE_INTEGER, description: 'model id (default: the current model)', placeholder: 'ID' },
    json: JSON_FLAG,
  },
  run: (args, io) =>
    withProject(str(args, 'project')!, async (session, projectId) => {
      const model = int(args, 'model');
      const { jobId } = await session.call('exports.model', { projectId, destination: { path: str(args, 'out')! }, ...(model !== undefined ? { modelId: model } : {}) });
      const result = resultOf(await waitForJob(session.services, jobId, io, bool(args, 'json')), 'export');
      if (!isModelExport(result)) throw new PlanterError('internal', `job ${jobId} exported annotations, not a model`);
      io.out(bool(args, 'json') ? JSON.stringify(result) : `exported model ${result.modelId} to ${result.path}:\n${result.files.map((f) => `  ${f}`).join('\n')}`);
      return 0;
    }),
};
