import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  test: {
    environment: 'node',
    // ORT sessions and SQLite handles are native; forks isolate crashes better than threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'node', include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'] } },
      // Renderer state classes (`*.test.svelte.ts`): Svelte compiled for the client so effects run.
      {
        extends: true,
        test: {
          name: 'renderer',
          include: ['src/renderer/**/*.test.svelte.ts'],
          environment: './src/renderer/src/testing/client-environment.ts',
          server: { deps: { inline: [/svelte/] } },
        },
      },
    ],
  },
});
