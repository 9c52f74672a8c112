import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

export type Entries = [string, string][];

/**
 * Request bodies as parameter entries. Form-urlencoded is assumed when the Content-Type is
 * form, absent or anything else (the Node SDK sends none); multipart text and file parts
 * both become values (a Scala client uploads DialplanXml as a file part).
 */
export async function bodyEntries(body: Buffer, contentType: string | undefined): Promise<Entries> {
  if (body.length === 0) return [];
  if (contentType && /^multipart\/form-data/i.test(contentType)) return multipartEntries(body, contentType);
  return [...new URLSearchParams(body.toString('utf8'))];
}

function multipartEntries(body: Buffer, contentType: string): Promise<Entries> {
  return new Promise((resolve, reject) => {
    const entries: Entries = [];
    const pending: Promise<void>[] = [];
    const parser = busboy({ headers: { 'content-type': contentType }, limits: { fields: 200, files: 10 } });
    parser.on('field', (name, value) => entries.push([name, value]));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      pending.push(new Promise((done) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          entries.push([name, Buffer.concat(chunks).toString('utf8')]);
          done();
        });
      }));
    });
    parser.on('close', () => Promise.all(pending).then(() => resolve(entries)));
    parser.on('error', reject);
    parser.end(body);
  });
}

/** Reads a body fastify does not parse (GET); some clients send their form there. */
export function readRawBody(raw: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error('request body is too large'), { statusCode: 413 }));
        raw.destroy();
        return;
      }
      chunks.push(chunk);
    });
    raw.on('end', () => resolve(Buffer.concat(chunks)));
    raw.on('error', reject);
  });
}

export function queryEntries(url: string): Entries {
  const index = url.indexOf('?');
  return index < 0 ? [] : [...new URLSearchParams(url.slice(index + 1))];
}
