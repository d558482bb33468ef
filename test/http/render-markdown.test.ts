import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../src/package-path.js';
import { renderMarkdown } from '../../src/http/render-markdown.js';

// The seller's documents as HTML: the Markdown they are written in, and nothing a document could
// use to put its own markup or script in a page.

describe('renderMarkdown', () => {
  it('renders headings, paragraphs, lists, quotes and tables; the title is left to the page', () => {
    const html = renderMarkdown(
      [
        '# Título',
        '',
        'Um parágrafo',
        'em duas linhas.',
        '',
        '## Seção',
        '- um item',
        '  que continua',
        '- outro',
        '',
        '1. primeiro',
        '2. segundo',
        '',
        '> citação',
        '',
        '| A | B |',
        '|---|:-:|',
        '| 1 | **2** |',
      ].join('\n'),
      { dropTitle: true },
    );
    expect(html).toBe(
      [
        '<p>Um parágrafo em duas linhas.</p>',
        '<h2>Seção</h2>',
        '<ul><li>um item que continua</li><li>outro</li></ul>',
        '<ol><li>primeiro</li><li>segundo</li></ol>',
        '<blockquote><p>citação</p></blockquote>',
        '<div class="table-scroll"><table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td><strong>2</strong></td></tr></tbody></table></div>',
      ].join('\n'),
    );
    expect(renderMarkdown('# Título')).toBe('<h2>Título</h2>');
  });

  it('renders bold, italics, code (read as it is) and links to the web or this site', () => {
    expect(renderMarkdown('**nota 9**, *mas* `**não**` [link](https://wa.me/5511912345678) [Conectar](/connect) [topo](#inicio)')).toBe(
      '<p><strong>nota 9</strong>, <em>mas</em> <code>**não**</code> <a href="https://wa.me/5511912345678">link</a> <a href="/connect">Conectar</a> <a href="#inicio">topo</a></p>',
    );
  });

  it('escapes every markup of the document, and keeps only the text of a link elsewhere', () => {
    const html = renderMarkdown('<script>alert(1)</script> "aspas" & [x](javascript:alert) [y](//evil.example) [z](data:text/html,oi) `<b>`');
    expect(html).not.toMatch(/<script|<b>|href="javascript|href="\/\/|href="data/);
    expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;aspas&quot; &amp; x y z <code>&lt;b&gt;</code></p>');
  });

  it('renders the seller’s page about WhatsApp’s limits, its tables included', () => {
    const html = renderMarkdown(fs.readFileSync(packagePath('docs', 'whatsapp-limits.md'), 'utf8'), { dropTitle: true });
    expect(html).not.toContain('<h1>');
    expect(html).toContain('<h2>O que o fregues faz por você</h2>');
    expect(html).toContain('<tr><td>Primeiro aviso</td><td>A cota própria cai para a metade.</td></tr>');
    expect(html).not.toMatch(/(^|\n)(#|\||- )/);
  });
});
