/**
 * Engine benchmark (`npm run bench:engine`): MatMul limit, training step, exact and shortlisted
 * inference, peak RSS, on this machine. Each phase runs in a child process (own peak RSS). Timings
 * are best and median of repeated runs (the machines are shared VMs: medians wander, bests are
 * the hardware); ratios use the bests of both sides. Ends with one `engine-summary {…}` line (L = 4k).
 * The shortlist line reports the smallest C whose recall of the exact top-10 reaches 99 % (or the
 * largest C tried) and `shortlist_candidates` = that C.
 * Flags: --fresh (retrain the EURLEX model instead of using the cache in the OS temp folder),
 * --quick (skip the EURLEX phase).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { EURLEX, FIT, flops, phaseEurlex, phaseInferExact, phaseMatmul, phaseTrain, SHAPE, THREADS } from './engine-phases';

type Result = Record<string, unknown> & { peakRssMb: number };

async function child(args: string[]): Promise<Result> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', self, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      for (const line of b.toString().split('\n')) if (line.startsWith('LOG ')) console.log(`  ${line.slice(4)}`);
    });
    p.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`phase ${args.join(' ')} failed (exit ${code})`));
      else resolve(JSON.parse(line.slice(7)) as Result);
    });
  });
}

async function runPhase(name: string, rest: string[]): Promise<void> {
  const log = (s: string): void => { process.stdout.write(`LOG ${s}\n`); };
  let r: Record<string, unknown>;
  if (name === 'matmul') r = await phaseMatmul();
  else if (name === 'train') r = await phaseTrain(Number(rest[0]));
  else if (name === 'infer') r = await phaseInferExact(Number(rest[0]));
  else r = await phaseEurlex(rest.includes('--fresh'), log);
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
}

const f1 = (x: number): string => x.toFixed(1);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--phase') {
    const phase = argv[1];
    if (!phase) throw new Error('--phase needs a phase name (matmul, train, infer, eurlex)');
    return runPhase(phase, argv.slice(2));
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, onnxruntime-node 1.30 CPU EP, ${THREADS} intra-op threads`);
  console.log(`shapes: B=${SHAPE.B} T=${SHAPE.T} d=${SHAPE.d} V=${SHAPE.V} conv k=${SHAPE.k} (im2col), label-wise attention, per-label head, BCE, AdamW`);
  const mm = await child(['--phase', 'matmul']);
  const limit = mm.gflopsBest as number;
  console.log(`1024³ MatMul: best ${f1(limit)} GFLOP/s, median ${f1(mm.gflopsMedian as number)} GFLOP/s (peak RSS ${mm.peakRssMb.toFixed(0)} MB)`);
  const train: Record<number, Result> = {};
  const infer: Record<number, Result> = {};
  for (const L of [1000, 4096]) {
    train[L] = await child(['--phase', 'train', String(L)]);
    const st = train[L].stepMs as { best: number; median: number };
    console.log(`train L=${L}: ${st.best.toFixed(0)} ms/step best (median ${st.median.toFixed(0)}), ${(flops.trainStep(L) / 1e9).toFixed(1)} GFLOP/step, ${f1(train[L].gflopsBest as number)} GFLOP/s = ${((100 * (train[L].gflopsBest as number)) / limit).toFixed(0)} % of MatMul (peak RSS ${train[L].peakRssMb.toFixed(0)} MB)`);
    infer[L] = await child(['--phase', 'infer', String(L)]);
    const ceiling = (limit * 1e9) / flops.inferDoc(L);
    console.log(`infer exact L=${L}: ${f1(infer[L].docsPerSecBest as number)} docs/s best (median ${f1(infer[L].docsPerSecMedian as number)}), ${(flops.inferDoc(L) / 1e9).toFixed(3)} GFLOP/doc, ceiling ${ceiling.toFixed(0)} docs/s → ${((100 * (infer[L].gflopsBest as number)) / limit).toFixed(0)} % (peak RSS ${infer[L].peakRssMb.toFixed(0)} MB)`);
  }
  let ex: Result | null = null;
  if (!argv.includes('--quick')) {
    console.log(`EURLEX57K: classifier trained on ${EURLEX.nTrain} random train docs × ${EURLEX.epochs} epochs (label sampling ${EURLEX.sampledLabels}), shortlist scorer fitted on ${FIT.nFit} train-split docs (those + more, unlabelled), measured on ${EURLEX.nDev} random dev docs`);
    ex = await child(['--phase', 'eurlex', ...(argv.includes('--fresh') ? ['--fresh'] : [])]);
    const e = ex.exact as { docsPerSecBest: number };
    console.log(`EURLEX model: dev P@5 ${(ex.devPrecisionAt5 as number).toFixed(3)} (label-frequency baseline ${(ex.devPrecisionAt5Prior as number).toFixed(3)}); exact inference on these docs ${f1(e.docsPerSecBest)} docs/s`);
    for (const r of ex.rows as { C: number; recallAt10: number; docsPerSecBest: number; docsPerSecMedian: number; gflopsBest: number }[]) {
      console.log(`infer shortlist L=4096 C=${r.C}: recall of exact top-10 ${r.recallAt10.toFixed(4)}, ${f1(r.docsPerSecBest)} docs/s best (median ${f1(r.docsPerSecMedian)}), ${(flops.shortlistDoc(4096, r.C, FIT.hidden) / 1e6).toFixed(0)} MFLOP/doc`);
    }
    console.log(`(peak RSS of the EURLEX phase ${ex.peakRssMb.toFixed(0)} MB)`);
  }
  const L = 4096;
  const trainL = train[L];
  const inferL = infer[L];
  if (!trainL || !inferL) throw new Error(`no train/infer results for L=${L}`);
  const summary = {
    matmul_gflops: +f1(limit),
    train_step_ms: +(trainL.stepMs as { best: number }).best.toFixed(0),
    train_gflops: +f1(trainL.gflopsBest as number),
    ratio: +((trainL.gflopsBest as number) / limit).toFixed(3),
    infer_exact_docs_per_s: +f1(inferL.docsPerSecBest as number),
    infer_exact_ratio: +((inferL.gflopsBest as number) / limit).toFixed(3),
    infer_shortlist_docs_per_s: ex ? +f1((ex.chosen as { docsPerSecBest: number }).docsPerSecBest) : null,
    shortlist_recall_at_10: ex ? +(ex.chosen as { recallAt10: number }).recallAt10.toFixed(4) : null,
    shortlist_candidates: ex ? (ex.chosen as { C: number }).C : null,
  };
  console.log(`engine-summary ${JSON.stringify(summary)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
