// @xstate/react in a real browser (Debian's Chromium, see ../support/chromium.ts): useMachine on a graph's
// machine re-renders on every transition, and useSelector on a handler's actor shows the true queue length.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, launchChromium } from '../support/chromium.js';

let browser: Awaited<ReturnType<typeof launchChromium>>;
const errors: string[] = [];

const text = (selector: string) => browser.page.locator(selector).textContent();
const until = (selector: string, expected: string) =>
  browser.page.waitForFunction(
    ([s, e]) => document.querySelector(s as string)?.textContent === e,
    [selector, expected] as const,
    { timeout: 30_000 },
  );

describe.skipIf(!hasChromium)('@xstate/react in Chromium', () => {
  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [fileURLToPath(new URL('./react/page.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      // greenstate from src/ (tsconfig.json's paths), with the browser build of its async context.
      alias: { '#async-context': fileURLToPath(new URL('../../src/asyncContext.ts', import.meta.url)) },
      define: { 'process.env.NODE_ENV': '"development"' },
      logLevel: 'silent',
    });
    const script = bundled.outputFiles[0]?.text ?? '';
    browser = await launchChromium();
    browser.page.on('pageerror', (error) => errors.push(error.message));
    browser.page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    // A local page (no network): the bundle inline, as a module.
    await browser.page.route('http://greenstate.test/', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><div id="root"></div><script type="module">${script.replaceAll('</script', '<\\/script')}</script>`,
      }),
    );
    await browser.page.goto('http://greenstate.test/');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('useMachine(graph.machine) re-renders on every transition, through to its output', async () => {
    await until('#lamp', 'off');
    for (const next of ['on', 'off', 'on', 'done: burnt out after 2']) {
      await browser.page.waitForFunction(() => (window as unknown as { step(): boolean }).step(), undefined, {
        timeout: 30_000,
      });
      await until('#lamp', next);
    }
    const renders = await browser.page.evaluate(
      () => (window as unknown as { lampRenders: string[] }).lampRenders,
    );
    const changes = renders.filter((shown, i) => shown !== renders[i - 1]);
    expect(changes).toEqual(['off', 'on', 'off', 'on', 'done: burnt out after 2']);
    expect(errors).toEqual([]);
  }, 60_000);

  test('useSelector(handler.ref, s => s.context.pending) shows the true count as calls queue and run', async () => {
    expect(await text('#pending')).toBe('0');
    for (const count of ['1', '2', '3']) {
      await browser.page.evaluate(() =>
        (window as unknown as { tasks: { oneway: { work(): void } } }).tasks.oneway.work(),
      );
      await until('#pending', count);
    }
    await browser.page.evaluate(() => {
      void (window as unknown as { tasks: { process(): Promise<void> } }).tasks.process();
    });
    for (const count of ['2', '1', '0']) {
      await until('#pending', count); // a task runs: one fewer queued
      await browser.page.waitForFunction(
        () => (window as unknown as { finishTask(): boolean }).finishTask(),
        undefined,
        {
          timeout: 30_000,
        },
      );
    }
    const renders = await browser.page.evaluate(
      () => (window as unknown as { pendingRenders: number[] }).pendingRenders,
    );
    expect(renders.filter((count, i) => count !== renders[i - 1])).toEqual([0, 1, 2, 3, 2, 1, 0]);
    expect(errors).toEqual([]);
  }, 60_000);

  test('a handler hosted by a machine under StrictMode survives its actor being stopped and started again', async () => {
    await until('#inbox', '0');
    await browser.page.evaluate(() => {
      const { inbox } = window as unknown as { inbox: { oneway: { receive(): void } } };
      inbox.oneway.receive();
      inbox.oneway.receive();
    });
    await until('#inbox', '2');
    await browser.page.evaluate(() =>
      (window as unknown as { inbox: { process(): Promise<void> } }).inbox.process(),
    );
    await until('#inbox', '0');
    expect(errors).toEqual([]);
  }, 60_000);
});
