import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { passwordOf, startHarness, type Harness } from '../support/harness.ts';

const run = promisify(execFile);
const script = (name: string) => fileURLToPath(new URL(`clients/${name}`, import.meta.url));

/** Debian's python3 (where apt puts python3-zeep), not whatever python3 comes first on PATH. */
const PYTHON = '/usr/bin/python3';

async function missing(command: string, args: string[], expect: RegExp | null, what: string): Promise<string | false> {
  try {
    const { stdout } = await run(command, args, { timeout: 20_000 });
    return expect && !expect.test(stdout) ? what : false;
  } catch {
    return what;
  }
}

// Both are optional on a developer machine; CI installs them (.ci/run). Only these two tests skip without them.
const zeepMissing = await missing(PYTHON, ['-c', 'import zeep'], null, `${PYTHON} cannot import zeep (apt-get install python3-zeep)`);
const phpMissing = await missing('php', ['-m'], /^soap$/m, 'php with the soap extension is not installed (apt-get install php-cli php-soap)');

let h: Harness;
before(async () => { h = await startHarness({ accounts: ['zed', 'pam'] }); });
after(() => h.close());

async function scenario(command: string, file: string, login: string): Promise<any> {
  const { stdout } = await run(command, [script(file), h.baseUrl, login, passwordOf(login)], { timeout: 120_000 });
  return JSON.parse(stdout);
}

describe('third-party SOAP stacks run the Number and Label scenario from the served WSDL', () => {
  test('Python zeep 4 (SOAP 1.2)', { skip: zeepMissing }, async (t) => {
    const seen = await scenario(PYTHON, 'zeep_scenario.py', 'zed');
    t.diagnostic(`zeep read CreatedId: ${seen.created_id_read}`);
    assert.deepEqual(seen.available_keywords, ['ZEEPY']);
    assert.equal(seen.created_id_type, 'int');
    assert.equal(seen.order.status, 'FINISHED');
    assert.equal(seen.order.total, 13);
    assert.equal(seen.order.local.length, 3);
    assert.equal(seen.order.toll_free.length, 1);
    assert.deepEqual(seen.order.keywords, ['ZEEPY']);
    assert.equal(seen.owned, 4);
    assert.deepEqual(seen.tracking, { transfer: ['12065550100'], record: true });
    assert.equal(seen.ivr_type, 'IVR');
    assert.deepEqual(seen.keywords, ['ZEEPY']);
    assert.equal(seen.labelled, true);
    assert.deepEqual(seen.labels, ['zeep']);
    assert.equal(seen.labels_after_delete, 0);
    assert.deepEqual(seen.fault, { code: 'Sender', fault_code: 'NOT_FOUND' });
  });

  test('PHP SoapClient as the CallFire PHP SDK configures it (SOAP 1.1), and with SOAP_1_2', { skip: phpMissing }, async () => {
    const seen = await scenario('php', 'php_scenario.php', 'pam');
    assert.equal(seen.wire, '1.1');
    assert.deepEqual(seen.available_keywords, ['PHPSDK']);
    assert.equal(seen.created_id_type, 'integer');
    assert.equal(seen.order.status, 'FINISHED');
    assert.equal(seen.order.total, 13);
    assert.equal(seen.order.local.length, 3);
    assert.match(seen.order.toll_free, /^1(800|833|844|855|866|877|888)\d{7}$/);
    assert.equal(seen.order.keywords, 'PHPSDK');
    assert.equal(seen.owned, 4);
    assert.deepEqual(seen.tracking, { type: 'TRACKING', transfer: '12065550100 12065550101', screen: true });
    assert.deepEqual(seen.keywords, ['PHPSDK']);
    assert.deepEqual(seen.labels, ['php']);
    assert.equal(seen.labels_after_delete, 0);
    assert.deepEqual(seen.fault, { code: 'soap:Client', fault_code: 'NOT_FOUND' });
    assert.deepEqual([seen.soap12_wire, seen.soap12_labels], ['1.2', 0]);
  });
});
