import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHarness, type Harness, type Reply } from '../support/harness.ts';
import { nodeSoapClient, servedSchemaSet } from '../soap/support.ts';

// No worker runs by itself: each test decides when orders are processed. A waiting request reads
// its order again only every ten minutes, so a wait ends early only because the order's end woke it.
let h: Harness;
before(async () => {
  h = await startHarness({ accounts: ['alice', 'bob', 'waiter'], startWorker: false, config: { waits: { recheckMs: 600_000 } } });
  assert.equal((await h.admin('PUT', '/accounts/waiter/policy', { creditLimit: '0.00' })).status, 200);
});
after(() => h.close());

async function createOrder(as: string, form: Record<string, string> = { TollFreeCount: '1' }): Promise<number> {
  const reply = await h.call('POST', 'number/order.json', { as, form });
  assert.equal(reply.status, 201, reply.text);
  return reply.json.ResourceReference.Id;
}

/** A request in flight: whether it has answered yet, and its answer with the time it took. */
function inFlight(request: Promise<Reply>) {
  const started = performance.now();
  const state = { answered: false };
  const answer = request.then((reply) => {
    state.answered = true;
    return { reply, ms: performance.now() - started };
  });
  return { state, answer };
}

const statusOf = (reply: Reply) => (reply.json ? reply.json.Resource.NumberOrder.Status : /<Status>([A-Z_]+)<\/Status>/.exec(reply.text)?.[1]);

describe('GetNumberOrder with Wait (long-poll)', () => {
  test('holds the answer while the order is live and answers as soon as it ends, in XML and JSON, whatever the name\'s case', async () => {
    const id = await createOrder('alice');
    const xml = inFlight(h.call('GET', `number/order/${id}`, { form: { Wait: '20' } }));
    const json = inFlight(h.call('GET', `number/order/${id}.json`, { form: { wait: '20' } }));
    await sleep(300);
    assert.deepEqual([xml.state.answered, json.state.answered], [false, false], 'both wait while the order is NEW');
    await h.context.runner.runOnce();
    for (const { answer } of [xml, json]) {
      const { reply, ms } = await answer;
      assert.equal(reply.status, 200, reply.text);
      assert.equal(statusOf(reply), 'FINISHED');
      assert.ok(ms < 15_000, `answered when the order ended, not when Wait ran out (${ms} ms)`);
    }
  });

  test('an ended order, or Wait=0, answers at once', async () => {
    const id = await createOrder('alice');
    const live = await h.call('GET', `number/order/${id}.json`, { form: { Wait: '0' } });
    assert.equal(statusOf(live), 'NEW');
    await h.context.runner.runOnce();
    const { reply, ms } = await inFlight(h.call('GET', `number/order/${id}`, { form: { Wait: '30' } })).answer;
    assert.equal(statusOf(reply), 'FINISHED');
    assert.ok(ms < 25_000, `did not wait (${ms} ms)`);
  });

  test('when Wait runs out first, the order is answered as it is then', async () => {
    const id = await createOrder('waiter');
    await h.context.runner.runOnce();
    const { reply, ms } = await inFlight(h.call('GET', `number/order/${id}.json`, { as: 'waiter', form: { Wait: '1' } })).answer;
    assert.equal(reply.status, 200);
    assert.equal(statusOf(reply), 'WAIT_FOR_PAYMENT');
    assert.ok(ms >= 950, `waited the second asked for (${ms} ms)`);
  });

  test('an operator cancelling the order ends the wait too', async () => {
    const id = await createOrder('waiter');
    await h.context.runner.runOnce();
    const pending = inFlight(h.call('GET', `number/order/${id}.json`, { as: 'waiter', form: { Wait: '20' } }));
    await sleep(100);
    assert.equal((await h.admin('POST', `/orders/${id}/cancel`)).status, 200);
    const { reply, ms } = await pending.answer;
    assert.equal(statusOf(reply), 'VOID');
    assert.ok(ms < 15_000, `answered when the order was cancelled (${ms} ms)`);
  });

  test('another account\'s order is 404 at once, and a bad Wait is a 400 naming it; the limit is the served schema\'s', async () => {
    // The bound SOAP clients read in the served schema, so it cannot drift from what the server accepts.
    const { files } = await servedSchemaSet(h.baseUrl);
    const max = Number(/name="Wait">[\s\S]*?<xs:maxInclusive value="(\d+)"/.exec(files['callfire-service.xsd']!)?.[1]);
    assert.ok(Number.isInteger(max), 'the served schema bounds Wait');
    const id = await createOrder('bob');
    const { reply, ms } = await inFlight(h.call('GET', `number/order/${id}.json`, { as: 'alice', form: { Wait: String(max) } })).answer;
    assert.equal(reply.status, 404);
    assert.ok(ms < 25_000, `refused without waiting (${ms} ms)`);
    for (const wait of [String(max + 1), '-1', '1.5', 'soon']) {
      for (const suffix of ['', '.json']) {
        const bad = await h.call('GET', `number/order/${id}${suffix}`, { as: 'bob', form: { Wait: wait } });
        assert.equal(bad.status, 400, `Wait=${wait}`);
        assert.match(bad.text, new RegExp(`Wait must be an integer from 0 to ${max}\\b`));
      }
    }
    await h.context.runner.runOnce();
    // Ended, the order answers at once, however long the wait allowed.
    assert.equal(statusOf(await h.call('GET', `number/order/${id}.json`, { as: 'bob', form: { Wait: String(max) } })), 'FINISHED');
  });

  test('over SOAP, a Wait element in GetNumberOrder waits the same way (npm soap package, served WSDL)', async () => {
    const served = await servedSchemaSet(h.baseUrl);
    const alice = await nodeSoapClient(h.baseUrl, 'alice', served);
    const id = await createOrder('alice');
    const pending = alice.number('GetNumberOrder', { Id: id, Wait: 20 });
    let answered = false;
    void pending.then(() => { answered = true; });
    await sleep(300);
    assert.equal(answered, false);
    await h.context.runner.runOnce();
    assert.equal((await pending).Status, 'FINISHED');
  });

  test('a server that stops answers its waiting requests at once with the order as it is, and closes their connections', async () => {
    const other = await startHarness({ accounts: ['carol'], startWorker: false, config: { waits: { recheckMs: 600_000 } } });
    try {
      const reply = await other.call('POST', 'number/order.json', { as: 'carol', form: { TollFreeCount: '1' } });
      const id = reply.json.ResourceReference.Id;
      const pending = inFlight(other.call('GET', `number/order/${id}.json`, { as: 'carol', form: { Wait: '30' } }));
      await sleep(300);
      const closing = performance.now();
      await other.app.close();
      const closedIn = performance.now() - closing;
      const { reply: answer, ms } = await pending.answer;
      assert.equal(answer.status, 200);
      assert.equal(statusOf(answer), 'NEW');
      assert.ok(ms < 25_000, `closing did not wait for Wait to run out (${ms} ms)`);
      // Kept alive, the answered request's connection would hold closing up for the 72 s keep-alive timeout.
      assert.ok(closedIn < 25_000, `closed without waiting for the connection to idle out (${closedIn} ms)`);
    } finally {
      await other.close();
    }
  });
});
