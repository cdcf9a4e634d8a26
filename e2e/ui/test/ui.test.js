// The web UI in headless Chromium against a real `keel serve` with traces sent through the
// gateway: sign-in, overview charts, trace filters, a trace's tree and cost, a prompt diff with
// promote, keys, CSRF, escaping, and a logged-out browser that sees no data.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chat, createPrompt, startKeel, waitForTraces } from '../support/server.js';
import { launch, newPage, shot, signIn } from '../support/browser.js';

const XSS_NAME = '<img src=x onerror="window.__xss=1">';

describe('Keel web UI', () => {
  let keel;
  let browser;
  let aliceTrace;

  before(async () => {
    keel = await startKeel();
    browser = await launch();
    aliceTrace = await chat(keel, { user: 'alice', session: 'conv-1', name: 'support-reply',
      tags: ['demo', 'ui'], content: 'How do I reset my password?' });
    await chat(keel, { user: 'alice', session: 'conv-1', name: 'support-reply',
      content: 'And my username?' });
    await chat(keel, { user: 'bob', session: 'conv-2', name: 'summarize',
      content: 'Summarize this', model: 'claude-3-5-haiku-20241022' });
    await chat(keel, { user: 'mallory', name: XSS_NAME, content: '<script>alert(1)</script>' });
    await waitForTraces(keel, 4);
    await createPrompt(keel, 'greeting', 'Hello {{name}}.\nBe kind.\nSign as Keel.', ['production']);
    await createPrompt(keel, 'greeting', 'Hi {{name}}!\nBe kind.\nSign as the Keel team.');
  });

  after(async () => {
    await browser?.close();
    await keel?.stop();
  });

  test('a logged-out browser is sent to sign-in and sees no data', async () => {
    const page = await newPage(browser);

    for (const path of ['/ui', '/ui/traces', `/ui/traces/${aliceTrace}`,
      `/ui/traces/${aliceTrace}/field?f=input`, `/ui/traces/${aliceTrace}/json`,
      '/ui/users/alice', '/ui/prompts/greeting', '/ui/settings']) {
      await page.goto(keel.baseUrl + path);
      assert.equal(new URL(page.url()).pathname, '/ui/login', path);
      const text = await page.textContent('body');
      assert.ok(!text.includes('alice') && !text.includes('support-reply'), path);
    }
    const res = await page.request.post(`${keel.baseUrl}/ui/settings/keys`,
      { form: { name: 'sneaky' }, maxRedirects: 0 });
    assert.equal(res.status(), 303);
    assert.equal(res.headers().location, '/ui/login');

    await shot(page, 'logged-out');
    await page.context().close();
  });

  test('a wrong key is refused and the master key signs in to the overview', async () => {
    const page = await newPage(browser);
    await page.goto(`${keel.baseUrl}/ui/login`);
    await page.fill('#key', 'sk-keel-not-the-key');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('.error'), /not the master key/);

    await signIn(page, keel);

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'keel_ui');
    assert.ok(session.httpOnly);
    assert.equal(session.sameSite, 'Strict');
    await page.waitForSelector('.plot .uplot canvas');
    const requests = await page.textContent('.stats .stat:first-child b');
    assert.equal(requests.trim(), '4');
    assert.ok((await page.textContent('main')).includes('gpt-4o-mini'));
    await shot(page, 'overview');
    await page.context().close();
  });

  test('traces filter by user and tag, with pagination facts', async () => {
    const page = await newPage(browser);
    await signIn(page, keel);
    await page.goto(`${keel.baseUrl}/ui/traces`);
    assert.equal(await page.locator('#traces tbody tr').count(), 4);

    await page.fill('input[name=user]', 'alice');
    await Promise.all([page.waitForURL(/user=alice/), page.click('form.filters button')]);

    const rows = page.locator('#traces tbody tr');
    assert.equal(await rows.count(), 2);
    for (const text of await rows.allTextContents()) {
      assert.ok(text.includes('alice') && text.includes('support-reply'), text);
    }
    assert.match(await page.textContent('.pager'), /2 in all/);
    await page.locator('body').click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    assert.equal(await page.evaluate(() => document.activeElement.closest('tr').rowIndex), 2);
    await page.fill('input[name=tags]', 'demo');
    await Promise.all([page.waitForURL(/tags=demo/), page.click('form.filters button')]);
    assert.equal(await page.locator('#traces tbody tr').count(), 1);
    await shot(page, 'traces-filtered');
    await page.context().close();
  });

  test('a trace shows its observation tree, cost and chat input', async () => {
    const page = await newPage(browser);
    await signIn(page, keel);
    await page.goto(`${keel.baseUrl}/ui/traces?user=alice&tags=demo`);
    await Promise.all([page.waitForURL(/\/ui\/traces\/[^?]+$/),
      page.click('#traces tbody tr a')]);

    const rows = page.locator('#tree .wf-row');
    assert.ok(await rows.count() >= 1);
    assert.match(await rows.first().locator('summary').textContent(), /GENERATION.*gpt-4o-mini/s);
    assert.match(await page.textContent('#trace-cost'), /^\$0\.\d{6}$/);
    await rows.first().locator('summary').click();
    const detail = rows.first().locator('.obs-detail');
    await detail.waitFor();
    assert.match(await detail.textContent(), /How do I reset my password\?/);
    assert.match(await detail.textContent(), /Usage/);
    await shot(page, 'trace');
    await page.context().close();
  });

  test('a large payload is cut and Show all loads the rest in place', async () => {
    const long = `start ${'lorem ipsum '.repeat(600)} THE-END`;
    const id = await chat(keel, { user: 'longo', name: 'long-input', content: long });
    const page = await newPage(browser);
    await signIn(page, keel);
    for (let i = 0; i < 50; i++) {
      const res = await page.goto(`${keel.baseUrl}/ui/traces/${id}`);
      if (res.status() === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const io = page.locator('section.io');
    assert.match(await io.textContent(), /Showing 4000 of \d+ characters/);
    assert.ok(!(await io.textContent()).includes('THE-END'));
    await io.locator('button:has-text("Show all")').first().click();
    await io.locator('text=THE-END').first().waitFor();
    await shot(page, 'show-all');
    await page.context().close();
  });

  test('values are escaped: a hostile trace name renders as text', async () => {
    const page = await newPage(browser);
    await signIn(page, keel);
    await page.goto(`${keel.baseUrl}/ui/traces?user=mallory`);

    assert.ok((await page.textContent('#traces')).includes(XSS_NAME));
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await page.context().close();
  });

  test('two prompt versions diff side by side and a label is promoted and rolled back', async () => {
    const page = await newPage(browser);
    await signIn(page, keel);
    await page.goto(`${keel.baseUrl}/ui/prompts/greeting`);
    await page.selectOption('select[name=from]', '1');
    await page.selectOption('select[name=to]', '2');
    await Promise.all([page.waitForURL(/diff\?from=1&to=2/), page.click('text=Compare')]);

    assert.match(await page.textContent('#diff td.del'), /Hello \{\{name\}\}\./);
    assert.match(await page.textContent('#diff td.ins'), /Hi \{\{name\}\}!/);
    assert.ok(await page.locator('#diff tr.same').count() >= 1);
    await shot(page, 'prompt-diff');

    await page.goto(`${keel.baseUrl}/ui/prompts/greeting`);
    await Promise.all([page.waitForLoadState('load'), page.click('#v2 button:has-text("Promote")')]);
    assert.match(await page.textContent('#v2 h2'), /production/);
    assert.doesNotMatch(await page.textContent('#v1 h2'), /production/);
    await Promise.all([page.waitForLoadState('load'), page.click('text=Roll back label')]);
    assert.match(await page.textContent('#v1 h2'), /production/);
    await shot(page, 'prompt-versions');
    await page.context().close();
  });

  test('keys are created once-shown and revoked; a POST without the CSRF token is refused',
    async () => {
      const page = await newPage(browser);
      await signIn(page, keel);
      await page.goto(`${keel.baseUrl}/ui/settings`);
      await page.fill('input[name=name]', 'ci-bot');
      await page.click('text=Create key');
      const secret = (await page.textContent('#new-key')).trim();
      assert.match(secret, /^sk-keel-/);
      const ok = await fetch(`${keel.baseUrl}/v1/models`,
        { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(ok.status, 200);

      const forged = await page.request.post(`${keel.baseUrl}/ui/settings/keys`,
        { form: { name: 'forged' }, maxRedirects: 0 });
      assert.equal(forged.status(), 403);

      await page.goto(`${keel.baseUrl}/ui/settings`);
      assert.ok(!(await page.textContent('main')).includes(secret));
      assert.ok(!(await page.textContent('main')).includes('forged'));
      const row = page.locator('#keys tr', { hasText: 'ci-bot' });
      await Promise.all([page.waitForLoadState('load'), row.locator('text=Revoke').click()]);
      assert.match(await page.locator('#keys tr', { hasText: 'ci-bot' }).textContent(), /revoked/);
      const revoked = await fetch(`${keel.baseUrl}/v1/models`,
        { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(revoked.status, 401);
      await shot(page, 'settings');
      await page.context().close();
    });

  test('an admin adds a viewer account; the viewer sees data and cannot change anything',
    async () => {
      const admin = await newPage(browser);
      await signIn(admin, keel);
      await admin.goto(`${keel.baseUrl}/ui/settings`);
      await admin.fill('input[name=username]', 'vera');
      await admin.fill('input[name=password]', 'correct horse battery');
      await admin.selectOption('select[name=role]', 'viewer');
      await Promise.all([admin.waitForLoadState('load'), admin.click('text=Add account')]);
      assert.match(await admin.locator('#accounts tr', { hasText: 'vera' }).textContent(),
        /viewer/);
      await admin.context().close();

      const page = await newPage(browser);
      await page.goto(`${keel.baseUrl}/ui/login`);
      await page.fill('#username', 'vera');
      await page.fill('#password', 'wrong password');
      await page.click('#password ~ button');
      assert.match(await page.textContent('.error'), /Wrong username or password/);
      await page.fill('#username', 'vera');
      await page.fill('#password', 'correct horse battery');
      await Promise.all([page.waitForURL(`${keel.baseUrl}/ui`), page.click('#password ~ button')]);

      assert.match(await page.textContent('.who'), /vera · viewer/);
      await page.goto(`${keel.baseUrl}/ui/traces?user=alice`);
      assert.equal(await page.locator('#traces tbody tr').count(), 2);
      await page.goto(`${keel.baseUrl}/ui/prompts/greeting`);
      assert.equal(await page.locator('text=Promote').count(), 0);
      const csrf = await page.getAttribute('meta[name=csrf-token]', 'content');
      const promote = await page.request.post(`${keel.baseUrl}/ui/prompts/greeting/promote`,
        { form: { csrf, version: '2', label: 'production' }, maxRedirects: 0 });
      assert.equal(promote.status(), 403);
      await page.goto(`${keel.baseUrl}/ui/settings`);
      assert.equal(await page.locator('text=Create key').count(), 0);
      const key = await page.request.post(`${keel.baseUrl}/ui/settings/keys`,
        { form: { csrf, name: 'by-viewer' }, maxRedirects: 0 });
      assert.equal(key.status(), 403);
      await page.goto(`${keel.baseUrl}/ui/prompts/greeting`);
      assert.match(await page.textContent('#v1 h2'), /production/);
      await shot(page, 'viewer');
      await page.context().close();
    });

  test('two experiment runs compare item by item with score deltas', async () => {
    const api = (path, body) => fetch(keel.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${keel.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => {
      assert.ok(r.status < 300, `${path}: ${r.status} ${await r.text()}`);
    });
    await api('/api/public/v2/datasets', { name: 'faq', description: 'support questions' });
    await api('/api/public/dataset-items', { datasetName: 'faq', id: 'q1', input: 'reset?',
      expectedOutput: 'Use the link.' });
    await api('/api/public/dataset-items', { datasetName: 'faq', id: 'q2', input: 'refund?',
      expectedOutput: 'Within 30 days.' });
    const scores = { baseline: { q1: 0.5, q2: 0.25 }, candidate: { q1: 0.75, q2: 0.25 } };
    for (const [run, byItem] of Object.entries(scores)) {
      for (const [item, value] of Object.entries(byItem)) {
        const traceId = await chat(keel, { name: `eval-${run}`, content: `item ${item}` });
        await api('/api/public/dataset-run-items', { runName: run, datasetItemId: item, traceId });
        await api('/api/public/scores', { traceId, name: 'accuracy', value });
      }
    }

    const page = await newPage(browser);
    await signIn(page, keel);
    const res = await page.goto(`${keel.baseUrl}/ui/datasets/faq`);
    assert.equal(res.status(), 200, await page.textContent('main'));
    assert.equal(await page.locator('#items tbody tr').count(), 2);
    await page.selectOption('select[name=a]', 'baseline');
    await page.selectOption('select[name=b]', 'candidate');
    await Promise.all([page.waitForURL(/compare\?a=baseline&b=candidate/),
      page.click('text=Compare runs')]);

    assert.match(await page.textContent('#averages'), /accuracy\s*0\.375\s*0\.500\s*\+0\.125/);
    const q1 = page.locator('#by-item tr', { hasText: 'q1' });
    assert.match(await q1.textContent(), /0\.500\s*0\.750\s*\+0\.250/);
    const q2 = page.locator('#by-item tr', { hasText: 'q2' });
    assert.match(await q2.textContent(), /0\.250\s*0\.250\s*\+0\.000/);
    await shot(page, 'runs-compare');
    await page.context().close();
  });

  test('sessions, users and cost pages show the conversation and spend', async () => {
    const page = await newPage(browser, { colorScheme: 'dark' });
    await signIn(page, keel);
    await page.goto(`${keel.baseUrl}/ui/sessions/conv-1`);
    const convo = await page.textContent('.conversation');
    assert.ok(convo.indexOf('reset my password') < convo.indexOf('my username'));
    await page.goto(`${keel.baseUrl}/ui/users/alice`);
    assert.match(await page.textContent('.stats'), /Traces\s*2/);
    await page.goto(`${keel.baseUrl}/ui/cost`);
    assert.match(await page.textContent('#by-model'), /gpt-4o-mini/);
    const alice = await page.locator('#by-user tr', { hasText: 'alice' }).textContent();
    assert.match(alice, /alice\s*2\s*\d+\s*\$0\.\d{6}/);
    assert.ok(await page.locator('#by-key tbody tr').count() >= 1);
    assert.match(await page.textContent('#savings'), /Saved by cache/);
    await page.waitForSelector('.plot .uplot canvas');
    await shot(page, 'cost-dark');
    await page.context().close();
  });
});
