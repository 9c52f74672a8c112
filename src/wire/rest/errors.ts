import { NumberdError, type ErrorKind } from '../../domain/errors.ts';

const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

/** The one mapping from anything thrown to a REST status and message; unknown errors are 500s with a bland message. */
export function restErrorOf(error: unknown): { status: number; message: string; internal: boolean } {
  if (error instanceof NumberdError) return { status: STATUS_OF[error.kind], message: error.message, internal: false };
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, message: (error as Error).message, internal: false };
  }
  return { status: 500, message: 'internal server error', internal: true };
}
