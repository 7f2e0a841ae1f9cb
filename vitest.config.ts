import { defineConfig } from 'vitest/config';

// Tests run the TypeScript sources: the `greenstate-source` condition maps the package's
// `#async-context` import to src/ instead of dist/.
export default defineConfig({
  resolve: { conditions: ['greenstate-source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['greenstate-source', 'node', 'import', 'default'] } },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/SummaryReporter.ts'],
    typecheck: { enabled: false },
  },
});
