// Every export of the package has TSDoc: a summary line and an @example importing from 'greenstate'.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

test.each([
  ['greenstate', '../src/index.ts'],
  ['greenstate/visualizer', '../src/visualizer/visualize.ts'],
  ['greenstate/restate', '../src/restate/index.ts'],
])(
  'every export of %s has a TSDoc summary and an @example importing from it',
  (name, path) => {
    const entry = fileURLToPath(new URL(path, import.meta.url));
    // The project's own compiler options (its paths map the package to src/).
    const config = ts.getParsedCommandLineOfConfigFile(
      fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(String(diagnostic.messageText));
        },
      },
    );
    if (config === undefined) throw new Error('no tsconfig.json');
    const program = ts.createProgram([entry], config.options);
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(entry);
    if (!source) throw new Error(`no ${path}`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${path} is not a module`);
    const missing: string[] = [];
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      const examples = symbol.getJsDocTags(checker).filter((tag) => tag.name === 'example');
      const example = examples.map((tag) => ts.displayPartsToString(tag.text)).join('\n');
      if (!summary) missing.push(`${exported.name}: no summary`);
      else if (!example.includes(`from '${name}'`))
        missing.push(`${exported.name}: no @example importing from '${name}'`);
    }
    expect(missing).toEqual([]);
  },
  120_000,
); // the compiler API is slow on a loaded machine: no test may depend on its speed
