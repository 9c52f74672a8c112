import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConflictError, NumberdError } from '../../src/domain/errors.ts';
import {
  ORDER_STATUSES,
  TERMINAL_STATUSES,
  assertTransition,
  canTransition,
  completionOf,
  isTerminal,
  type OrderStatus,
} from '../../src/domain/order.ts';

/** The design's allowed moves, written out independently of src/domain/order.ts. */
const ALLOWED: Record<OrderStatus, readonly OrderStatus[]> = {
  NEW: ['APPROVE_TIER_ONE', 'WAIT_FOR_PAYMENT', 'PROCESSING', 'VOID'],
  APPROVE_TIER_ONE: ['APPROVE_TIER_TWO', 'WAIT_FOR_PAYMENT', 'PROCESSING', 'REJECTED', 'VOID'],
  APPROVE_TIER_TWO: ['WAIT_FOR_PAYMENT', 'PROCESSING', 'REJECTED', 'VOID'],
  WAIT_FOR_PAYMENT: ['PROCESSING', 'VOID'],
  PROCESSING: ['FINISHED', 'ADJUSTED', 'ERRORED', 'VOID'],
  FINISHED: [],
  ADJUSTED: [],
  ERRORED: [],
  VOID: [],
  REJECTED: [],
};

const ALL_TEN: readonly OrderStatus[] = [
  'NEW', 'APPROVE_TIER_ONE', 'APPROVE_TIER_TWO', 'WAIT_FOR_PAYMENT', 'PROCESSING',
  'FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED',
];

const pairs: [OrderStatus, OrderStatus][] = ALL_TEN.flatMap((from) => ALL_TEN.map((to) => [from, to] as [OrderStatus, OrderStatus]));
const allowedPairs = pairs.filter(([from, to]) => ALLOWED[from].includes(to));
const forbiddenPairs = pairs.filter(([from, to]) => !ALLOWED[from].includes(to));

describe('order statuses', () => {
  test('the module exports exactly the ten documented statuses, each once', () => {
    assert.equal(ORDER_STATUSES.length, 10);
    assert.deepEqual([...ORDER_STATUSES].sort(), [...ALL_TEN].sort());
  });

  test('the expected table covers one hundred pairs, nineteen of them allowed', () => {
    assert.equal(pairs.length, 100);
    assert.equal(allowedPairs.length, 19);
    assert.equal(forbiddenPairs.length, 81);
  });
});

describe('canTransition against the explicit design table', () => {
  for (const [from, to] of pairs) {
    const expected = ALLOWED[from].includes(to);
    test(`canTransition(${from}, ${to}) is ${expected}`, () => {
      assert.equal(canTransition(from, to), expected);
    });
  }

  test('no status may transition to itself', () => {
    for (const status of ALL_TEN) assert.equal(canTransition(status, status), false, status);
  });

  test('nothing can return to NEW', () => {
    for (const status of ALL_TEN) assert.equal(canTransition(status, 'NEW'), false, status);
  });
});

describe('assertTransition on allowed moves', () => {
  for (const [from, to] of allowedPairs) {
    test(`assertTransition accepts ${from} -> ${to} without throwing`, () => {
      assert.doesNotThrow(() => assertTransition(1, from, to));
    });
  }
});

describe('assertTransition on forbidden moves', () => {
  for (const [from, to] of forbiddenPairs) {
    test(`assertTransition refuses ${from} -> ${to} with an illegal-transition ConflictError naming both statuses`, () => {
      assert.throws(
        () => assertTransition(42, from, to),
        (error: unknown) => {
          assert.ok(error instanceof ConflictError, 'is a ConflictError');
          assert.ok(error instanceof NumberdError, 'is a NumberdError');
          assert.equal(error.kind, 'conflict');
          assert.equal(error.code, 'NBD_ERR_ILLEGAL_TRANSITION');
          assert.match(error.message, new RegExp(`\\b${from}\\b`));
          assert.match(error.message, new RegExp(`\\b${to}\\b`));
          // The source status is named before the target one.
          assert.ok(error.message.indexOf(`from ${from}`) >= 0, error.message);
          assert.ok(error.message.indexOf(`to ${to}`) > error.message.indexOf(`from ${from}`), error.message);
          return true;
        },
      );
    });
  }

  test('the illegal-transition message names the order id', () => {
    assert.throws(() => assertTransition(9876, 'FINISHED', 'NEW'), /\b9876\b/);
  });
});

