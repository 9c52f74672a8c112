import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { assertJsonShape, jsonExamplesDir } from './json-shape.ts';
import {
  assertValidRestXml,
  assertValidServiceXml,
  referenceDir,
  restSchemaSet,
  validateXml,
  XML_PROLOG,
} from './xml-schema.ts';

const PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

function numberOrderXml(opts: { status?: string; outOfOrder?: boolean; root?: string } = {}): string {
  const { status = 'FINISHED', outOfOrder = false, root = 'r' } = opts;
  const statusEl = `<Status>${status}</Status>`;
  const createdEl = '<Created>2016-04-20T12:56:20Z</Created>';
  const costEl = '<TotalCost>3.0</TotalCost>';
  const head = outOfOrder ? costEl + statusEl + createdEl : statusEl + createdEl + costEl;
  return (
    `${PROLOG}\n` +
    `<${root}:Resource xmlns:${root}="http://api.callfire.com/resource" xmlns="http://api.callfire.com/data">` +
    `<NumberOrder id="3833623003">${head}` +
    '<TollFreeNumbers><Ordered>1</Ordered><UnitCost>3.0</UnitCost><Fulfilled>18559875391</Fulfilled></TollFreeNumbers>' +
    `</NumberOrder></${root}:Resource>`
  );
}

