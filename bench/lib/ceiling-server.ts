// The ceiling every figure is a ratio of: the same HTTP stack (fastify on Node) doing no work
// but answering a fixed XML body as long as a real GetNumberOrder answer. Argument: body bytes.
import Fastify from 'fastify';

const bytes = Number(process.argv[2] ?? 600);
const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><r:Resource xmlns:r="http://api.callfire.com/resource">';
const tail = '</r:Resource>';
const body = head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;

const app = Fastify({ logger: false });
app.get('/*', (_request, reply) => reply.type('application/xml; charset=utf-8').send(body));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`ceiling listening on ${address}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
