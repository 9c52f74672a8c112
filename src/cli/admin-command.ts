import { Command } from 'commander';
import { connectAdmin, type AdminClient } from './admin-client.ts';

export interface AdminOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** A subcommand that talks to numberd as an operator, with the connection and output options every such command has. */
export function adminCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .option('--url <url>', 'a running server to talk to (NUMBERD_URL); without it, DATABASE_URL is used directly')
    .option('--token <token>', 'the server\'s admin token (NUMBERD_ADMIN_TOKEN)')
    .option('--json', 'print the result as JSON');
}

/** Connects, runs `action`, prints its result as JSON or through `text`, and always disconnects; `exitCode` may flag a result. */
export async function runAdmin<T>(
  options: AdminOptions,
  action: (client: AdminClient) => Promise<T>,
  text: (result: T) => string,
  exitCode: (result: T) => number = () => 0,
): Promise<void> {
  const client = await connectAdmin(options);
  try {
    const result = await action(client);
    console.log(options.json ? JSON.stringify(result, null, 2) : text(result));
    process.exitCode = exitCode(result);
  } finally {
    await client.close();
  }
}
