/**
 * The catalogue of errors services may throw. Every wire maps `kind` to its own form
 * (REST: status + ResourceException; SOAP: a fault), so services stay transport-free.
 */
export type ErrorKind = 'invalid' | 'unauthorized' | 'not_found' | 'conflict' | 'unavailable';

export class NumberdError extends Error {
  override name = 'NumberdError';
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Bad or missing client input; `parameter` names the offending parameter when there is one. */
export class InvalidInputError extends NumberdError {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly parameter?: string,
    code = 'NBD_ERR_INVALID_PARAMETER',
  ) {
    super('invalid', code, message);
  }
}

export class UnauthorizedError extends NumberdError {
  override name = 'UnauthorizedError';
  constructor(message = 'valid API credentials are required') {
    super('unauthorized', 'NBD_ERR_UNAUTHORIZED', message);
  }
}

/** Unknown, or belonging to another account: the two are indistinguishable on purpose. */
export class NotFoundError extends NumberdError {
  override name = 'NotFoundError';
  constructor(message: string, code = 'NBD_ERR_NOT_FOUND') {
    super('not_found', code, message);
  }
}

/** A request that is well-formed but refused by the current state (e.g. a forbidden transition). */
export class ConflictError extends NumberdError {
  override name = 'ConflictError';
  constructor(message: string, code = 'NBD_ERR_CONFLICT') {
    super('conflict', code, message);
  }
}

/** Every error code a wire may see, with what it means; a test checks each is mapped. */
export const ERROR_CODES = {
  NBD_ERR_INVALID_PARAMETER: 'a parameter is missing or malformed',
  NBD_ERR_NOTHING_TO_ORDER: 'an order names no number, keyword or bulk count',
  NBD_ERR_UNAUTHORIZED: 'missing or wrong API credentials',
  NBD_ERR_NOT_FOUND: 'no such resource in this account',
  NBD_ERR_NO_LABEL: 'the label does not exist, or the number does not carry it',
  NBD_ERR_CONFLICT: 'the request conflicts with the current state',
  NBD_ERR_ILLEGAL_TRANSITION: 'an order status change the state machine forbids',
} as const;
