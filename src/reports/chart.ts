/**
 * The small chart sent with the owner's weekly WhatsApp summary: NPS as a line
 * over the replies as bars, for the last weeks. It is read on a phone, often
 * at a glance in the chat list preview, so everything is big and high-contrast
 * and the latest NPS stands out. The SVG is built as a string (pure, testable)
 * and only the last step needs sharp, which runs in a short-lived child process
 * (renderSvgToPng, below).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export interface TrendPoint {
  /** Short label for the week, e.g. "17/11" (the Monday's day/month), already localized by the caller. */
  label: string;
  /** NPS of that week, -100..100, or null when nobody answered. */
  nps: number | null;
  /** How many customers replied that week (>= 0 integer). */
  replies: number;
}

export interface ChartText {
  title: string;
  nps: string;
  replies: string;
  noData: string;
}

// 16:10 fills the width of a phone chat bubble without needing a tap to read.
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 500;

const FONT_FAMILY = 'DejaVu Sans, Arial, sans-serif';
const INK = '#1a1a1a';
const MUTED = '#555555';
const GRID = '#e3e3e3';
const ZERO_LINE = '#8c8c8c';
const NPS_COLOUR = '#1554a8';
// Blue against amber stays distinguishable for the common colour blindnesses.
const BAR_COLOUR = '#f5cf99';
const BAR_TEXT = '#8a4f00';

const TITLE_SIZE = 30;
const TEXT_SIZE = 22;
const LAST_VALUE_SIZE = 36;

const PLOT = { left: 84, right: 716, top: 118, bottom: 416 } as const;
const WEEK_LABEL_Y = 450;
const DOT_RADIUS = 7;

/** The trend as an SVG document (a pure function, testable without sharp). */
export function trendChartSvg(points: TrendPoint[], text: ChartText): string {
  const clean = points.map(sanitize);
  const hasData = clean.some((p) => p.nps !== null || p.replies > 0);
  const body = hasData ? dataBody(clean, text) : emptyBody(clean, text);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${FONT_FAMILY}">`,
    // WhatsApp shows transparent pixels as black in dark mode; the background is painted.
    `<rect x="0" y="0" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`,
    titleText(text.title),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The same rendered to PNG (with sharp, in a child process: renderSvgToPng). */
export async function renderTrendChart(points: TrendPoint[], text: ChartText): Promise<Buffer> {
  return renderSvgToPng(trendChartSvg(points, text));
}

/** sharp's entry point, resolved here so that the child loads the very copy this package installed. */
const SHARP = createRequire(import.meta.url).resolve('sharp');
/** A chart takes about 0.2 s; a renderer that has not answered in 30 s is stuck and is killed. */
const RENDER_TIMEOUT_MS = 30_000;
/**
 * The child's program (CommonJS, given to `node -e`): the SVG on stdin, the PNG on stdout,
 * a failure's message on stderr with exit code 1. At the default 72 DPI one SVG unit is one
 * pixel, so the PNG has exactly the chart's size and librsvg draws the text as vectors at
 * that size: no blur. flatten: no transparent pixel, which WhatsApp's dark mode shows black.
 */
const RENDERER = `
const sharp = require(process.argv[1]);
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  sharp(Buffer.concat(chunks)).flatten({ background: '#ffffff' }).png().toBuffer().then(
    (png) => process.stdout.write(png),
    (error) => { process.stderr.write(String(error && error.message ? error.message : error)); process.exitCode = 1; },
  );
});
`;

/**
 * Renders an SVG document to PNG in a short-lived child process. The service runs for months
 * and draws one chart a week: in-process, sharp (libvips, librsvg, fontconfig) grew the
 * service's memory by 30-40 MB over its first few dozen charts and kept creeping after that
 * (glibc's per-thread arenas; docs/performance.md, "Soak"). A child gives all of it back when
 * it exits, costs about 0.2 s once a week, and a renderer that crashes or hangs takes no
 * sending down with it: it is an error here, like any other failure to draw.
 */
export function renderSvgToPng(svg: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', RENDERER, SHARP], { stdio: ['pipe', 'pipe', 'pipe'], timeout: RENDER_TIMEOUT_MS });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    // A child that died before reading everything closes stdin under us: 'close' below reports it.
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const png = Buffer.concat(out);
      if (code === 0 && png.length > 0) return resolve(png);
      const reason = Buffer.concat(err).toString('utf8').trim().split('\n')[0] || (signal ? `killed by ${signal}` : `exit code ${String(code)}`);
      reject(new Error(`the chart renderer failed: ${reason}`));
    });
    child.stdin.end(svg, 'utf8');
  });
}

