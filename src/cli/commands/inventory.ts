import { statSync } from 'node:fs';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { INVENTORY_COLUMNS, type ImportReport, type InventoryRow } from '../../app/inventory-import.ts';
import { connectAdmin } from '../admin-client.ts';
import { adminCommand, runAdmin, type AdminOptions } from '../admin-command.ts';
import { InventoryCsvReader } from '../inventory-csv-reader.ts';

const BATCH_ROWS = 10_000;
const SHOWN_REJECTIONS = 20;

export function inventoryCommand(): Command {
  return new Command('inventory')
    .description('the number inventory')
    .addCommand(adminCommand('import', `add numbers from a CSV file with the header ${INVENTORY_COLUMNS.join(',')}; exits 3 when lines were rejected`)
      .argument('<file>', 'CSV file')
      .action((file: string, o: AdminOptions) => importFile(file, o)))
    .addCommand(adminCommand('stats', 'count regions, numbers by state and keywords')
      .action((o: AdminOptions) => runAdmin(o, (c) => c.inventoryStats(), (s) => [
        `regions: ${s.regions}`,
        ...s.numbers.map((n) => `numbers ${n.state.toLowerCase()} ${n.tollFree ? 'toll-free' : 'local'}: ${n.count}`),
        ...s.keywords.map((k) => `keywords ${k.state.toLowerCase()}: ${k.count}`),
      ].join('\n'))));
}

async function importFile(file: string, options: AdminOptions): Promise<void> {
  const size = statSync(file).size;
  // Parsing starts now, while the database opens, and stays one batch ahead of storing: with
  // two batches waiting here, this thread's heap now and then took the process to 270 MB.
  const reader = new InventoryCsvReader(file, BATCH_ROWS);
  const total: ImportReport = { added: 0, duplicates: 0, rejected: [] };
  let rows = 0;
  try {
    const client = await connectAdmin(options);
    const bar = options.json || !process.stderr.isTTY ? null : new SingleBar({ format: 'importing [{bar}] {percentage}% | {rows} rows', stream: process.stderr }, Presets.shades_classic);
    let batch: InventoryRow[] = [];
    const flush = async () => {
      const report = await client.importInventory(batch);
      total.added += report.added;
      total.duplicates += report.duplicates;
      total.rejected.push(...report.rejected);
      batch = [];
    };
    try {
      bar?.start(size, 0, { rows: 0 });
      for await (const read of reader.rows()) {
        for (const row of read.rows) batch.push(row);
        rows += read.rows.length;
        if (batch.length >= BATCH_ROWS) {
          await flush();
          bar?.update(read.bytesRead, { rows });
        }
      }
      if (batch.length > 0) await flush();
      bar?.update(size, { rows });
    } finally {
      bar?.stop();
      await client.close();
    }
  } finally {
    await reader.close();
  }
  if (options.json) {
    console.log(JSON.stringify({ rows, ...total }, null, 2));
  } else {
    console.log(`${rows} rows: ${total.added} added, ${total.duplicates} duplicates, ${total.rejected.length} rejected`);
    for (const r of total.rejected.slice(0, SHOWN_REJECTIONS)) console.log(`  line ${r.line}: ${r.reason}`);
    if (total.rejected.length > SHOWN_REJECTIONS) console.log(`  … and ${total.rejected.length - SHOWN_REJECTIONS} more (--json lists all)`);
  }
  if (total.rejected.length > 0) process.exitCode = 3;
}
