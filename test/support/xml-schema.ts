/**
 * XML Schema validation helpers for tests, backed by xmllint-wasm (libxml2 2.13 compiled to
 * WebAssembly).
 *
 * Why not xmllint-wasm's own validateXML(): it starts a fresh worker thread per call, and a
 * worker inherits the parent's execArgv. Under `node --import tsx` every such worker loads
 * tsx again, which roughly doubles the cost of a call (~270 ms instead of ~130 ms for the
 * CallFire schemas). Instead this module drives the package's worker script
 * (xmllint-wasm/xmllint-node.js) directly: one long-lived worker per process, started with
 * `execArgv: []`, running one xmllint invocation per message (each message instantiates a
 * fresh wasm module with its own memory and in-memory file system). Once the worker is warm
 * a validation costs ~40 ms against the REST schema set and ~60 ms against the service set
 * (the first call of a process ~140 ms). Concurrent calls are queued on the one worker. The message protocol is that of xmllint-wasm 5.3.0
 * (pinned in package.json); the self-tests in support-self.test.ts exercise it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Repository root (this file lives in <root>/test/support/). */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of the CallFire 1.1 reference material, `../shared/reference/callfire-1.1` from the repo root. */
export const referenceDir: string = path.resolve(repoRoot, '../shared/reference/callfire-1.1');

export const RESOURCE_NS = 'http://api.callfire.com/resource';
export const DATA_NS = 'http://api.callfire.com/data';
export const SERVICE_NS = 'http://api.callfire.com/service/xsd';

/**
 * A set of schema documents for xmllint. `files` maps virtual file names (paths relative to
 * a virtual root directory, '/'-separated) to their contents; `main` is the key of the entry
 * schema. Imports are resolved by xmllint relative to the importing file's virtual name, so
 * each file must be stored under the name its `schemaLocation` resolves to.
 */
export interface SchemaSet {
  main: string;
  files: Record<string, string>;
}

// ---------------------------------------------------------------------------------------
// xmllint worker

const WORKER_SCRIPT = createRequire(import.meta.url).resolve('xmllint-wasm/xmllint-node.js');
/** Tag xmllint-wasm puts on its worker messages (both directions). */
const MESSAGE_KEY = 'xmllint-wasm';
/** Start a new worker after this many runs (its stdout/stderr buffers only ever grow). */
const RUNS_PER_WORKER = 200;
/** WebAssembly pages of 64 KiB: 16 MiB initial, up to 256 MiB for big documents. */
const INITIAL_MEMORY_PAGES = 256;
const MAX_MEMORY_PAGES = 4096;

interface XmllintRun {
  exitCode: number;
  stderr: string;
}

interface Job {
  inputFiles: { fileName: string; contents: string }[];
  args: string[];
  resolve(run: XmllintRun): void;
  reject(err: Error): void;
}

class XmllintRunner {
  private worker: Worker | undefined;
  private runs = 0;
  /** The worker script accumulates stderr across runs; this is what previous runs printed. */
  private stderrSeen = '';
  private current: Job | undefined;
  private readonly queue: Job[] = [];

