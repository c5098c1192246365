// Shared by playwright.config.ts and the specs: where the e2e web host listens and its token.
import { resolve } from 'node:path';

export const E2E_PORT = Number(process.env.PLANTER_E2E_PORT ?? 4873);
/** A fixed token for the test host only; real runs draw a random one per start. */
export const E2E_TOKEN = 'e2e-only-token-not-secret';
export const E2E_DATA_DIR = resolve('e2e/artifacts/data');
