import { percentile } from './percentiles.ts';

// A hand-written SVG: one chart of a few polylines needs no plotting library (and no native
// canvas build), and the text diffs readably in git.

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { left: 60, right: 190, top: 30, bottom: 50 };
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/** Latency distributions as percentile curves: x = percentile (0-99.9), y = latency on a log scale. */
export function latencyChartSvg(title: string, series: Record<string, readonly number[]>): string {
  const entries = Object.entries(series).filter(([, samples]) => samples.length > 0);
  const ranks = [...Array.from({ length: 99 }, (_, i) => i + 1), 99.5, 99.9];
  const curves = entries.map(([name, samples]) => ({ name, points: ranks.map((p) => [p, Math.max(0.01, percentile(samples, p))] as const) }));
  const all = curves.flatMap((c) => c.points.map(([, v]) => v));
  const low = 10 ** Math.floor(Math.log10(Math.min(...all)));
  // At least one decade: samples all on one power of ten would otherwise give the scale no height.
  const high = Math.max(10 ** Math.ceil(Math.log10(Math.max(...all))), low * 10);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (p: number) => MARGIN.left + (p / 100) * plotW;
  const y = (v: number) => MARGIN.top + plotH - ((Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="14">${escape(title)}</text>`,
  ];
  for (let decade = low; decade <= high; decade *= 10) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(decade)}" y2="${y(decade)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(decade) + 4}" text-anchor="end">${decade} ms</text>`);
  }
  for (const p of [0, 25, 50, 75, 90, 99, 100]) {
    parts.push(`<line x1="${x(p)}" x2="${x(p)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${x(p)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">p${p}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">percentile</text>`);
  curves.forEach((curve, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const d = curve.points.map(([p, v]) => `${x(p).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${d}"/>`,
      `<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 32}" y1="${MARGIN.top + 10 + i * 18}" y2="${MARGIN.top + 10 + i * 18}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${WIDTH - MARGIN.right + 38}" y="${MARGIN.top + 14 + i * 18}">${escape(curve.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