  run(inputFiles: Job['inputFiles'], args: string[]): Promise<XmllintRun> {
    return new Promise((resolve, reject) => {
      this.queue.push({ inputFiles, args, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (err) {
      this.current = undefined;
      job.reject(err as Error);
      this.pump();
      return;
    }
    worker.ref(); // keep the process alive while a run is in flight
    worker.postMessage({
      [MESSAGE_KEY]: true,
      inputFiles: job.inputFiles,
      args: job.args,
      initialMemory: INITIAL_MEMORY_PAGES,
      maxMemory: MAX_MEMORY_PAGES,
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SCRIPT, { execArgv: [] });
    worker.on('message', (msg: unknown) => this.onMessage(worker, msg));
    worker.on('error', (err: Error) => this.onFailure(worker, err));
    worker.on('exit', (code: number) => this.onFailure(worker, new Error(`xmllint worker exited with code ${code}`)));
    this.worker = worker;
    this.runs = 0;
    this.stderrSeen = '';
    return worker;
  }

  private onMessage(worker: Worker, msg: unknown): void {
    if (worker !== this.worker || !this.current) return;
    if (typeof msg !== 'object' || msg === null || (msg as Record<string, unknown>)[MESSAGE_KEY] !== true) return;
    const { exitCode, stderr } = msg as { exitCode: unknown; stderr: unknown };
    const job = this.current;
    this.current = undefined;
    if (typeof exitCode !== 'number' || typeof stderr !== 'string') {
      this.discardWorker();
      job.reject(new Error(`unexpected message from the xmllint-wasm worker: ${JSON.stringify(msg).slice(0, 500)}`));
    } else {
      const own = stderr.startsWith(this.stderrSeen) ? stderr.slice(this.stderrSeen.length) : stderr;
      this.stderrSeen = stderr;
      this.runs += 1;
      // 0 = valid, 3/4 = invalid or not well-formed, 5 = schema failed to compile.
      // Anything else (e.g. -1 after a wasm abort) may leave the worker in a bad state.
      if (![0, 3, 4, 5].includes(exitCode) || this.runs >= RUNS_PER_WORKER) this.discardWorker();
      else worker.unref();
      job.resolve({ exitCode, stderr: own });
    }
    this.pump();
  }

  private onFailure(worker: Worker, err: Error): void {
    if (worker !== this.worker) return; // already discarded
    this.discardWorker();
    const job = this.current;
    this.current = undefined;
    job?.reject(err);
    this.pump();
  }

  private discardWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
  }
}

const runner = new XmllintRunner();

/** File name under which the instance document is handed to xmllint (appears in messages). */
const INSTANCE_FILE = 'instance.xml';

/**
 * Validates `xml` against the schema set. Returns the diagnostics printed by xmllint, one
 * entry per message (continuation lines such as the source excerpt of a parser error are
 * appended to their message); an empty array means the document is well-formed and valid
 * and the schemas compiled without warnings.
 *
 * Schema warnings count as errors on purpose: libxml2 only WARNS when an `<import>` cannot
 * be resolved ("Failed to locate a schema ... Skipping the import") and then carries on,
 * so a mis-named schema file would otherwise go unnoticed whenever validation is lax.
 *
 * Rejects (throws) when the schema itself fails to compile, since that is a bug in the test
 * setup rather than in the document under test.
 */
export async function validateXml(xml: string, schema: SchemaSet): Promise<string[]> {
  if (schema.files[schema.main] === undefined) {
    throw new Error(`validateXml: main schema ${JSON.stringify(schema.main)} is not among schema.files`);
  }
  const names = Object.keys(schema.files);
  for (const name of names) {
    if (name === INSTANCE_FILE || /^[-/]|^\.\.?\//.test(name) || name.includes('/../')) {
      throw new Error(`validateXml: unusable schema file name ${JSON.stringify(name)}`);
    }
  }
  const inputFiles = [
    { fileName: INSTANCE_FILE, contents: xml },
    ...names.map((fileName) => ({ fileName, contents: schema.files[fileName] as string })),
  ];
  const { exitCode, stderr } = await runner.run(inputFiles, ['--schema', schema.main, '--noout', INSTANCE_FILE]);

  if (exitCode === 5) {
    throw new Error(`validateXml: schema ${schema.main} failed to compile:\n${stderr}`);
  }
  if (![0, 3, 4].includes(exitCode)) {
    throw new Error(`validateXml: xmllint failed with exit code ${exitCode}:\n${stderr}`);
  }
  const messages = parseXmllintOutput(stderr);
  if (exitCode !== 0 && messages.length === 0) {
    messages.push(`xmllint reported the document invalid (exit code ${exitCode}) without a message`);
  }
  return messages;
}

function parseXmllintOutput(stderr: string): string[] {
  const messages: string[] = [];
  const startsMessage = /^(?:[^\s:]+:\d+: |warning|error|WXS schema|Schemas )/i;
  for (const line of stderr.split('\n')) {
    if (line.trim() === '') continue;
    if (line === `${INSTANCE_FILE} validates` || line === `${INSTANCE_FILE} fails to validate`) continue;
    const last = messages.length - 1;
    if (last >= 0 && !startsMessage.test(line)) {
      messages[last] += `\n${line}`;
    } else {
      messages.push(line);
    }
  }
  return messages;
}

// ---------------------------------------------------------------------------------------
// Reference schemas (read once per process)

const SCHEMA_FILES = {
  envelope: 'resource-envelope.xsd',
  data: 'wsdl/callfire-data.xsd',
  ann: 'wsdl/callfire-ann.xsd',
  service: 'wsdl/callfire-service.xsd',
} as const;

type SchemaKey = keyof typeof SCHEMA_FILES;

let referenceSchemas: Promise<Record<SchemaKey, string>> | undefined;

function loadReferenceSchemas(): Promise<Record<SchemaKey, string>> {
  referenceSchemas ??= (async () => {
    const entries = await Promise.all(
      (Object.keys(SCHEMA_FILES) as SchemaKey[]).map(
        async (key) => [key, await readFile(path.join(referenceDir, SCHEMA_FILES[key]), 'utf8')] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<SchemaKey, string>;
  })();
  // Do not cache a failed read forever (e.g. a test that runs before the folder exists).
  referenceSchemas.catch(() => {
    referenceSchemas = undefined;
  });
  return referenceSchemas;
}

/**
 * Schema set for REST responses. The virtual names mirror the reference folder, so
 * `schemaLocation="wsdl/callfire-data.xsd"` in resource-envelope.xsd and the relative
 * `schemaLocation="callfire-ann.xsd"` inside callfire-data.xsd both resolve.
 */
export async function restSchemaSet(): Promise<SchemaSet> {
  const s = await loadReferenceSchemas();
  return {
    main: SCHEMA_FILES.envelope,
    files: {
      [SCHEMA_FILES.envelope]: s.envelope,
      [SCHEMA_FILES.data]: s.data,
      [SCHEMA_FILES.ann]: s.ann,
    },
  };
}

/**
 * Schema set for standalone service-namespace or data-namespace elements. callfire-service.xsd
 * imports callfire-data.xsd, so its global elements (d:Number, d:NumberOrder, ...) are
 * available as validation roots too; no wrapper schema is needed.
 */
export async function serviceSchemaSet(): Promise<SchemaSet> {
  const s = await loadReferenceSchemas();
  return {
    main: SCHEMA_FILES.service,
    files: {
      [SCHEMA_FILES.service]: s.service,
      [SCHEMA_FILES.data]: s.data,
      [SCHEMA_FILES.ann]: s.ann,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Assertions

export const XML_PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

const REST_ROOTS = ['Resource', 'ResourceList', 'ResourceReference', 'ResourceException'] as const;

function fail(problems: string[], xml: string): never {
  throw new assert.AssertionError({
    message: `${problems.map((p) => `  - ${p}`).join('\n')}\n--- XML ---\n${xml}`,
    actual: xml,
    operator: 'validXml',
  });
}

/**
 * Asserts a complete REST XML response: exact prolog, only whitespace before the root, the
 * root is `r:Resource` / `r:ResourceList` / `r:ResourceReference` / `r:ResourceException`
 * with the literal prefix `r` bound to the resource namespace on the root, and the document
 * is valid against resource-envelope.xsd (+ callfire-data.xsd, callfire-ann.xsd).
 */
export async function assertValidRestXml(xml: string): Promise<void> {
  const problems: string[] = [];

  if (!xml.startsWith(XML_PROLOG)) {
    problems.push(`document must start with exactly ${XML_PROLOG} (got ${JSON.stringify(xml.slice(0, 70))})`);
  } else {
    const rest = xml.slice(XML_PROLOG.length);
    const lead = /^\s*/.exec(rest)?.[0] ?? '';
    const afterLead = rest.slice(lead.length);
    const rootTag = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)(?=[\s/>])[^>]*>/.exec(afterLead);
    if (!afterLead.startsWith('<') || /^<[!?]/.test(afterLead) || !rootTag) {
      problems.push(
        `only whitespace may sit between the prolog and the root element (got ${JSON.stringify(afterLead.slice(0, 40))})`,
      );
    } else {
      const qname = rootTag[1] ?? '';
      if (!(REST_ROOTS as readonly string[]).map((n) => `r:${n}`).includes(qname)) {
        problems.push(`root element must be one of ${REST_ROOTS.map((n) => `r:${n}`).join(', ')} (got ${qname})`);
      }
      const rBinding = /\sxmlns:r\s*=\s*(["'])(.*?)\1/.exec(rootTag[0]);
      if (rBinding?.[2] !== RESOURCE_NS) {
        problems.push(`root element must declare xmlns:r="${RESOURCE_NS}"`);
      }
    }
  }

  problems.push(...(await validateXml(xml, await restSchemaSet())));
  if (problems.length > 0) fail(problems, xml);
}

/**
 * Asserts a standalone element of the service namespace (e.g. svc:NumberQueryResult) or of
 * the data namespace (e.g. d:Number) against callfire-service.xsd (+ data, ann). An XML
 * declaration is optional; no prefix is required. Intended for SOAP Body children.
 */
export async function assertValidServiceXml(xml: string): Promise<void> {
  const problems: string[] = [];
  const ns = rootNamespace(xml);
  if (ns !== SERVICE_NS && ns !== DATA_NS) {
    // The schema set would also accept e.g. a root ann:summary (imported by the data xsd).
    problems.push(`root element must be in namespace ${SERVICE_NS} or ${DATA_NS} (got ${JSON.stringify(ns)})`);
  }
  problems.push(...(await validateXml(xml, await serviceSchemaSet())));
  if (problems.length > 0) fail(problems, xml);
}

/** Namespace of the root element, from the declarations on the root start tag; undefined if not found. */
function rootNamespace(xml: string): string | undefined {
  const body = xml.replace(/^\uFEFF?(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/, '');
  const tag = /^<(?:([A-Za-z_][\w.-]*):)?[A-Za-z_][\w.-]*(?=[\s/>])[^>]*>/.exec(body);
  if (!tag) return undefined;
  const attr = tag[1] === undefined ? 'xmlns' : `xmlns:${tag[1]}`;
  const decl = new RegExp(`\\s${attr.replace(/\./g, '\\.')}\\s*=\\s*(["'])(.*?)\\1`).exec(tag[0]);
  return decl?.[2];
}
