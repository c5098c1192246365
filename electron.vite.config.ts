import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { RENDERER_CSP, withMetaCsp } from './src/main/web/csp';

/** The built index.html carries exactly the main process's CSP (hardening.security.test.ts checks it). */
const rendererCsp = (): Plugin => ({ name: 'planter-renderer-csp', transformIndexHtml: (html) => withMetaCsp(html, RENDERER_CSP) });

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          // The Electron app, and the same services without Electron: the CLI (which also serves browser mode).
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron'): bundle everything else into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    plugins: [svelte(), rendererCsp()],
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
