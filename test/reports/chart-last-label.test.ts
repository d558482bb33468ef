import { describe, expect, it } from 'vitest';
import { trendChartSvg, type ChartText, type TrendPoint } from '../../src/reports/chart.js';

// The latest NPS is written big beside its dot. Its box is measured here with DejaVu Sans Bold's
// real advances (digits 0.696 em, the minus sign 0.838 em, digits 0.729 em tall) and the white
// halo it is drawn with, independently of the chart's own estimate: it must never cover its dot
// and must stay inside the plot area (clear of the axis labels on both sides and of the legend).

const TEXT: ChartText = { title: 'NPS e respostas', nps: 'NPS', replies: 'Respostas', noData: 'Ainda sem respostas' };
const SIZE = 36;
const HALO = 3;
/** The dot's radius and half its white outline. */
const DOT = 7 + 1.5;
/** The least room between the label's box and the dot. */
const CLEARANCE = 2;

function attr(element: string, name: string): number {
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1];
  if (value === undefined) throw new Error(`no ${name} in ${element}`);
  return Number(value);
}

function geometry(svg: string) {
  const label = /<text class="nps-last"[^>]*>[^<]*<\/text>/.exec(svg)?.[0];
  const value = /<text class="nps-last"[^>]*>([^<]*)<\/text>/.exec(svg)?.[1];
  const dots = [...(/<g class="nps-dots">(.*?)<\/g>/.exec(svg)?.[1] ?? '').matchAll(/<circle [^>]*\/>/g)].map((m) => m[0]);
  const axis = /<line x1="[^"]*" y1="[^"]*" x2="[^"]*" y2="[^"]*" stroke="#1a1a1a"[^>]*\/>/.exec(svg)?.[0];
  const grid = [...svg.matchAll(/<line [^>]*stroke="#e3e3e3"[^>]*\/>/g)].map((m) => attr(m[0], 'y1'));
  if (!label || value === undefined || dots.length === 0 || !axis) throw new Error('the chart has no latest value, dot or axis');
  const dot = dots.at(-1)!;
  const width = [...value].reduce((sum, char) => sum + (char === '\u2212' ? 0.838 : 0.696), 0) * SIZE + 2 * HALO;
  const x = attr(label, 'x');
  const baseline = attr(label, 'y');
  expect(/text-anchor="middle"/.test(label)).toBe(true);
  return {
    dot: { x: attr(dot, 'cx'), y: attr(dot, 'cy') },
    box: { left: x - width / 2, right: x + width / 2, top: baseline - 0.729 * SIZE - HALO, bottom: baseline + HALO },
    plot: { left: attr(axis, 'x1'), right: attr(axis, 'x2'), top: Math.min(...grid), bottom: attr(axis, 'y1') },
  };
}

/** How far the point is from the box (0 inside it). */
function distance(point: { x: number; y: number }, box: { left: number; right: number; top: number; bottom: number }): number {
  const dx = Math.max(box.left - point.x, 0, point.x - box.right);
  const dy = Math.max(box.top - point.y, 0, point.y - box.bottom);
  return Math.hypot(dx, dy);
}

function weeks(count: number, last: number, previous: number | null): TrendPoint[] {
  return Array.from({ length: count }, (_, i) => ({
    label: `${String(i + 1).padStart(2, '0')}/11`,
    nps: i === count - 1 ? last : i === count - 2 ? previous : 40,
    replies: 3 + i,
  }));
}

describe('the latest NPS label', () => {
  const cases: { count: number; last: number; previous: number | null }[] = [];
  for (const count of [1, 2, 8, 12]) {
    for (let last = -100; last <= 100; last += 5) {
      for (const previous of [null, -100, 0, 100]) cases.push({ count, last, previous });
    }
  }

  it('never covers its dot, whatever the value, the weeks and where the line comes from', () => {
    const covered = cases.filter(({ count, last, previous }) => {
      const { dot, box } = geometry(trendChartSvg(weeks(count, last, previous), TEXT));
      return distance(dot, box) < DOT + CLEARANCE;
    });
    expect(covered).toEqual([]);
  });

  it('stays inside the plot area, clear of the axis labels at both sides', () => {
    const outside = cases.filter(({ count, last, previous }) => {
      const { box, plot } = geometry(trendChartSvg(weeks(count, last, previous), TEXT));
      return box.left < plot.left || box.right > plot.right || box.top < plot.top || box.bottom > plot.bottom;
    });
    expect(outside).toEqual([]);
  });

  it('the eight weeks shown in the summary: "−100" after a fall sits above its dot, inside the plot', () => {
    const { dot, box, plot } = geometry(trendChartSvg(weeks(8, -100, 90), TEXT));
    expect(box.bottom).toBeLessThan(dot.y - DOT);
    expect(box.right).toBeLessThanOrEqual(plot.right);
  });
});
