// Trace filters on model, level, cost and latency, and Settings → Models and prices and
// Retention, in headless Chromium against a real `keel serve`.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chat, startKeel, waitForTraces } from '../support/server.js';
import { launch, newPage, shot, signIn } from '../support/browser.js';

const T0 = '2026-01-02T03:04:05.000Z';
const T5 = '2026-01-02T03:04:10.000Z';

/** One trace through the ingestion API: an ERROR span over 5 s and a dear gpt-4o generation. */
async function ingestFailedTrace(keel, id) {
  const event = (type, body) => ({ id: `${type}-${id}`, type, timestamp: T0, body });
  const res = await fetch(`${keel.baseUrl}/api/public/ingestion`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keel.masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batch: [
      event('trace-create', { id, timestamp: T0, name: 'nightly-batch', userId: 'cron' }),
      event('span-create', { id: `${id}-span`, traceId: id, name: 'fetch', startTime: T0,
        endTime: T5, level: 'ERROR', statusMessage: 'upstream timed out' }),
      event('generation-create', { id: `${id}-gen`, traceId: id, name: 'summarize',
        model: 'gpt-4o', startTime: T0, endTime: T0,
        usageDetails: { input: 1000000, output: 0 } }),
    ] }),
  });
  assert.equal(res.status, 207, await res.text());
}

async function filter(page, keel, query) {
  return page.goto(`${keel.baseUrl}/ui/traces?${query}`);
}

