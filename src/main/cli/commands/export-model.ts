import { bool, JSON_FLAG, PROJECT_FLAG, str, type Command } from '../command';
import { resultOf, waitForJob } from '../io';
import { CliSession } from '../session';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export the current model as a bundle: model.onnx, labels.json, vocab.json (with tokenizer settings), model-card.md (+ model-explain.onnx for evidence).',
  flags: {
    project: PROJECT_FLAG,
    out: { type: 'string', description: 'output folder (replaced atomically)', required: true, placeholder: 'DIR' },
    model: { type: 'string', description: 'model id (default: the current model)', placeholder: 'ID' },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const session = new CliSession();
    try {
      const projectId = session.project(str(args, 'project')!);
      const model = str(args, 'model');
      const { jobId } = await session.call('exports.model', { projectId, destination: { path: str(args, 'out')! }, ...(model ? { modelId: Number(model) } : {}) });
      const result = resultOf<{ path: string; files: string[]; modelId: number }>(await waitForJob(session.services, jobId, io, bool(args, 'json')));
      io.out(bool(args, 'json') ? JSON.stringify(result) : `exported model ${result.modelId} to ${result.path}:\n${result.files.map((f) => `  ${f}`).join('\n')}`);
      return 0;
    } finally {
      await session.dispose();
    }
  },
};