interface CleanPoint {
  label: string;
  nps: number | null;
  replies: number;
}

/** Out-of-range input bends the chart, not the program: values are clamped, not trusted. */
function sanitize(point: TrendPoint): CleanPoint {
  const nps = point.nps !== null && Number.isFinite(point.nps) ? Math.min(100, Math.max(-100, point.nps)) : null;
  const replies = Number.isFinite(point.replies) ? Math.max(0, Math.round(point.replies)) : 0;
  return { label: point.label, nps, replies };
}

function dataBody(points: CleanPoint[], text: ChartText): string[] {
  const slot = (PLOT.right - PLOT.left) / points.length;
  const xOf = (i: number): number => PLOT.left + slot * (i + 0.5);
  const yOfNps = (nps: number): number => PLOT.bottom - ((nps + 100) / 200) * (PLOT.bottom - PLOT.top);
  const repliesTop = repliesScaleTop(Math.max(...points.map((p) => p.replies)));
  const yOfReplies = (replies: number): number => PLOT.bottom - (replies / repliesTop) * (PLOT.bottom - PLOT.top);

  const out: string[] = [legend(text)];

  // Grid at every NPS quarter; the three labelled lines are also the replies' 0, half and top.
  for (const nps of [-100, -50, 50, 100]) {
    out.push(`<line x1="${PLOT.left}" y1="${num(yOfNps(nps))}" x2="${PLOT.right}" y2="${num(yOfNps(nps))}" stroke="${GRID}" stroke-width="2"/>`);
  }

  const barWidth = Math.min(slot * 0.62, 70);
  const bars = points.flatMap((p, i) => {
    if (p.replies === 0) return [];
    const y = yOfReplies(p.replies);
    return [`<rect x="${num(xOf(i) - barWidth / 2)}" y="${num(y)}" width="${num(barWidth)}" height="${num(PLOT.bottom - y)}" fill="${BAR_COLOUR}"/>`];
  });
  out.push(`<g class="replies-bars">${bars.join('')}</g>`);

  // Drawn over the bars so the line that matters most is never hidden.
  out.push(
    `<line class="zero-line" x1="${PLOT.left}" y1="${num(yOfNps(0))}" x2="${PLOT.right}" y2="${num(yOfNps(0))}" stroke="${ZERO_LINE}" stroke-width="2" stroke-dasharray="8 6"/>`,
  );
  out.push(`<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="${INK}" stroke-width="2"/>`);

  for (const nps of [-100, 0, 100]) {
    out.push(textEl(PLOT.left - 12, yOfNps(nps) + 8, formatSigned(nps), { size: TEXT_SIZE, fill: NPS_COLOUR, anchor: 'end', bold: true }));
  }
  for (const replies of [0, repliesTop / 2, repliesTop]) {
    out.push(textEl(PLOT.right + 12, yOfReplies(replies) + 8, String(replies), { size: TEXT_SIZE, fill: BAR_TEXT, anchor: 'start', bold: true }));
  }

  out.push(...npsLine(points, xOf, yOfNps));
  out.push(...weekLabels(points, slot, xOf));
  return out;
}

/**
 * A week nobody answered has no NPS: the line stops there instead of drawing
 * a trend through a week that has none, and a lone week is only its dot.
 */
