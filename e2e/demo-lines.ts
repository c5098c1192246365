import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The first `n` records of a demo file; every one with a labels list (the pool's have none). */
export const demoLines = (file: string, n: number): string =>
  gunzipSync(readFileSync(`resources/demo/${file}`))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n)
    .map((l) => JSON.stringify({ labels: [], ...(JSON.parse(l) as object) }))
    .join('\n');
