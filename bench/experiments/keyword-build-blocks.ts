// `npx tsx bench/experiments/keyword-build-blocks.ts [docs]`: the longest the host's event loop is held by
// one keyword-build slice over the 94,000-code ICD-10-CM catalogue, with the label-token cache cold
// (tokenise + write) and warm (read back), and when the index becomes usable (issue #15's cold page).
import { KeywordBuild, type KeywordSource, type LabelTokenStore } from '../../src/main/services/queue/keyword-build';
import { billableCodes, rng } from '../scale-data';

const docs = Number(process.argv[2] ?? 3000);
const codes = billableCodes();
const r = rng(7);
const corpus = Array.from({ length: docs }, (_, i) => ({ id: i + 1, text: `patient with ${codes[Math.floor(r() * codes.length)]!.words.join(' ')} and ${codes[Math.floor(r() * codes.length)]!.words.join(' ')}, follow up ${i}` }));
const labels = codes.map((c, i) => ({ id: i + 1, code: c.code, title: c.title, synonyms: '[]' }));
const source: KeywordSource = {
  documentCount: () => corpus.length,
  sampleTexts: (every, after, limit) => corpus.filter((d) => d.id > after && d.id % every === 0).slice(0, limit),
  labelsForSeeds: (after, limit) => labels.slice(after, after + limit),
  textsAfter: (after, limit) => corpus.slice(after, after + limit),
};
let kept: Uint8Array | null = null;
const cache: LabelTokenStore = { read: () => kept, write: async (d) => void (kept = d) };

async function run(tag: string): Promise<void> {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  const build = new KeywordBuild(source, { labelCache: cache });
  while (!build.usable) await new Promise((res) => setTimeout(res, 1));
  const usable = performance.now() - t0;
  await build.finished;
  await build.cacheWritten;
  clearInterval(timer);
  console.log(`${tag}: usable after ${usable.toFixed(0)} ms, complete after ${(performance.now() - t0).toFixed(0)} ms, cached ${build.labelTokensCached}, longest gap between 1 ms timers ${worst.toFixed(1)} ms, cache ${((kept?.length ?? 0) / 1e6).toFixed(1)} MB`);
}

await run('cold (tokenise, write)');
await run('warm (read back)');
await run('warm again');