describe('isTerminal', () => {
  const terminal: readonly OrderStatus[] = ['FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED'];
  for (const status of ALL_TEN) {
    const expected = terminal.includes(status);
    test(`isTerminal(${status}) is ${expected}`, () => {
      assert.equal(isTerminal(status), expected);
    });
  }

  test('TERMINAL_STATUSES holds exactly the five terminal statuses', () => {
    assert.deepEqual([...TERMINAL_STATUSES].sort(), [...terminal].sort());
  });

  test('a status is terminal exactly when it has no allowed move', () => {
    for (const from of ALL_TEN) {
      const hasMove = ALL_TEN.some((to) => canTransition(from, to));
      assert.equal(isTerminal(from), !hasMove, from);
    }
  });
});

describe('completionOf', () => {
  test('an order with every item fulfilled is FINISHED and costs the full price', () => {
    const result = completionOf({
      LOCAL: { ordered: 2, unitCost: 150, fulfilled: ['13105551212', '13105551213'] },
      TOLL_FREE: { ordered: 1, unitCost: 300, fulfilled: ['18005551212'] },
      KEYWORD: { ordered: 1, unitCost: 550, fulfilled: ['PIZZA'] },
    });
    assert.deepEqual(result, { status: 'FINISHED', totalCost: 2 * 150 + 300 + 550 });
  });

  test('an order with part of its items fulfilled is ADJUSTED and costs only the fulfilled items', () => {
    const result = completionOf({
      LOCAL: { ordered: 3, unitCost: 150, fulfilled: ['13105551212'] },
    });
    assert.deepEqual(result, { status: 'ADJUSTED', totalCost: 150 });
  });

  test('an order with nothing fulfilled is ERRORED and costs nothing', () => {
    const result = completionOf({
      LOCAL: { ordered: 2, unitCost: 150, fulfilled: [] },
      TOLL_FREE: { ordered: 4, unitCost: 300, fulfilled: [] },
    });
    assert.deepEqual(result, { status: 'ERRORED', totalCost: 0 });
  });

  test('mixed lines where one line is complete and another is empty are ADJUSTED', () => {
    const result = completionOf({
      LOCAL: { ordered: 2, unitCost: 150, fulfilled: ['13105551212', '13105551213'] },
      TOLL_FREE: { ordered: 1, unitCost: 300, fulfilled: [] },
      KEYWORD: { ordered: 2, unitCost: 550, fulfilled: ['PIZZA'] },
    });
    assert.deepEqual(result, { status: 'ADJUSTED', totalCost: 2 * 150 + 550 });
  });

  test('each line is priced at its own unit cost, not a shared one', () => {
    const result = completionOf({
      LOCAL: { ordered: 1, unitCost: 101, fulfilled: ['13105551212'] },
      TOLL_FREE: { ordered: 1, unitCost: 203, fulfilled: ['18005551212'] },
    });
    assert.deepEqual(result, { status: 'FINISHED', totalCost: 304 });
  });

  test('an order with no lines at all is ERRORED with zero cost', () => {
    assert.deepEqual(completionOf({}), { status: 'ERRORED', totalCost: 0 });
  });

  test('total cost is always an integer number of cents', () => {
    for (let ordered = 1; ordered <= 7; ordered++) {
      for (let got = 0; got <= ordered; got++) {
        const result = completionOf({
          LOCAL: { ordered, unitCost: 199, fulfilled: Array.from({ length: got }, (_, i) => `1310555${String(1000 + i)}`) },
          KEYWORD: { ordered: 1, unitCost: 550, fulfilled: ['SALE'] },
        });
        assert.ok(Number.isInteger(result.totalCost), `${result.totalCost} is an integer`);
        assert.equal(result.totalCost, got * 199 + 550);
        assert.equal(result.status, got === ordered ? 'FINISHED' : 'ADJUSTED');
      }
    }
  });
});
