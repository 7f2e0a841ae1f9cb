// The visualizer in a real browser: Debian's Chromium (see ../support/chromium.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, launchChromium } from '../support/chromium.js';

const root = new URL('../..', import.meta.url).pathname;
let demo: ChildProcess;
let url: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

describe.skipIf(!hasChromium)('the visualizer page in Chromium', () => {
  beforeAll(async () => {
    // The demo, as `npm start` runs it, on a free port.
    demo = spawn(process.execPath, ['--import', 'tsx', 'test/examples/demo.ts', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      demo.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /visualizer is at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (found) resolve(found[1] as string);
      });
      demo.once('exit', (code) => reject(new Error(`the demo exited (${code}) before serving: ${out}`)));
    });
    browser = await launchChromium();
    page = browser.page;
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    demo?.kill('SIGINT');
  });

  test('draws every plant state, and the handler machine', async () => {
    for (const state of ['sprouting', 'growing', 'flowering', 'withering', 'dead', 'done']) {
      await page.locator(`g.state[data-state="plant.${state}"]`).waitFor({ timeout: 15_000 });
    }
    for (const state of ['idle', 'processing', 'processing.running', 'processing.waiting', 'closed']) {
      await page.locator(`g.state[data-state="DeferredCallHandler.${state}"]`).waitFor({ timeout: 15_000 });
    }
    expect(await page.locator('#connection').textContent()).toBe('live');
  }, 30_000);

  test('the highlighted plant state changes as the runs move on', async () => {
    const highlighted = () =>
      page.locator('[data-machine] g.state.active[data-state^="plant."]').evaluateAll((groups) =>
        groups
          .map((group) => group.getAttribute('data-state'))
          .sort()
          .join(','),
      );
    const first = await highlighted();
    await expect.poll(highlighted, { timeout: 10_000, interval: 100 }).not.toBe(first);
    expect(await highlighted()).not.toBe('');
  }, 20_000);

  test("shows the manager's queue length and its calls in the timeline", async () => {
    const pending = page.locator('tr[data-actor] td[data-pending]');
    await pending.first().waitFor({ timeout: 10_000 });
    expect(Number(await pending.first().getAttribute('data-pending'))).toBeGreaterThanOrEqual(0);
    await page.locator('#timeline li[data-kind="call"]').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#timeline li[data-kind="call"]').first().textContent()).toMatch(
      /manager\.\w+\(\) (sync|oneway)/,
    );
    await page.locator('#timeline li[data-kind="transition"]').first().waitFor({ timeout: 10_000 });
  }, 20_000);

  test('exports Mermaid text, and saves a screenshot', async () => {
    const mermaid = await page.evaluate(async () => {
      const link = document.querySelector('[data-machine] .tools a');
      return (await fetch(link?.getAttribute('href') ?? '')).text();
    });
    expect(mermaid).toMatch(/^stateDiagram-v2\n/);
    const dir = join(root, 'visualizer', 'screenshots');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'demo.png') });
    expect(existsSync(join(dir, 'demo.png'))).toBe(true);
  }, 20_000);
});
