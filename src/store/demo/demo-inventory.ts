import { TOLL_FREE_NPAS } from '../../domain/phone-number.ts';
import type { NewInventoryNumber } from '../../app/ports.ts';
import type { Region } from '../../domain/inventory.ts';
import { RATE_CENTERS } from './rate-centers.ts';

export interface DemoInventoryOptions {
  seed: number;
  /** NPA-NXX blocks generated in each rate center. */
  prefixesPerRateCenter: number;
  /** Available numbers generated in each block. */
  numbersPerPrefix: number;
  tollFreePerNpa: number;
}

export const DEMO_INVENTORY: DemoInventoryOptions = {
  seed: 20141217,
  prefixesPerRateCenter: 3,
  numbersPerPrefix: 80,
  tollFreePerNpa: 1000,
};


/** A small deterministic PRNG, so every fresh database gets the same demo inventory. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** NXX codes a carrier could assign: first digit 2-9, not N11, not 555 (directory and fiction). */
function isAssignableNxx(nxx: string): boolean {
  return /^[2-9]\d\d$/.test(nxx) && nxx.slice(1) !== '11' && nxx !== '555';
}

/**
 * Regions (one per NPA-NXX block, homed in a real rate center, with one of its ZIP codes and
 * coordinates near the city centre) and the numbers available in them, plus toll-free numbers.
 */
export function generateDemoInventory(options: DemoInventoryOptions): { regions: Required<Region>[]; numbers: NewInventoryNumber[] } {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const usedBlocks = new Set<string>();
  const regions: Required<Region>[] = [];
  const numbers: NewInventoryNumber[] = [];

  const distinctLines = (count: number): string[] => {
    const lines = new Set<string>();
    while (lines.size < Math.min(count, 10_000)) lines.add(String(Math.floor(random() * 10_000)).padStart(4, '0'));
    return [...lines].sort();
  };

  for (const center of RATE_CENTERS) {
    for (let i = 0; i < options.prefixesPerRateCenter; i++) {
      const npa = center.npas[i % center.npas.length]!;
      let nxx: string;
      do nxx = String(200 + Math.floor(random() * 800)); while (!isAssignableNxx(nxx) || usedBlocks.has(npa + nxx));
      usedBlocks.add(npa + nxx);
      const prefix = `1${npa}${nxx}`;
      const jitter = () => Math.round((random() - 0.5) * 0.1 * 10_000) / 10_000;
      regions.push({
        prefix,
        city: center.city,
        state: center.state,
        zipcode: pick(center.zipcodes),
        country: 'US',
        lata: center.lata,
        rateCenter: center.rateCenter,
        latitude: Math.round((center.latitude + jitter()) * 10_000) / 10_000,
        longitude: Math.round((center.longitude + jitter()) * 10_000) / 10_000,
        timeZone: center.timeZone,
      });
      for (const line of distinctLines(options.numbersPerPrefix)) {
        numbers.push({ number: prefix + line, tollFree: false, prefix });
      }
    }
  }

  for (const npa of TOLL_FREE_NPAS) {
    const seen = new Set<string>();
    while (seen.size < options.tollFreePerNpa) {
      let nxx: string;
      do nxx = String(200 + Math.floor(random() * 800)); while (!isAssignableNxx(nxx));
      seen.add(`1${npa}${nxx}${String(Math.floor(random() * 10_000)).padStart(4, '0')}`);
    }
    for (const number of [...seen].sort()) numbers.push({ number, tollFree: true, prefix: null });
  }
  return { regions, numbers };
}
