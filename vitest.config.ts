import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run the TypeScript sources, as tsconfig.json's paths map them for tsc and tsx: the package's own
// name to src/, and its `#async-context` import to the Node build of it.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^greenstate$/, replacement: source('./src/index.ts') },
      { find: /^greenstate\/visualizer$/, replacement: source('./src/visualizer/visualize.ts') },
      { find: /^greenstate\/restate$/, replacement: source('./src/restate/index.ts') },
      { find: /^#async-context$/, replacement: source('./src/asyncContext.node.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/SummaryReporter.ts'],
    typecheck: { enabled: false },
  },
});
