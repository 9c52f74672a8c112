import type { ImportReport, InventoryRow } from '../app/inventory-import.ts';
import type { AccountView, OrderView } from '../app/operator-service.ts';
import type { InventoryStats, LedgerMismatch } from '../app/ports.ts';
import { envToConfig } from '../config/config.ts';
import { readEnv } from '../config/env.ts';
import type { Context } from '../context.ts';

/** What the CLI asks of numberd; answered by a running server's admin API or directly from the database. */
export interface AdminClient {
  createAccount(login: string, password: string): Promise<AccountView>;
  listAccounts(): Promise<{ id: number; login: string }[]>;
  showAccount(login: string): Promise<AccountView>;
  addCredential(login: string, credential: string, password: string): Promise<AccountView>;
  revokeCredential(login: string, credential: string): Promise<AccountView>;
  addFunds(login: string, amount: string): Promise<AccountView>;
  setPolicy(login: string, policy: { tierOne?: string; tierTwo?: string; creditLimit?: string }): Promise<AccountView>;
  setPrices(login: string, prices: { local?: string; tollFree?: string; keyword?: string }): Promise<AccountView>;
  listOrders(filter: { status?: string; login?: string }): Promise<OrderView[]>;
  approve(id: number, approver: string): Promise<OrderView>;
  reject(id: number, approver: string, reason: string): Promise<OrderView>;
  cancel(id: number): Promise<OrderView>;
  ledgerCheck(): Promise<{ balanced: boolean; mismatches: LedgerMismatch[] }>;
  importInventory(rows: InventoryRow[]): Promise<ImportReport>;
  inventoryStats(): Promise<InventoryStats>;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  url?: string;
  token?: string;
}

/** A server when `--url`/NUMBERD_URL is given, otherwise the database of DATABASE_URL. */
export async function connectAdmin(options: ConnectionOptions): Promise<AdminClient> {
  const env = readEnv();
  const url = options.url ?? env.NUMBERD_URL;
  if (url) {
    const token = options.token ?? env.NUMBERD_ADMIN_TOKEN;
    if (!token) throw new Error('talking to a server needs the admin token: --token or NUMBERD_ADMIN_TOKEN');
    return httpAdmin(url.replace(/\/+$/, ''), token);
  }
  // Loaded only here: talking to a server needs none of the database code.
  const { createContext } = await import('../context.ts');
  const { importInventory } = await import('../app/inventory-import.ts');
  return localAdmin(await createContext(envToConfig(env)), importInventory);
}

function localAdmin(context: Context, importInventory: typeof import('../app/inventory-import.ts').importInventory): AdminClient {
  const { operator } = context;
  const show = (login: string) => operator.showAccount(login);
  return {
    createAccount: async (login, password) => show((await operator.createAccount(login, password)).login),
    listAccounts: async () => (await operator.listAccounts()).map((a) => ({ id: a.id, login: a.login })),
    showAccount: show,
    addCredential: async (login, credential, password) => { await operator.addCredential(login, credential, password); return show(login); },
    revokeCredential: async (login, credential) => { await operator.revokeCredential(login, credential); return show(login); },
    addFunds: (login, amount) => operator.addFunds(login, amount),
    setPolicy: (login, policy) => operator.setPolicy(login, policy),
    setPrices: (login, prices) => operator.setPrices(login, prices),
    listOrders: (filter) => operator.listOrders(filter),
    approve: (id, approver) => operator.approve(id, approver),
    reject: (id, approver, reason) => operator.reject(id, approver, reason),
    cancel: (id) => operator.cancel(id),
    ledgerCheck: async () => {
      const mismatches = await operator.ledgerCheck();
      return { balanced: mismatches.length === 0, mismatches };
    },
    importInventory: (rows) => importInventory(context.store, rows),
    inventoryStats: () => context.store.inventory.stats(),
    close: () => context.close(),
  };
}

function httpAdmin(base: string, token: string): AdminClient {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new Error(json?.message ?? `${method} ${path} answered ${response.status}`);
    return json as T;
  }
  const enc = encodeURIComponent;
  return {
    createAccount: (login, password) => call('POST', '/accounts', { login, password }),
    listAccounts: () => call('GET', '/accounts'),
    showAccount: (login) => call('GET', `/accounts/${enc(login)}`),
    addCredential: (login, credential, password) => call('POST', `/accounts/${enc(login)}/credentials`, { login: credential, password }),
    revokeCredential: (login, credential) => call('DELETE', `/accounts/${enc(login)}/credentials/${enc(credential)}`),
    addFunds: (login, amount) => call('POST', `/accounts/${enc(login)}/funds`, { amount }),
    setPolicy: (login, policy) => call('PUT', `/accounts/${enc(login)}/policy`, policy),
    setPrices: (login, prices) => call('PUT', `/accounts/${enc(login)}/prices`, prices),
    listOrders: (filter) => call('GET', `/orders?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][])}`),
    approve: (id, approver) => call('POST', `/orders/${id}/approve`, { approver }),
    reject: (id, approver, reason) => call('POST', `/orders/${id}/reject`, { approver, reason }),
    cancel: (id) => call('POST', `/orders/${id}/cancel`),
    ledgerCheck: () => call('GET', '/ledger/check'),
    importInventory: (rows) => call('POST', '/inventory', { rows }),
    inventoryStats: () => call('GET', '/inventory/stats'),
    close: async () => {},
  };
}
