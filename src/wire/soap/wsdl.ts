import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

export const WSDL_PREFIX = '/api/1.1/wsdl';

/** The entry document; it imports the others by relative name, as CallFire's set does. */
export const WSDL_ENTRY = 'callfire-service-http-soap12.wsdl';
const FILES = [WSDL_ENTRY, 'callfire-service.wsdl', 'callfire-service.xsd', 'callfire-data.xsd'] as const;

/** soap12:address locations as written in the file: only their base is replaced when serving. */
const ADDRESS = /(<soap12:address\s+location=")[^"]*?(\/api\/1\.1\/soap12\/[a-z]+")/g;

export interface WsdlOptions {
  publicUrl: string | null;
}

/** Serves the WSDL/XSD set without authentication (PHP and zeep fetch it before any call). */
export async function wsdlPlugin(app: FastifyInstance, options: WsdlOptions): Promise<void> {
  const files = new Map<string, string>();
  for (const name of FILES) files.set(name, await readFile(new URL(`wsdl/${name}`, import.meta.url), 'utf8'));

  app.get<{ Params: { file: string } }>('/:file', async (request, reply) => {
    const text = files.get(request.params.file);
    if (text === undefined) return reply.code(404).type('text/plain; charset=utf-8').send(`no document ${request.params.file}`);
    const base = options.publicUrl ?? `${request.protocol}://${request.host}`;
    const served = request.params.file === WSDL_ENTRY ? text.replace(ADDRESS, (_match, open: string, path: string) => `${open}${base}${path}`) : text;
    return reply.type('text/xml; charset=utf-8').send(served);
  });
}
