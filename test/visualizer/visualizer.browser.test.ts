// The visualizer in a real browser: Debian's Chromium (see ../support/chromium.ts), at 1440×900, following
// the demo as `npm start` runs it, and a busy program of 200 runs and 10 handlers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, launchChromium } from '../support/chromium.js';

const root = new URL('../..', import.meta.url).pathname;
const screenshots = join(root, 'visualizer', 'screenshots');
const WAIT = { timeout: 20_000 };

/** Starts a program that prints the visualizer's address; resolves with it. */
function startProgram(file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /visualizer is at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (found) resolve({ child, url: found[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before serving: ${out}`)));
  });
}

/** 'inside' if the element lies wholly inside the viewport, as it is (nothing scrolled); else where it is. */
async function inViewport(page: Page, selector: string): Promise<string> {
  const box = await page.locator(selector).first().boundingBox();
  const size = page.viewportSize();
  const inside =
    box !== null &&
    size !== null &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= size.width &&
    box.y + box.height <= size.height;
  return inside ? 'inside' : `${selector} at ${JSON.stringify(box)} in a viewport of ${JSON.stringify(size)}`;
}

describe.skipIf(!hasChromium)('the visualizer page, following the demo at 1440×900', () => {
  let demo: ChildProcess;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const started = await startProgram('test/examples/demo.ts');
    demo = started.child;
    browser = await launchChromium({ width: 1440, height: 900 });
    page = browser.page;
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(started.url);
    mkdirSync(screenshots, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    demo?.kill('SIGINT');
  });

  test('names cards and rows by what the user named: the graph, the handler, each run', async () => {
    await page.locator('[data-card] h2', { hasText: /^plant$/ }).waitFor(WAIT);
    await page.locator('[data-handler="manager"] h2', { hasText: /^manager$/ }).waitFor(WAIT);
    const run = page.locator('[data-machine] table.runs tr[data-key] td').first();
    await run.waitFor(WAIT);
    expect(await run.textContent()).toMatch(/^sprouting \d\d:\d\d:\d\d( #\d+)?$/);
    expect(await page.locator('#connection').textContent()).toBe('live');
    expect(await page.getByText('DeferredCallHandler').count()).toBe(0);
  }, 30_000);

  test('the first screen shows a plant state and the manager’s queue, with nothing scrolled', async () => {
    await page.locator('g.state.active[data-state^="plant."]').first().waitFor(WAIT);
    // The manager's card may come after the plant's first state on a loaded machine: wait for it too.
    await page.locator('[data-handler="manager"] dd[data-pending]').first().waitFor(WAIT);
    // Polled: a card's panel is drawn anew each frame, so a node found may be gone before it is measured.
    for (const selector of [
      'g.state.active[data-state^="plant."]',
      '[data-handler="manager"] dd[data-pending]',
      '#timeline',
    ])
      await expect.poll(() => inViewport(page, selector), WAIT).toBe('inside');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.screenshot({ path: join(screenshots, 'first-screen.png') });
  }, 30_000);

  test('the manager’s card lists its queued calls, and shows it processing them one by one', async () => {
    const queued = page.locator('[data-handler="manager"] table.queue tr[data-call]').first();
    await queued.waitFor(WAIT);
    expect(await queued.locator('td').first().textContent()).toMatch(
      /^(updateResource|accessResources)\(\)$/,
    );
    expect(await queued.locator('td').nth(1).textContent()).toMatch(/^(sync|oneway)$/);
    // The demo bounds the manager's queue: the card shows the bound.
    expect(await page.locator('[data-handler="manager"] dd[data-pending]').textContent()).toMatch(
      /^\d+ \/ 100$/,
    );
    await page.locator('[data-handler="manager"] dd[data-status="processing"]').waitFor(WAIT);
    await page.locator('[data-handler="manager"] dd[data-running="updateResource"]').waitFor(WAIT);
    expect(await page.locator('[data-handler="manager"] dd[data-running]').textContent()).toMatch(
      /^updateResource\(\) oneway · running \d+ ms/,
    );
  }, 30_000);

  test('the sequence view draws each call as an arrow from its caller to the handler, and its answer', async () => {
    const call = page.locator('#sequence g.row.call').first();
    await call.waitFor(WAIT);
    expect(await call.textContent()).toMatch(/(updateResource\(\) oneway|accessResources\(\) sync)ok/);
    expect(await page.locator('#sequence [data-lane="outside"]').count()).toBe(1);
    expect(await page.locator('#sequence [data-lane="manager"]').count()).toBe(1);
    await page.locator('#sequence g.row.transition').first().waitFor(WAIT);
  }, 30_000);

  test('the timeline speaks in words, coloured by kind, and filters by kind and by actor', async () => {
    await page.locator('#timeline li[data-kind="transition"]').first().waitFor(WAIT);
    const texts = await page.locator('#timeline li .text').allTextContents();
    expect(texts.some((text) => text.includes('xstate.'))).toBe(false);
    expect(texts.some((text) => /^(\w+ → \w+|started in \w+|ended with ".+")$/.test(text))).toBe(true);
    const colour = (kind: string) =>
      page
        .locator(`#timeline li[data-kind="${kind}"]`)
        .first()
        .evaluate((item) => getComputedStyle(item).borderLeftColor);
    expect(await colour('call')).not.toBe(await colour('transition'));

    const kinds = () =>
      page
        .locator('#timeline li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    // Each change is drawn at the next animation frame: poll until it is.
    const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });
    await page.locator('#filters input[value="call"]').check();
    await poll(async () => [...new Set(await kinds())]).toEqual(['call']);
    await poll(() => page.locator('#sequence g.row.transition').count()).toBe(0);
    await page.locator('#filters input[value="transition"]').check();
    await poll(async () => [...new Set(await kinds())]).toEqual(['transition']);
    await page.locator('#filters input[value="error"]').check();
    await poll(() => page.locator('#timeline li:not(.failed)').count()).toBe(0);
    await page.locator('#filters input[value="all"]').check();
    await page.locator('#filters select').selectOption('manager');
    await poll(async () => [...new Set(await page.locator('#timeline li .actor').allTextContents())]).toEqual(
      ['manager'],
    );
    await page.locator('#filters select').selectOption('');
  }, 30_000);

  test('selecting a timeline entry shows everything as it was then, and highlights it; live returns to now', async () => {
    const moved = page.locator('#timeline li[data-kind="transition"]', { hasText: ' → ' }).last();
    await moved.waitFor(WAIT);
    const seq = await moved.getAttribute('data-seq');
    const [actor, text] = await Promise.all([
      moved.locator('.actor').textContent(),
      moved.locator('.text').textContent(),
    ]);
    const to = (text ?? '').split(' → ')[1] ?? '';
    await moved.click();
    await page.locator('#travel:not([hidden])').waitFor(WAIT);
    // The run's row says the state it reached with that entry, however far it has gone since.
    const row = page.locator('table.runs tr[data-key]', {
      has: page.locator('td', { hasText: new RegExp(`^${actor}$`) }),
    });
    expect(await row.locator('td[data-value]').textContent()).toBe(to);
    expect(await page.locator(`#timeline li.selected[data-seq="${seq}"]`).count()).toBe(1);
    expect(await page.locator(`#sequence g.row.selected[data-seq="${seq}"]`).count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'time-travel.png') });
    await page.locator('#live').click();
    await page.locator('#travel[hidden]').waitFor({ state: 'attached', ...WAIT });
  }, 30_000);

  test('finished runs fold into a count, which expands into their rows and what each ended with', async () => {
    const fold = page.locator('[data-card] details.finished:not([hidden])').first();
    await fold.waitFor(WAIT);
    const summary = fold.locator('summary');
    expect(await summary.textContent()).toMatch(/^\d+ finished$/);
    const count = Number((await summary.textContent())?.split(' ')[0]);
    expect(await fold.locator('tbody tr').first().isVisible()).toBe(false);
    await summary.click();
    await fold
      .locator('tbody tr')
      .first()
      .waitFor({ state: 'visible', ...WAIT });
    expect(await fold.locator('tbody tr').count()).toBeGreaterThanOrEqual(count);
    expect(await fold.locator('tbody tr td[data-value]').first().textContent()).toMatch(/^ended with /);
    await summary.click();
  }, 30_000);

  test('"Copy as XState code" shows the machine as XState source, the same the server exports', async () => {
    const card = page.locator('[data-card]', { has: page.locator('h2', { hasText: /^plant$/ }) });
    await card.locator('button.copy-code').click();
    const code = await card.locator('dialog textarea').inputValue();
    expect(code).toContain('createMachine(');
    expect(code).toContain('"sprouting"');
    const key = await card.getAttribute('data-machine');
    expect(await page.evaluate(async (k) => (await fetch(`/api/machines/${k}.js`)).text(), key)).toBe(code);
    await card.locator('dialog button').click();
  }, 30_000);

  test('draws each machine with marker ids of its own, and raised no page error', async () => {
    const ids = await page.locator('svg marker').evaluateAll((markers) => markers.map((marker) => marker.id));
    expect(ids.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('the visualizer page with 200 live runs and 10 busy handlers', () => {
  let busy: ChildProcess;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  beforeAll(async () => {
    const started = await startProgram('test/visualizer/fixtures/busy.ts');
    busy = started.child;
    browser = await launchChromium({ width: 1440, height: 900 });
    page = browser.page;
    await page.goto(started.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    busy?.kill('SIGINT');
  });

  test('stays responsive: frames keep coming, and a click is answered', async () => {
    await page.locator('[data-handler="clerk9"]').waitFor(WAIT);
    await page
      .locator('table.runs tr[data-key]')
      .nth(199)
      .waitFor({ state: 'attached', ...WAIT });
    // Frame intervals over three seconds, and the time the page's own drawing took in each.
    const measured = await page.evaluate(
      () =>
        new Promise<{ frames: number[]; renders: number[] }>((resolve) => {
          const frames: number[] = [];
          const seen = (window as unknown as { greenstate: { renders: number[] } }).greenstate.renders;
          const from = seen.length;
          let last = performance.now();
          const end = last + 3000;
          const step = (now: number) => {
            frames.push(now - last);
            last = now;
            if (now < end) requestAnimationFrame(step);
            else resolve({ frames, renders: seen.slice(from) });
          };
          requestAnimationFrame(step);
        }),
    );
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (q: number) =>
        (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
      return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms over ${values.length}`;
    };
    console.log(
      `visualizer with 200 runs and 10 busy handlers: frame interval ${stats(measured.frames)}; drawing per frame ${stats(measured.renders)}`,
    );
    expect(measured.frames.length).toBeGreaterThan(10);
    expect(measured.renders.length).toBeGreaterThan(0);
    await page.locator('#filters input[value="call"]').check();
    await page.locator('#timeline li').first().waitFor(WAIT);
    expect(
      new Set(
        await page
          .locator('#timeline li')
          .evaluateAll((items) => items.map((i) => i.getAttribute('data-kind'))),
      ),
    ).toEqual(new Set(['call']));
    await page.screenshot({ path: join(screenshots, 'busy.png') });
  }, 60_000);
});
