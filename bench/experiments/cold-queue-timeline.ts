// `npx tsx bench/experiments/cold-queue-timeline.ts <data dir of a kept bench:scale run>`: a cold serve
// process's first rare-first page, then what the keyword index and the model scoring report every
// 250 ms for 8 s, with the stall probe's worst `app.info` per interval (issue #15's cold first page).
import { startServiceProcess } from '../../src/main/testing/reliability/service-process';
import { StallProbe } from '../scale-probe';

const home = process.argv[2]!;
const proc = await startServiceProcess({ dataDir: home, readyTimeoutMs: 120_000 });
const probe = new StallProbe(proc.port, proc.token);
const t0 = performance.now();
const at = (): string => `${((performance.now() - t0) / 1000).toFixed(2)} s`;
type Page = { note: string | null; indexing: { done: number; total: number } | null; scoring: { done: number; total: number } | null; modelId: number | null };
const first = await probe.during(() => proc.ok<Page>('queue.next', { projectId: 'scale', strategy: 'rare-first', offset: 0, limit: 20 }, 600_000));
console.log(at(), 'first page', JSON.stringify(first.stall), first.value.note?.slice(0, 160));
for (let i = 0; i < Number(process.argv[3] ?? 32); i++) {
  const w = await probe.during(async () => {
    await new Promise((r) => setTimeout(r, 250));
    const t = performance.now();
    const p = await proc.ok<Page>('queue.next', { projectId: 'scale', strategy: 'rare-first', offset: 20, limit: 20 }, 600_000);
    return { p, ms: performance.now() - t };
  });
  console.log(at(), `page ${w.value.ms.toFixed(0)} ms, stall ${w.stall.maxMs.toFixed(0)} ms, indexed ${w.value.p.indexing?.done ?? 'done'}, scoring ${w.value.p.scoring ? `${w.value.p.scoring.done}/${w.value.p.scoring.total}` : '-'}, model ${w.value.p.modelId}`);
}
console.log(proc.output().split("\n").filter((l) => l.includes("KB ")).join("\n"));
console.log("t0 in child clock unknown; first page returned at", at());
await probe.stop();
await proc.stop();
process.exit(0);