describe('Keel web UI: filters and settings', () => {
  let keel;
  let browser;

  before(async () => {
    keel = await startKeel();
    browser = await launch();
    await chat(keel, { user: 'alice', session: 'team/support', name: 'support-reply',
      content: 'How do I reset my password?' });
    await chat(keel, { user: 'bob', name: 'summarize', content: 'Summarize this',
      model: 'claude-3-5-haiku-20241022' });
    await ingestFailedTrace(keel, 'batch/2026-01-02');
    await waitForTraces(keel, 3);
  });

  after(async () => {
    await browser?.close();
    await keel?.stop();
  });

  test('a browser opening / is sent to the UI, which asks it to sign in', async () => {
    const page = await newPage(browser);
    await page.goto(`${keel.baseUrl}/`);
    assert.equal(new URL(page.url()).pathname, '/ui/login');
    await page.context().close();
  });

  test('traces filter by model, level, cost and latency; a bad bound is shown inline',
    async () => {
      const page = await newPage(browser);
      await signIn(page, keel);
      await page.goto(`${keel.baseUrl}/ui/traces`);
      assert.equal(await page.locator('#traces tbody tr').count(), 3);

      await page.fill('input[name=model]', 'claude-3-5-haiku-20241022');
      await Promise.all([page.waitForURL(/model=claude/), page.click('form.filters button')]);
      let rows = await page.locator('#traces tbody tr').allTextContents();
      assert.equal(rows.length, 1);
      assert.match(rows[0], /bob/);

      await page.fill('input[name=model]', '');
      await page.selectOption('select[name=level]', 'ERROR');
      await page.fill('input[name=min_latency]', '4');
      await Promise.all([page.waitForURL(/level=ERROR/), page.click('form.filters button')]);
      rows = await page.locator('#traces tbody tr').allTextContents();
      assert.equal(rows.length, 1);
      assert.match(rows[0], /nightly-batch/);
      await shot(page, 'traces-filter-level-latency');

      await filter(page, keel, 'min_cost=1');
      assert.equal(await page.locator('#traces tbody tr').count(), 1);
      await filter(page, keel, 'max_cost=0.01&model=gpt-4o-mini');
      rows = await page.locator('#traces tbody tr').allTextContents();
      assert.equal(rows.length, 1);
      assert.match(rows[0], /alice/);

      const bad = await filter(page, keel, 'min_cost=1&max_cost=cheap');
      assert.equal(bad.status(), 400);
      assert.match(await page.textContent('#filter-error'), /max_cost must be a number.*cheap/);
      assert.equal(await page.inputValue('input[name=max_cost]'), 'cheap');
      assert.equal(await page.locator('#traces').count(), 0);
      await shot(page, 'traces-filter-error');
      await page.context().close();
    });

  test('ids holding a slash open their trace and session pages', async () => {
    const page = await newPage(browser);
    await signIn(page, keel);
    await filter(page, keel, 'user=cron');
    await Promise.all([page.waitForURL(/\/ui\/traces\/batch%2F2026-01-02$/),
      page.click('#traces tbody tr a')]);
    assert.match(await page.textContent('main'), /upstream timed out|fetch/);
    await filter(page, keel, 'user=alice');
    const res = await Promise.all([page.waitForURL(/\/ui\/sessions\/team%2Fsupport$/),
      page.click('#traces tbody tr a[href^="/ui/sessions/"]')]);
    assert.ok(res);
    assert.match(await page.textContent('.conversation'), /reset my password/);
    await shot(page, 'session-with-slash');
    await page.context().close();
  });

  test('an admin overrides a model price, used by the next call, and sets retention',
    async () => {
      const page = await newPage(browser);
      await signIn(page, keel);
      await page.goto(`${keel.baseUrl}/ui/settings?model=gpt-4o-mini`);
      const row = page.locator('#prices-table tr', { has: page.locator('code',
        { hasText: /^gpt-4o-mini$/ }) });
      assert.match(await row.textContent(), /LiteLLM table/);

      await page.fill('#price-form input[name=input]', '1000');
      await page.fill('#price-form input[name=output]', '1000');
      await Promise.all([page.waitForURL(/\/ui\/settings\?model=gpt-4o-mini/),
        page.click('#price-form button')]);
      assert.match(await row.textContent(), /\$1000.*\$1000.*set in Settings by master key/s);
      await shot(page, 'settings-prices');

      const traceId = await chat(keel, { name: 'priced', content: 'Hello there' });
      await waitForTraces(keel, 4);
      const trace = await (await fetch(`${keel.baseUrl}/api/public/traces/${traceId}`,
        { headers: { authorization: `Bearer ${keel.masterKey}` } })).json();
      const usage = trace.observations[0].usageDetails;
      const tokens = usage.input + usage.output;
      assert.ok(Math.abs(trace.totalCost - tokens * 0.001) < 1e-9,
        `${trace.totalCost} for ${tokens} tokens`);

      await page.fill('#retention-form input[name=days]', '30');
      await Promise.all([page.waitForURL(/#retention$/), page.click('#retention-form button')]);
      assert.match(await page.textContent('#retention-now'), /30 days.*set in Settings/s);
      await page.locator('#retention').scrollIntoViewIfNeeded();
      await shot(page, 'settings-retention');
      await page.context().close();
    });

  test('a viewer sees prices and retention but cannot change them', async () => {
    const admin = await newPage(browser);
    await signIn(admin, keel);
    await admin.goto(`${keel.baseUrl}/ui/settings`);
    await admin.fill('input[name=username]', 'vince');
    await admin.fill('input[name=password]', 'viewer-password-1');
    await admin.selectOption('select[name=role]', 'viewer');
    await Promise.all([admin.waitForURL(`${keel.baseUrl}/ui/settings`),
      admin.click('text=Add account')]);
    await admin.context().close();

    const page = await newPage(browser);
    await page.goto(`${keel.baseUrl}/ui/login`);
    await page.fill('#username', 'vince');
    await page.fill('#password', 'viewer-password-1');
    await Promise.all([page.waitForURL(`${keel.baseUrl}/ui`),
      page.click('form:has(#username) button')]);
    await page.goto(`${keel.baseUrl}/ui/settings?model=claude`);
    assert.ok(await page.locator('#prices-table tbody tr').count() >= 1);
    assert.match(await page.textContent('#retention-now'), /30 days/);
    assert.equal(await page.locator('#price-form').count(), 0);
    assert.equal(await page.locator('#retention-form').count(), 0);

    const csrf = await page.getAttribute('meta[name=csrf-token]', 'content');
    const price = await page.request.post(`${keel.baseUrl}/ui/settings/prices`,
      { form: { csrf, model: 'gpt-4o-mini', input: '0' }, maxRedirects: 0 });
    const days = await page.request.post(`${keel.baseUrl}/ui/settings/retention`,
      { form: { csrf, days: '1' }, maxRedirects: 0 });
    assert.equal(price.status(), 403);
    assert.equal(days.status(), 403);
    await page.reload();
    assert.match(await page.textContent('#retention-now'), /30 days/);
    await shot(page, 'settings-viewer');
    await page.context().close();
  });
});
