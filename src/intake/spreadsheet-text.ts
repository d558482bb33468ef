/** The text of a spreadsheet file: its encoding, separator and where a quote was left open. */

/** UTF-8 with or without BOM; a file that is not UTF-8 is read as Windows-1252, as Excel saves "CSV" in Brazil. */
export function decodeSpreadsheet(content: Buffer | string): string {
  if (typeof content === 'string') return content;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return new TextDecoder('windows-1252').decode(content);
  }
}

/**
 * The separator that splits a line into the most cells, outside quotes, over
 * the first few lines: an export may put a title line above its header.
 */
export function detectDelimiter(text: string): string {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/, 10);
  let best = { delimiter: ',', count: 0 };
  for (const line of lines) {
    const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0]]);
    let quoted = false;
    for (const char of line) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    for (const [delimiter, count] of counts) if (count > best.count) best = { delimiter, count };
  }
  return best.delimiter;
}

export function countLineBreaks(record: string[]): number {
  return record.reduce((count, cell) => count + (cell.match(/\n/g)?.length ?? 0), 0);
}

/** The line of the quote that opens and never closes, for the error message. */
export function findUnclosedQuote(text: string): number {
  let line = 1;
  let openedAt = 1;
  let quoted = false;
  for (const char of text) {
    if (char === '\n') line += 1;
    else if (char === '"') {
      if (!quoted) openedAt = line;
      quoted = !quoted;
    }
  }
  return openedAt;
}
