import type { AccountView, OrderView } from '../app/operator-service.ts';

export function accountText(account: AccountView): string {
  const policy = account.policy;
  const lines = [
    `account ${account.login} (id ${account.id})`,
    `  balance ${account.balance}, held ${account.held}, available ${account.available}`,
    `  policy: tier one ${policy.tierOne ?? 'none'}, tier two ${policy.tierTwo ?? 'none'}, credit limit ${policy.creditLimit ?? 'unlimited'}`,
    `  prices: local ${account.prices.local}, toll-free ${account.prices.tollFree}, keyword ${account.prices.keyword}`,
    `  credentials: ${account.credentials.join(', ') || 'none'}`,
    `  numbers: ${account.numbers.length}, keywords: ${account.keywords.length}`,
  ];
  for (const n of account.numbers) lines.push(`    ${n.number} ${n.status} until ${n.leaseEnd}${n.autoRenew ? ', renews' : ''}`);
  for (const k of account.keywords) lines.push(`    ${k.keyword} ${k.status} until ${k.leaseEnd}${k.autoRenew ? ', renews' : ''}`);
  return lines.join('\n');
}

export function orderText(order: OrderView): string {
  const approvers = [order.tierOneApprover, order.tierTwoApprover].filter(Boolean).join(', ');
  return `order ${order.id} ${order.status} account ${order.account} estimate ${order.estimate} total ${order.totalCost}` +
    (approvers ? ` approved by ${approvers}` : '') + (order.paymentDueAt ? ` payment due ${order.paymentDueAt}` : '');
}

export function ordersText(orders: OrderView[]): string {
  return orders.length === 0 ? 'no orders' : orders.map(orderText).join('\n');
}

/** An order id argument: digits only. */
export function orderId(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new Error(`order id must be a number, got "${text}"`);
  return Number(text);
}
