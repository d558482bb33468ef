import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, renderSvgToPng, renderTrendChart, trendChartSvg, type ChartText, type TrendPoint } from '../../src/reports/chart.js';

const TEXT: ChartText = { title: 'Últimas 8 semanas', nps: 'NPS', replies: 'Respostas', noData: 'Ainda sem respostas' };

const EIGHT_WEEKS: TrendPoint[] = [
  { label: '29/09', nps: 20, replies: 12 },
  { label: '06/10', nps: 35, replies: 18 },
  { label: '13/10', nps: null, replies: 0 },
  { label: '20/10', nps: 50, replies: 25 },
  { label: '27/10', nps: 42, replies: 21 },
  { label: '03/11', nps: 61, replies: 30 },
  { label: '10/11', nps: 55, replies: 27 },
  { label: '17/11', nps: 70, replies: 34 },
];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function expectChartPng(png: Buffer): Promise<void> {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  const meta = await sharp(png).metadata();
  expect(meta).toMatchObject({ format: 'png', width: CHART_WIDTH, height: CHART_HEIGHT });
}

/** The "M" (move-to) commands of the NPS line: one per unbroken run of weeks. */
function lineRuns(svg: string): number {
  const d = /<path class="nps-line" d="([^"]*)"/.exec(svg)?.[1];
  return d === undefined ? 0 : (d.match(/M/g) ?? []).length;
}

function dotCount(svg: string): number {
  const dots = /<g class="nps-dots">(.*?)<\/g>/.exec(svg)?.[1] ?? '';
  return (dots.match(/<circle /g) ?? []).length;
}

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
}

describe('renderTrendChart', () => {
  it('renders a PNG of the chart size', async () => {
    await expectChartPng(await renderTrendChart(EIGHT_WEEKS, TEXT));
  });

  it('renders empty data as a PNG of the same size', async () => {
    await expectChartPng(await renderTrendChart([], TEXT));
  });

  it('renders hostile caller text instead of failing on it', async () => {
    const hostile = { ...TEXT, title: 'A & B <b>"x"</b>\u0001', noData: '</text><script>' };
    await expectChartPng(await renderTrendChart([{ label: '<1&2>\u0000\uD800', nps: 10, replies: 3 }], hostile));
  });

  it.each([
    ['a single week', 1],
    ['twelve weeks', 12],
  ])('renders %s', async (_case, weeks) => {
    const points = Array.from({ length: weeks }, (_, i) => ({ label: `${String(i + 1).padStart(2, '0')}/11`, nps: -100 + i * 18, replies: i * 3 }));
    await expectChartPng(await renderTrendChart(points, TEXT));
  });
});

describe('renderSvgToPng', () => {
  it('draws any SVG at its own size', async () => {
    const png = await renderSvgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#0a0"/></svg>');
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 30, height: 20 });
  });

  it("fails with the renderer's reason when the SVG cannot be drawn", async () => {
    await expect(renderSvgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="30"')).rejects.toThrow(/^the chart renderer failed: \S/);
  });

  it('renders charts side by side, each its own', async () => {
    const [one, two] = await Promise.all([renderSvgToPng(trendChartSvg(EIGHT_WEEKS, TEXT)), renderSvgToPng(trendChartSvg([], TEXT))]);
    expect(one.equals(two)).toBe(false);
    await expectChartPng(one);
    await expectChartPng(two);
  });
});

