// End-to-end: the Langfuse v3 JS SDK's dataset code (`langfuse` on npm) against a real
// `keel serve`: create a dataset and items, read them with getDataset, link each item to a
// trace in a run with item.link, and read the run back with getDatasetRun and getDatasetRuns.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Langfuse } from 'langfuse';
import { readApi, startKeel } from './support/keel.js';

let keel;
let langfuse;
// Names are unique per run so that a retried run never reads an earlier run's items.
const RUN = randomUUID().slice(0, 8);
const DATASET = `e2e-${RUN}-capitals`;

before(async () => {
  keel = await startKeel();
  langfuse = new Langfuse({
    publicKey: keel.publicKey, secretKey: keel.secretKey, baseUrl: keel.baseUrl,
  });
});

after(async () => {
  await langfuse?.shutdownAsync();
  await keel?.stop();
});

describe('Langfuse v3 SDK datasets against Keel', () => {
  test('createDataset and createDatasetItem, then getDataset reads them back', async () => {
    const made = await langfuse.createDataset({
      name: DATASET, description: 'capital cities', metadata: { owner: 'e2e' },
    });
    await langfuse.createDatasetItem({
      datasetName: DATASET, id: `${RUN}-fr`, input: { country: 'France' },
      expectedOutput: 'Paris', metadata: { region: 'europe' },
    });
    await langfuse.createDatasetItem({
      datasetName: DATASET, id: `${RUN}-jp`, input: { country: 'Japan' }, expectedOutput: 'Tokyo',
    });

    const dataset = await langfuse.getDataset(DATASET, { fetchItemsPageSize: 1 });

    assert.equal(made.name, DATASET);
    assert.equal(dataset.id, made.id);
    assert.equal(dataset.description, 'capital cities');
    assert.deepEqual(dataset.metadata, { owner: 'e2e' });
    assert.deepEqual(dataset.items.map((i) => i.id), [`${RUN}-fr`, `${RUN}-jp`]);
    assert.deepEqual(dataset.items[0].input, { country: 'France' });
    assert.equal(dataset.items[0].expectedOutput, 'Paris');
    assert.deepEqual(dataset.items[0].metadata, { region: 'europe' });
    assert.equal(dataset.items[0].status, 'ACTIVE');
    assert.equal(dataset.items[0].datasetName, DATASET);
  });

  test('item.link puts traces in a run that getDatasetRun reads back', async () => {
    const dataset = await langfuse.getDataset(DATASET);
    const runName = `run-${RUN}`;
    const traceIds = [];
    for (const item of dataset.items) {
      const trace = langfuse.trace({ name: 'capital-task', input: item.input });
      trace.update({ output: 'an answer' });
      await item.link(trace, runName, { description: 'first run', metadata: { model: 'sim' } });
      traceIds.push(trace.id);
    }
    await langfuse.flushAsync();

    const run = await langfuse.getDatasetRun({ datasetName: DATASET, runName });
    const runs = await langfuse.getDatasetRuns(DATASET);
    const trace = await readApi(keel, `/api/public/traces/${traceIds[0]}`);

    assert.equal(run.name, runName);
    assert.equal(run.description, 'first run');
    assert.deepEqual(run.metadata, { model: 'sim' });
    assert.equal(run.datasetName, DATASET);
    assert.deepEqual(run.datasetRunItems.map((x) => x.traceId), traceIds);
    assert.deepEqual(run.datasetRunItems.map((x) => x.datasetItemId),
      dataset.items.map((i) => i.id));
    assert.deepEqual(runs.data.map((r) => r.name), [runName]);
    assert.equal(trace.status, 200);
    assert.equal(trace.body.name, 'capital-task');
  });

  test('an unknown dataset is a 404 in Langfuse\'s error shape', async () => {
    const missing = await readApi(keel, `/api/public/v2/datasets/missing-${RUN}`);

    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, `dataset not found: missing-${RUN}`);
    // The v3 SDK logs the 404 and then fails reading the items page, as it does on Langfuse.
    await assert.rejects(() => langfuse.getDataset(`missing-${RUN}`));
  });
});
