import { NumberdError } from '../domain/errors.ts';
import { restErrorOf } from '../wire/rest/errors.ts';

/** Admin errors are JSON `{code, message}` with the same statuses as the REST binding. */
export function adminErrorOf(error: unknown): { status: number; body: { code: string; message: string }; internal: boolean } {
  const { status, message, internal } = restErrorOf(error);
  const code = error instanceof NumberdError ? error.code : internal ? 'NBD_ERR_INTERNAL' : String((error as { code?: unknown })?.code ?? 'NBD_ERR_REQUEST');
  return { status, body: { code, message }, internal };
}