async function assertRejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof assert.AssertionError, `expected AssertionError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('xml-schema helpers', () => {
  it('referenceDir points at ../shared/reference/callfire-1.1 beside the repo', () => {
    const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
    assert.equal(referenceDir, path.resolve(repoRoot, '../shared/reference/callfire-1.1'));
    assert.equal(XML_PROLOG, PROLOG);
  });

  it('accepts a valid r:Resource with a NumberOrder', async () => {
    const t0 = performance.now();
    await assertValidRestXml(numberOrderXml());
    const ms = performance.now() - t0;
    assert.ok(ms < 5000, `one validation took ${ms.toFixed(0)} ms`);
  });

  it('rejects NumberOrder children out of XSD order', async () => {
    await assertRejects(assertValidRestXml(numberOrderXml({ outOfOrder: true })), /TotalCost.*not expected/s);
  });

  it('rejects status APPROVE_TIER_ONE (the XSD knows 7 statuses)', async () => {
    await assertRejects(
      assertValidRestXml(numberOrderXml({ status: 'APPROVE_TIER_ONE' })),
      /enumeration.*'APPROVE_TIER_ONE'/s,
    );
  });

  it('rejects a root prefixed ns1: instead of r: although it is schema-valid', async () => {
    const xml = numberOrderXml({ root: 'ns1' });
    assert.deepEqual(await validateXml(xml, await restSchemaSet()), [], 'namespace-wise the document is valid');
    await assertRejects(assertValidRestXml(xml), /root element must be one of r:Resource/);
  });

  it('rejects a wrong prolog and anything but whitespace before the root', async () => {
    const body = numberOrderXml().slice(PROLOG.length);
    await assertRejects(assertValidRestXml(`<?xml version="1.0" encoding="UTF-8"?>${body}`), /must start with exactly/);
    await assertRejects(assertValidRestXml(`${PROLOG}\n<!-- hi -->${body}`), /only whitespace/);
  });

  it('rejects an r: root not in the resource namespace and a data element as root', async () => {
    await assertRejects(
      assertValidRestXml(`${PROLOG}<r:Resource xmlns:r="urn:other"/>`),
      /xmlns:r="http:\/\/api\.callfire\.com\/resource"/,
    );
    await assertRejects(
      assertValidRestXml(`${PROLOG}<r:Label xmlns:r="http://api.callfire.com/data"><r:Name>x</r:Name></r:Label>`),
      /root element must be one of/,
    );
  });

  it('accepts ResourceList, ResourceReference and ResourceException', async () => {
    await Promise.all([
      assertValidRestXml(
        `${PROLOG}<r:ResourceList xmlns:r="http://api.callfire.com/resource" xmlns="http://api.callfire.com/data" totalResults="2">` +
          '<Label><Name>a</Name></Label><Label><Name>b</Name></Label></r:ResourceList>',
      ),
      assertValidRestXml(`${PROLOG}<r:ResourceList xmlns:r="http://api.callfire.com/resource" totalResults="0"/>`),
      assertValidRestXml(
        `${PROLOG}\n<r:ResourceReference xmlns:r="http://api.callfire.com/resource"><r:Id>1528630003</r:Id>` +
          '<r:Location>https://www.callfire.com/api/1.1/rest/number/order/1528630003</r:Location></r:ResourceReference>',
      ),
      assertValidRestXml(
        `${PROLOG}<r:ResourceException xmlns:r="http://api.callfire.com/resource"><r:HttpStatus>400</r:HttpStatus>` +
          '<r:Message>TriggerEvent is required</r:Message></r:ResourceException>',
      ),
    ]);
  });

  it('rejects malformed XML with the parser message', async () => {
    await assertRejects(assertValidRestXml(`${PROLOG}<r:Resource xmlns:r="http://api.callfire.com/resource"><a></r:Resource>`), /parser error/);
  });

  it('reports a schema import that does not resolve instead of silently skipping it', async () => {
    const set = await restSchemaSet();
    const misnamed = {
      main: set.main,
      files: Object.fromEntries(Object.entries(set.files).map(([k, v]) => [path.basename(k), v])),
    };
    const errors = await validateXml(numberOrderXml(), misnamed);
    assert.ok(errors.some((e) => /Failed to locate a schema/.test(e)), errors.join('\n'));
  });

  it('validates standalone service and data elements', async () => {
    await assertValidServiceXml(
      '<svc:NumberQueryResult xmlns:svc="http://api.callfire.com/service/xsd" xmlns:d="http://api.callfire.com/data">' +
        '<svc:TotalResults>1</svc:TotalResults><d:Number><d:Number>14242700222</d:Number><d:NationalFormat>(424) 270-0222</d:NationalFormat><d:TollFree>false</d:TollFree></d:Number></svc:NumberQueryResult>',
    );
    await assertValidServiceXml(
      '<d:NumberOrder xmlns:d="http://api.callfire.com/data" id="1"><d:Status>NEW</d:Status>' +
        '<d:Created>2016-04-20T12:56:20Z</d:Created><d:TotalCost>0</d:TotalCost></d:NumberOrder>',
    );
    await assertRejects(
      assertValidServiceXml('<svc:NumberQueryResult xmlns:svc="http://api.callfire.com/service/xsd" totalResults="1"/>'),
      /totalResults/,
    );
    await assertRejects(
      assertValidServiceXml('<ann:summary xmlns:ann="http://api.callfire.com/annotations">x</ann:summary>'),
      /root element must be in namespace/,
    );
  });
});

describe('json-shape helper', () => {
  const examples = readdirSync(jsonExamplesDir).filter((f) => f.endsWith('.json')).sort();

  it('finds the examples', () => {
    assert.ok(examples.length >= 10, examples.join(', '));
  });

  for (const file of examples) {
    it(`${file} passes against itself`, () => {
      assertJsonShape(JSON.parse(readFileSync(path.join(jsonExamplesDir, file), 'utf8')), file);
    });
  }

  const order = (extra: Record<string, unknown> = {}): unknown => ({
    Resource: {
      NumberOrder: {
        '@id': 3833623003,
        Status: 'FINISHED',
        Created: '2016-04-20T12:56:20Z',
        TotalCost: 3.0,
        ...extra,
      },
    },
  });
  const tollFree = { Ordered: 1, UnitCost: 3.0, Fulfilled: '18559875391' };

  it('rejects a list whose entity is a single object instead of an array', () => {
    const single = { ResourceList: { '@totalResults': 1, Label: { Name: 'label1' } } };
    assert.throws(() => assertJsonShape(single, 'label-query.json'), /ResourceList\.Label: expected array.*got object/);
    assertJsonShape({ ResourceList: { '@totalResults': 1, Label: [{ Name: 'label1' }] } }, 'label-query.json');
    assertJsonShape({ ResourceList: { '@totalResults': 0 } }, 'label-query.json');
  });

  it('rejects a wrong list envelope', () => {
    assert.throws(
      () => assertJsonShape({ ResourceList: { '@totalResults': '1', Label: [] } }, 'label-query.json'),
      /@totalResults: expected number, got string/,
    );
    assert.throws(
      () => assertJsonShape({ ResourceList: { '@totalResults': 1, Number: [] } }, 'label-query.json'),
      /ResourceList\.Number: unexpected key/,
    );
    assert.throws(() => assertJsonShape({ Resource: { Label: { Name: 'x' } } }, 'label-query.json'), /exactly one key "ResourceList"/);
  });

  it('rejects a wrong type with the dotted path and both types', () => {
    assertJsonShape(order(), 'number-getOrder.json');
    assert.throws(
      () => assertJsonShape(order({ TotalCost: '3.0' }), 'number-getOrder.json'),
      /Resource\.NumberOrder\.TotalCost: expected number, got string/,
    );
    assert.throws(
      () => assertJsonShape(order({ LocalNumbers: { Ordered: '1' } }), 'number-getOrder.json'),
      /Resource\.NumberOrder\.LocalNumbers\.Ordered: expected number, got string/,
    );
  });

  it('rejects a wrong entity under Resource', () => {
    assert.throws(
      () => assertJsonShape({ Resource: { Number: {} } }, 'number-getOrder.json'),
      /Resource: expected exactly one key "NumberOrder"/,
    );
  });

  it('rejects an unknown key unless allowed, and checks an allowed key by its same-shape key', () => {
    assert.throws(
      () => assertJsonShape(order({ TollFreeNumbers: tollFree }), 'number-getOrder.json'),
      /Resource\.NumberOrder\.TollFreeNumbers: unexpected key.*allowExtraKeys: \['TollFreeNumbers'\]/,
    );
    assertJsonShape(order({ TollFreeNumbers: tollFree }), 'number-getOrder.json', { allowExtraKeys: ['TollFreeNumbers'] });
    const opts = { allowExtraKeys: ['TollFreeNumbers'], sameShapeAs: { TollFreeNumbers: 'LocalNumbers' } };
    assertJsonShape(order({ TollFreeNumbers: tollFree }), 'number-getOrder.json', opts);
    assert.throws(
      () => assertJsonShape(order({ TollFreeNumbers: { ...tollFree, UnitCost: '3.0' } }), 'number-getOrder.json', opts),
      /TollFreeNumbers\.UnitCost: expected number, got string/,
    );
    assert.throws(
      () => assertJsonShape(order({ TollFreeNumbers: { ...tollFree, Bogus: 1 } }), 'number-getOrder.json', opts),
      /TollFreeNumbers\.Bogus: unexpected key/,
    );
    assert.throws(
      () => assertJsonShape(order({ TollFreeNumbers: tollFree }), 'number-getOrder.json', { sameShapeAs: { TollFreeNumbers: 'NoSuchKey' } }),
      (err: unknown) => err instanceof Error && !(err instanceof assert.AssertionError) && /NoSuchKey/.test(err.message),
    );
  });

  it('checks a nested allowed key against a same-named shape from another example', () => {
    const listed = (cfg: unknown): unknown => ({
      ResourceList: {
        '@totalResults': 1,
        Number: [{ Number: '14242700222', NumberConfiguration: { CallFeature: 'ENABLED', ...(cfg as object) } }],
      },
    });
    const path = 'NumberConfiguration.InboundCallConfiguration';
    assert.throws(
      () => assertJsonShape(listed({ InboundCallConfiguration: {} }), 'number-query.json'),
      /ResourceList\.Number\[0\]\.NumberConfiguration\.InboundCallConfiguration: unexpected key/,
    );
    const ivr = { IvrInboundConfig: { '@id': 1, DialplanXml: '<dialplan/>' } };
    assertJsonShape(listed({ InboundCallConfiguration: ivr }), 'number-query.json', { allowExtraKeys: [path] });
    assert.throws(
      () =>
        assertJsonShape(listed({ InboundCallConfiguration: { IvrInboundConfig: { '@id': '1' } } }), 'number-query.json', {
          allowExtraKeys: [path],
        }),
      /InboundCallConfiguration\.IvrInboundConfig\.@id: expected number, got string/,
    );
    assertJsonShape(listed({ InboundCallConfiguration: { CallTrackingConfig: { Recorded: true } } }), 'number-query.json', {
      allowExtraKeys: [path, `${path}.CallTrackingConfig`],
    });
  });

  it('compares ResourceReference and ResourceException bodies', () => {
    assertJsonShape({ ResourceReference: { Id: 7, Location: 'https://x/7' } }, 'number-order.json');
    assert.throws(() => assertJsonShape({ ResourceReference: { Id: '7' } }, 'number-order.json'), /ResourceReference\.Id: expected number/);
    assert.throws(
      () => assertJsonShape({ ResourceException: { HttpStatus: 404, Message: 'x', Extra: 1 } }, 'error.json'),
      /ResourceException\.Extra: unexpected key/,
    );
  });
});
