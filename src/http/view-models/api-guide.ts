import path from 'node:path';
import type { Translate } from '../../i18n/index.js';

/**
 * The seller's page about the API (/docs/guide, the menu's "API"): what it is
 * for, where the token is, and the three things most done with it, in the
 * locale's words. The reference itself (/docs, swagger-ui) stays a
 * programmers' page in English.
 */

/** Where the admin token the API takes comes from, as the sign-in page says it too. */
export type TokenSource =
  /** The demo printed its own token in the terminal. */
  | { kind: 'demo' }
  /** The seller set ADMIN_TOKEN. */
  | { kind: 'variable' }
  /** Generated on the first start into this file (DATA_DIR/admin-token). */
  | { kind: 'file'; file: string };

export interface ApiGuideInput {
  /** The address the service is reached at (PUBLIC_URL, or localhost and PORT). */
  publicUrl: string;
  token: TokenSource;
  /** The directory the seller started fregues from: a token file under it is shown relative to it. */
  cwd: string;
}

export interface ApiGuide {
  /** Where the token is, in words. */
  tokenWhere: string;
  /** The shell line that puts the token in $TOKEN. */
  tokenLine: string;
  /** A purchase registered from a terminal: the whole curl command. */
  purchaseCurl: string;
  /** What the page shows to paste in a terminal: the token line, then the curl command. */
  purchaseScript: string;
  /** The body of that purchase, as sent (a test sends it to the API). */
  purchaseBody: Record<string, unknown>;
  /** The requests of the two other uses: method and path. */
  customerRequest: string;
  flowRequest: string;
}

/** A file under `cwd` as the seller would type it from there ("data/admin-token"); elsewhere, its whole path. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

/** A text as one argument of a POSIX shell: single quotes, each single quote inside closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function buildApiGuide(input: ApiGuideInput, t: Translate): ApiGuide {
  const base = input.publicUrl.replace(/\/+$/, '');
  const { token } = input;
  const file = token.kind === 'file' ? displayPath(token.file, input.cwd) : '';
  const tokenWhere =
    token.kind === 'file' ? t('page.api_guide.token_file', { file }) : t(token.kind === 'demo' ? 'page.api_guide.token_demo' : 'page.api_guide.token_variable');
  const tokenLine = token.kind === 'file' ? `TOKEN=$(cat ${shellQuote(file)})` : `TOKEN=${shellQuote(t('page.api_guide.token_placeholder'))}`;

  const purchaseBody = {
    externalId: t('page.api_guide.sample_order'),
    customer: { phone: '(11) 91234-5678', name: t('page.api_guide.sample_customer') },
    items: [{ name: t('page.api_guide.sample_item'), quantity: 2, unitPrice: '39,90' }],
  };
  const purchaseCurl = [
    `curl -X POST ${base}/api/purchases \\`,
    '  -H "Authorization: Bearer $TOKEN" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d ${shellQuote(JSON.stringify(purchaseBody))}`,
  ].join('\n');

  return {
    tokenWhere,
    tokenLine,
    purchaseCurl,
    purchaseScript: `${tokenLine}\n${purchaseCurl}`,
    purchaseBody,
    customerRequest: `GET ${base}/api/customers?phone=11912345678`,
    flowRequest: `POST ${base}/api/flows/<id>/runs  {"phone": "11912345678"}`,
  };
}
