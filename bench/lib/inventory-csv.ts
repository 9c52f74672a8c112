import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { INVENTORY_COLUMNS } from '../../src/app/inventory-import.ts';
import { TOLL_FREE_NPAS } from '../../src/domain/phone-number.ts';
import { generateDemoInventory } from '../../src/store/demo/demo-inventory.ts';
import { RATE_CENTERS } from '../../src/store/demo/rate-centers.ts';

export interface BenchInventory {
  rows: number;
  /** Search filters that hit real blocks of this inventory. */
  probe: { prefix: string; city: string; state: string; zipcode: string };
  /** The highest local numbers, for specific orders; bulk orders take from the lowest up, so they never meet. */
  specificNumbers: string[];
}

const BLOCKS_PER_RATE_CENTER = 5;

/**
 * Writes an inventory CSV of exactly `total` numbers: the demo generator with bigger parameters
 * (real rate centers, ZIP codes and coordinates), about 3.5% toll-free like the demo.
 */
export async function writeInventoryCsv(path: string, total: number): Promise<BenchInventory> {
  const tollFreePerNpa = Math.round((total * 0.035) / TOLL_FREE_NPAS.length);
  const localTotal = total - tollFreePerNpa * TOLL_FREE_NPAS.length;
  const numbersPerPrefix = Math.min(10_000, Math.ceil(localTotal / (RATE_CENTERS.length * BLOCKS_PER_RATE_CENTER)));
  const inventory = generateDemoInventory({ seed: 6, prefixesPerRateCenter: BLOCKS_PER_RATE_CENTER, numbersPerPrefix, tollFreePerNpa });
  const regions = new Map(inventory.regions.map((r) => [r.prefix, r]));
  const locals = inventory.numbers.filter((n) => !n.tollFree).slice(0, localTotal);
  const tollFree = inventory.numbers.filter((n) => n.tollFree);

  const out = createWriteStream(path);
  const write = async (text: string) => { if (!out.write(text)) await once(out, 'drain'); };
  await write(`${INVENTORY_COLUMNS.join(',')}\n`);
  let chunk: string[] = [];
  for (const n of locals) {
    const r = regions.get(n.prefix!)!;
    chunk.push(`${n.number},${r.city},${r.state},${r.zipcode},${r.lata},${r.rateCenter},${r.latitude},${r.longitude},${r.timeZone}`);
    if (chunk.length === 10_000) { await write(`${chunk.join('\n')}\n`); chunk = []; }
  }
  for (const n of tollFree) chunk.push(`${n.number},,,,,,,,`);
  await write(`${chunk.join('\n')}\n`);
  out.end();
  await once(out, 'finish');

  // A block in the middle of the list: neither the first rows an index meets nor the last.
  const middle = regions.get(locals[Math.floor(locals.length / 2)]!.prefix!)!;
  const specificNumbers = locals.map((n) => n.number).sort().reverse().slice(0, 100_000);
  return {
    rows: locals.length + tollFree.length,
    probe: { prefix: middle.prefix.slice(0, 4), city: middle.city, state: middle.state, zipcode: middle.zipcode },
    specificNumbers,
  };
}