describe('trendChartSvg', () => {
  it('shows the title, the legend, every week label and the latest NPS', () => {
    const svg = trendChartSvg(EIGHT_WEEKS, TEXT);
    const shown = texts(svg);
    expect(shown).toEqual(expect.arrayContaining(['Últimas 8 semanas', 'NPS', 'Respostas', ...EIGHT_WEEKS.map((p) => p.label)]));
    expect(/<text class="nps-last"[^>]*>([^<]*)<\/text>/.exec(svg)?.[1]).toBe('70');
    expect(svg).not.toContain('Ainda sem respostas');
  });

  it('labels the latest week that has an NPS when the last week has none', () => {
    const svg = trendChartSvg([...EIGHT_WEEKS, { label: '24/11', nps: null, replies: 2 }], TEXT);
    expect(/<text class="nps-last"[^>]*>([^<]*)<\/text>/.exec(svg)?.[1]).toBe('70');
  });

  it('writes a negative NPS with a minus sign, rounded', () => {
    const svg = trendChartSvg([{ label: 'a', nps: -33.333, replies: 3 }], TEXT);
    expect(/<text class="nps-last"[^>]*>([^<]*)<\/text>/.exec(svg)?.[1]).toBe('\u221233');
  });

  it('labels the replies axis from 0 to a round top above the busiest week', () => {
    const svg = trendChartSvg(EIGHT_WEEKS, TEXT);
    // 34 replies at most: the axis reads 0, 20, 40.
    expect(texts(svg)).toEqual(expect.arrayContaining(['0', '20', '40']));
    expect(svg).toContain('class="zero-line"');
  });

  it('escapes caller text', () => {
    const svg = trendChartSvg([{ label: '<b>&"x"', nps: 10, replies: 1 }], {
      title: 'Tom & Jerry "<3"',
      nps: "N'PS",
      replies: '<script>',
      noData: 'x',
    });
    expect(svg).toContain('&lt;b&gt;&amp;&quot;x&quot;');
    expect(svg).toContain('Tom &amp; Jerry &quot;&lt;3&quot;');
    expect(svg).toContain('N&apos;PS');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<script>');
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it('breaks the line at a week without NPS and draws no dot there', () => {
    const svg = trendChartSvg(EIGHT_WEEKS, TEXT);
    expect(lineRuns(svg)).toBe(2);
    expect(dotCount(svg)).toBe(7);

    const unbroken = trendChartSvg(EIGHT_WEEKS.map((p) => ({ ...p, nps: p.nps ?? 40 })), TEXT);
    expect(lineRuns(unbroken)).toBe(1);
    expect(dotCount(unbroken)).toBe(8);
  });

  it('draws a week between two empty weeks as a dot without a line', () => {
    const svg = trendChartSvg(
      [
        { label: 'a', nps: null, replies: 0 },
        { label: 'b', nps: 30, replies: 4 },
        { label: 'c', nps: null, replies: 1 },
      ],
      TEXT,
    );
    expect(lineRuns(svg)).toBe(0);
    expect(dotCount(svg)).toBe(1);
  });

  it.each([
    ['no weeks', [] as TrendPoint[]],
    ['weeks without answers or replies', EIGHT_WEEKS.map((p) => ({ ...p, nps: null, replies: 0 }))],
  ])('shows the no-data text for %s', (_case, points) => {
    const svg = trendChartSvg(points, TEXT);
    expect(/<text class="no-data"[^>]*>([^<]*)<\/text>/.exec(svg)?.[1]).toBe('Ainda sem respostas');
    expect(texts(svg)).toContain('Últimas 8 semanas');
    expect(svg).not.toContain('nps-line');
    expect(svg).not.toContain('nps-last');
  });

  it('writes coordinates with at most one decimal', () => {
    const svg = trendChartSvg(
      Array.from({ length: 7 }, (_, i) => ({ label: String(i), nps: (i * 100) / 7 - 33.3333, replies: i * 7 + 1 })),
      TEXT,
    );
    const numbers = [...svg.matchAll(/="(-?\d+(?:\.\d+)?)"/g)].map((m) => m[1] ?? '');
    const pathNumbers = [...svg.matchAll(/ d="([^"]*)"/g)].flatMap((m) => (m[1] ?? '').match(/-?\d+(?:\.\d+)?/g) ?? []);
    expect(numbers.length).toBeGreaterThan(20);
    for (const n of [...numbers, ...pathNumbers]) expect(n).toMatch(/^-?\d+(\.\d)?$/);
  });

  it('labels every other week when twelve labels would not fit side by side, always the latest', () => {
    const points = Array.from({ length: 12 }, (_, i) => ({ label: `${String(i + 10)}/11`, nps: 50, replies: 5 }));
    const weekLabels = /<g class="week-labels">(.*?)<\/g>/.exec(trendChartSvg(points, TEXT))?.[1] ?? '';
    const shown = texts(weekLabels);
    expect(shown.length).toBeLessThan(12);
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.at(-1)).toBe('21/11');
  });
});