function npsLine(points: CleanPoint[], xOf: (i: number) => number, yOfNps: (nps: number) => number): string[] {
  const runs: { x: number; y: number }[][] = [];
  let run: { x: number; y: number }[] = [];
  points.forEach((p, i) => {
    if (p.nps === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else {
      run.push({ x: xOf(i), y: yOfNps(p.nps) });
    }
  });
  if (run.length > 0) runs.push(run);

  const out: string[] = [];
  const d = runs
    .filter((r) => r.length > 1)
    .map((r) => r.map((pt, k) => `${k === 0 ? 'M' : 'L'}${num(pt.x)} ${num(pt.y)}`).join(' '))
    .join(' ');
  if (d !== '') {
    out.push(`<path class="nps-line" d="${d}" fill="none" stroke="${NPS_COLOUR}" stroke-width="5" stroke-linejoin="round" stroke-linecap="round"/>`);
  }
  const dots = runs
    .flat()
    .map((pt) => `<circle cx="${num(pt.x)}" cy="${num(pt.y)}" r="${DOT_RADIUS}" fill="${NPS_COLOUR}" stroke="#ffffff" stroke-width="3"/>`);
  out.push(`<g class="nps-dots">${dots.join('')}</g>`);

  const lastIndex = points.findLastIndex((p) => p.nps !== null);
  const last = points[lastIndex];
  if (last?.nps !== null && last !== undefined) {
    out.push(lastValueLabel(points, lastIndex, last.nps, xOf, yOfNps));
  }
  return out;
}

/** How far the last value's label keeps from its dot, and the white outline (halo) it is drawn with. */
const LABEL_GAP = 8;
const HALO = 3;
/** DejaVu Sans's digits stand 0.73 em above the baseline and have no descender. */
const DIGIT_HEIGHT = 0.73;

/**
 * Where the latest NPS is written: above its dot, or below it when the line
 * arrives from above (it would cross the number) or there is no room above;
 * always wholly inside the plot area (never over the axis labels or the legend)
 * and never over the dot itself.
 */
function lastValuePlace(dot: { x: number; y: number }, value: string, lineFromAbove: boolean): { x: number; baseline: number } {
  // Two units more than the estimate: it is rounded, and the halo rounds its corners past the glyphs.
  const halfWidth = textWidth(value, LAST_VALUE_SIZE, true) / 2 + HALO + 2;
  const height = DIGIT_HEIGHT * LAST_VALUE_SIZE;
  // Centred on the dot, moved left or right only as far as the plot's edges need.
  const x = Math.min(Math.max(dot.x, PLOT.left + halfWidth), PLOT.right - halfWidth);
  const aboveBaseline = dot.y - DOT_RADIUS - LABEL_GAP - HALO;
  const belowBaseline = dot.y + DOT_RADIUS + LABEL_GAP + HALO + height;
  const roomAbove = aboveBaseline - height - HALO >= PLOT.top;
  const roomBelow = belowBaseline + HALO <= PLOT.bottom;
  const baseline = (lineFromAbove && roomBelow) || !roomAbove ? belowBaseline : aboveBaseline;
  return { x, baseline };
}

function lastValueLabel(
  points: CleanPoint[],
  index: number,
  nps: number,
  xOf: (i: number) => number,
  yOfNps: (nps: number) => number,
): string {
  const previous = points[index - 1]?.nps ?? null;
  const value = formatSigned(Math.round(nps));
  const place = lastValuePlace({ x: xOf(index), y: yOfNps(nps) }, value, previous !== null && previous > nps);
  return textEl(place.x, place.baseline, value, {
    size: LAST_VALUE_SIZE,
    fill: NPS_COLOUR,
    anchor: 'middle',
    bold: true,
    halo: true,
    cls: 'nps-last',
  });
}

function emptyBody(points: CleanPoint[], text: ChartText): string[] {
  const slot = points.length > 0 ? (PLOT.right - PLOT.left) / points.length : 0;
  const xOf = (i: number): number => PLOT.left + slot * (i + 0.5);
  return [
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="#fafafa" stroke="${ZERO_LINE}" stroke-width="2" rx="10"/>`,
    textEl((PLOT.left + PLOT.right) / 2, (PLOT.top + PLOT.bottom) / 2 + 10, fitText(text.noData, 26, PLOT.right - PLOT.left - 40), {
      size: 26,
      fill: MUTED,
      anchor: 'middle',
      cls: 'no-data',
    }),
    ...weekLabels(points, slot, xOf),
  ];
}

function titleText(title: string): string {
  const max = CHART_WIDTH - 48;
  let size = TITLE_SIZE;
  while (size > TEXT_SIZE && textWidth(title, size, true) > max) size -= 1;
  return textEl(24, 46, fitText(title, size, max, true), { size, fill: INK, anchor: 'start', bold: true, cls: 'title' });
}

function legend(text: ChartText): string {
  const y = 90;
  const x0 = 24;
  const npsLabelX = x0 + 52;
  const barX = npsLabelX + textWidth(text.nps, TEXT_SIZE, false) + 36;
  const repliesLabelX = barX + 34;
  return [
    `<g class="legend">`,
    `<line x1="${x0}" y1="${y - 8}" x2="${x0 + 40}" y2="${y - 8}" stroke="${NPS_COLOUR}" stroke-width="5" stroke-linecap="round"/>`,
    `<circle cx="${x0 + 20}" cy="${y - 8}" r="${DOT_RADIUS}" fill="${NPS_COLOUR}" stroke="#ffffff" stroke-width="3"/>`,
    textEl(npsLabelX, y, text.nps, { size: TEXT_SIZE, fill: INK, anchor: 'start' }),
    `<rect x="${num(barX)}" y="${y - 22}" width="24" height="26" fill="${BAR_COLOUR}"/>`,
    textEl(repliesLabelX, y, text.replies, { size: TEXT_SIZE, fill: INK, anchor: 'start' }),
    `</g>`,
  ].join('');
}

/**
 * With many weeks "17/11" no longer fits its slot; rather than shrink the text
 * below phone size, every other (or third) week is labelled, always the latest.
 */
function weekLabels(points: CleanPoint[], slot: number, xOf: (i: number) => number): string[] {
  if (points.length === 0) return [];
  const widest = Math.max(...points.map((p) => textWidth(p.label, TEXT_SIZE, false)));
  const step = Math.max(1, Math.ceil((widest + 10) / slot));
  const last = points.length - 1;
  const labels = points.flatMap((p, i) =>
    (last - i) % step === 0 ? [textEl(xOf(i), WEEK_LABEL_Y, fitText(p.label, TEXT_SIZE, slot * step - 12), { size: TEXT_SIZE, fill: INK, anchor: 'middle' })] : [],
  );
  return [`<g class="week-labels">${labels.join('')}</g>`];
}

/** Picks a top for the replies axis whose half is a whole number, so all three ticks read cleanly. */
function repliesScaleTop(max: number): number {
  const half = Math.max(1, max / 2);
  const magnitude = 10 ** Math.floor(Math.log10(half));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * magnitude).find((s) => s >= half && Number.isInteger(s)) ?? 10 * magnitude;
  return step * 2;
}

interface TextStyle {
  size: number;
  fill: string;
  anchor: 'start' | 'middle' | 'end';
  bold?: boolean;
  halo?: boolean;
  cls?: string;
}

function textEl(x: number, y: number, content: string, style: TextStyle): string {
  const attrs = [
    style.cls === undefined ? '' : ` class="${style.cls}"`,
    ` x="${num(x)}" y="${num(y)}" font-size="${style.size}" fill="${style.fill}" text-anchor="${style.anchor}"`,
    style.bold === true ? ' font-weight="bold"' : '',
    // A white outline keeps the number readable where the line or a bar passes behind it.
    style.halo === true ? ` stroke="#ffffff" stroke-width="${HALO * 2}" stroke-linejoin="round" paint-order="stroke"` : '',
  ].join('');
  return `<text${attrs}>${escapeXml(content)}</text>`;
}

/**
 * Roughly DejaVu Sans's advances (digits 0.64 em, "/" and "i" about 0.35 em,
 * capitals wider, bold about 8% wider). An estimate is enough: it only decides
 * when to shrink, thin out or cut text, and errs on the wide side.
 */
function textWidth(content: string, size: number, bold: boolean): number {
  let ems = 0;
  for (const char of content) {
    if (/[0-9]/.test(char)) ems += 0.64;
    else if (char === '\u2212') ems += 0.78;
    else if (/[\s/.,:;'|!ilIjtf()[\]-]/.test(char)) ems += 0.36;
    else if (/[mwMW]/.test(char)) ems += 0.98;
    else if (/[A-Z\u00C0-\u00DE]/.test(char)) ems += 0.74;
    else ems += 0.62;
  }
  return ems * size * (bold ? 1.08 : 1);
}

function fitText(content: string, size: number, maxWidth: number, bold = false): string {
  if (textWidth(content, size, bold) <= maxWidth) return content;
  const chars = [...content];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, size, bold) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Caller text goes into markup: escaped, and without the characters XML 1.0 forbids (librsvg would refuse the whole image). */
function escapeXml(content: string): string {
  return [...content]
    .filter((char) => isXmlChar(char.codePointAt(0) ?? 0))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** XML 1.0's Char production; iterating by code point leaves lone surrogates as their own (forbidden) items. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
}

/** A true minus sign: the hyphen is narrower than the digits and looks like a dash. */
function formatSigned(value: number): string {
  return value < 0 ? `\u2212${Math.abs(value)}` : String(value);
}

/** Coordinates to one decimal: enough for a pixel, short in the document. */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
