import type { ELK } from 'elkjs/lib/elk-api.js';

let loading: Promise<ELK> | undefined;

/**
 * ELK, the layout library the visualizer draws with: an optional peer dependency, loaded on first use,
 * so that a project using only greenstate's core does not install it.
 */
export function loadElk(): Promise<ELK> {
  loading ??= import('elkjs/lib/elk.bundled.js').then(
    // elkjs is CommonJS: imported from ESM, its default export is the module object.
    (module) => new module.default.default(),
    (error: unknown) => {
      loading = undefined;
      throw new Error(
        'greenstate/visualizer lays machines out with elkjs, which is not installed: run `npm install elkjs` ' +
          '(an optional peer dependency of greenstate, needed by the visualizer only).',
        { cause: error },
      );
    },
  );
  return loading;
}
