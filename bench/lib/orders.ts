import { request } from './load.ts';

const TERMINAL = new Set(['FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED']);

/** POST CreateNumberOrder (JSON answer); the new order's id. */
export async function createOrder(base: string, authorization: string, body: string): Promise<number> {
  const answer = await request(`${base}/api/1.1/rest/number/order.json`, { method: 'POST', headers: { authorization }, body });
  if (answer.status !== 201) throw new Error(`CreateNumberOrder answered ${answer.status}: ${answer.body}`);
  return (JSON.parse(answer.body) as { ResourceReference: { Id: number } }).ResourceReference.Id;
}

/** GetNumberOrder's status (JSON). */
export async function orderStatus(base: string, authorization: string, id: number): Promise<string> {
  const answer = await request(`${base}/api/1.1/rest/number/order/${id}.json`, { headers: { authorization } });
  if (answer.status !== 200) throw new Error(`GetNumberOrder answered ${answer.status}: ${answer.body}`);
  return (JSON.parse(answer.body) as { Resource: { NumberOrder: { Status: string } } }).Resource.NumberOrder.Status;
}

export function isTerminalStatus(status: string): boolean {
  return TERMINAL.has(status);
}

export async function waitUntilTerminal(base: string, authorization: string, id: number): Promise<string> {
  const deadline = performance.now() + 20_000;
  for (;;) {
    const status = await orderStatus(base, authorization, id);
    if (isTerminalStatus(status)) return status;
    if (performance.now() > deadline) throw new Error(`order ${id} still ${status} after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
