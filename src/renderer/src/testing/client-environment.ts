/**
 * A vitest environment that compiles Svelte modules for the client (runes, effects) while running
 * in Node: the renderer's state classes are tested with their real reactivity and a fake Api.
 */
export default {
  name: 'renderer-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
};
