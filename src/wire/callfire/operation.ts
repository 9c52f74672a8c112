import type { AccountService } from '../../app/account-service.ts';
import type { LabelService } from '../../app/label-service.ts';
import type { NumberService } from '../../app/number-service.ts';
import type { OrderService } from '../../app/order-service.ts';
import type { Entity, Tree } from './tree.ts';
import type { ParamBag } from './params.ts';

/** The services every protocol adapter calls. */
export interface Services {
  accounts: AccountService;
  numbers: NumberService;
  orders: OrderService;
  labels: LabelService;
}

/** A protocol-neutral result; REST and SOAP each give it their own envelope. */
export type OperationResult =
  | { kind: 'entity'; entity: Entity }
  | { kind: 'list'; total: number; name: string; items: Tree[] }
  | { kind: 'created'; id: number }
  | { kind: 'none' };

/**
 * One CallFire 1.1 operation: how its input is read from normalised parameters, and which
 * use case it calls. Both wires dispatch to these, so no rule is written twice.
 */
export interface Operation {
  name: string;
  run(services: Services, accountId: number, params: ParamBag): Promise<OperationResult>;
}

export function list(name: string, total: number, items: Tree[]): OperationResult {
  return { kind: 'list', total, name, items };
}

export const NONE: OperationResult = { kind: 'none' };
