/**
 * The seller's documents (docs/*.md) as HTML for a page of this site: the
 * small part of Markdown they are written in (headings, paragraphs, lists,
 * quotes, tables, bold, italics, code, links), nothing else. Everything is escaped
 * first, so a document can never put markup of its own in a page; links keep
 * only addresses of the web (https:, http:) or of this site (/…, #…).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Bold, italics, code and links of one escaped line. */
function inline(escaped: string): string {
  const codes: string[] = [];
  // Code first, kept aside behind a mark escaped text cannot hold (its & became &amp;): nothing inside backticks is read as Markdown.
  let html = escaped.replace(/`([^`]+)`/g, (_whole, code: string) => `&code${codes.push(`<code>${code}</code>`) - 1};`);
  html = html
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, text: string, href: string) =>
      /^(https?:\/\/|\/(?!\/)|#)/.test(href) ? `<a href="${href}">${text}</a>` : text,
    );
  return html.replace(/&code(\d+);/g, (_whole, index: string) => codes[Number(index)]!);
}

type Block =
  | { kind: 'p' | 'quote'; lines: string[] }
  | { kind: 'ul' | 'ol'; items: string[] }
  | { kind: 'h'; level: number; text: string }
  | { kind: 'table'; rows: string[][] };

/** The cells of a table row ("| a | b |"); null for the line under the header ("|---|---|"). */
function cellsOf(line: string): string[] | null {
  const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
  return cells.every((cell) => /^:?-+:?$/.test(cell)) ? null : cells;
}

/** The document's blocks: a blank line ends one; a list item's continuation lines join it. */
function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | null = null;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (line.trim() === '') open = null;
    else if (line.trimStart().startsWith('|')) {
      const cells = cellsOf(line);
      if (open?.kind !== 'table') blocks.push((open = { kind: 'table', rows: [] }));
      if (cells) open.rows.push(cells);
    }
    else if (heading) {
      blocks.push({ kind: 'h', level: heading[1]!.length, text: heading[2]! });
      open = null;
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      const text = (bullet ?? numbered)![1]!;
      if ((open?.kind === 'ul' || open?.kind === 'ol') && open.kind === kind) open.items.push(text);
      else blocks.push((open = { kind, items: [text] }));
    } else if (quote) {
      if (open?.kind === 'quote') open.lines.push(quote[1]!);
      else blocks.push((open = { kind: 'quote', lines: [quote[1]!] }));
    } else if (open?.kind === 'ul' || open?.kind === 'ol') open.items[open.items.length - 1] += ` ${line.trim()}`;
    else if (open?.kind === 'p' || open?.kind === 'quote') open.lines.push(line.trim());
    else blocks.push((open = { kind: 'p', lines: [line.trim()] }));
  }
  return blocks;
}

/**
 * The document as HTML. Its first heading is left out when `dropTitle` (the
 * page shows its own title as h1); any other h1 becomes an h2 below it.
 */
export function renderMarkdown(markdown: string, options: { dropTitle?: boolean } = {}): string {
  let blocks = blocksOf(markdown);
  if (options.dropTitle && blocks[0]?.kind === 'h' && blocks[0].level === 1) blocks = blocks.slice(1);
  const text = (source: string) => inline(escapeHtml(source));
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'h': {
          const level = Math.max(block.level, 2);
          return `<h${level}>${text(block.text)}</h${level}>`;
        }
        case 'p':
          return `<p>${text(block.lines.join(' '))}</p>`;
        case 'quote':
          return `<blockquote><p>${text(block.lines.join(' '))}</p></blockquote>`;
        case 'table': {
          const [head = [], ...body] = block.rows;
          const row = (cells: string[], tag: 'th' | 'td') => `<tr>${cells.map((cell) => `<${tag}>${text(cell)}</${tag}>`).join('')}</tr>`;
          // Scrolls by itself on a phone rather than widening the page.
          return `<div class="table-scroll"><table><thead>${row(head, 'th')}</thead><tbody>${body.map((cells) => row(cells, 'td')).join('')}</tbody></table></div>`;
        }
        case 'ul':
        case 'ol':
          return `<${block.kind}>${block.items.map((item) => `<li>${text(item)}</li>`).join('')}</${block.kind}>`;
      }
    })
    .join('\n');
}
