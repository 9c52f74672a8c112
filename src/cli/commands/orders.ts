import { Command } from 'commander';
import { adminCommand, runAdmin, type AdminOptions } from '../admin-command.ts';
import { orderId, orderText, ordersText } from '../format.ts';

export function ordersCommand(): Command {
  return new Command('orders')
    .description('list orders, approve, reject or cancel them')
    .addCommand(adminCommand('list', 'list recent orders')
      .option('--status <status>', 'only orders in this status, e.g. APPROVE_TIER_ONE')
      .option('--login <login>', 'only this account\'s orders')
      .action((o: AdminOptions & { status?: string; login?: string }) =>
        runAdmin(o, (c) => c.listOrders({ status: o.status, login: o.login }), ordersText)))
    .addCommand(adminCommand('approve', 'approve an order at the tier it waits at')
      .argument('<id>', 'order id')
      .requiredOption('--approver <name>', 'who approves (tier two needs someone else than tier one)')
      .action((id: string, o: AdminOptions & { approver: string }) => runAdmin(o, (c) => c.approve(orderId(id), o.approver), orderText)))
    .addCommand(adminCommand('reject', 'reject an order waiting for approval')
      .argument('<id>', 'order id')
      .requiredOption('--approver <name>', 'who rejects')
      .requiredOption('--reason <text>', 'why')
      .action((id: string, o: AdminOptions & { approver: string; reason: string }) =>
        runAdmin(o, (c) => c.reject(orderId(id), o.approver, o.reason), orderText)))
    .addCommand(adminCommand('cancel', 'void a live order; reservations and held funds are released')
      .argument('<id>', 'order id')
      .action((id: string, o: AdminOptions) => runAdmin(o, (c) => c.cancel(orderId(id)), orderText)));
}
