/**
 * The spreadsheet a browser sends from the import page's file field
 * (multipart/form-data, RFC 7578), read without a dependency: the page sends
 * one file and the form token, nothing more, so a full streaming parser would
 * buy nothing. The file stays bytes: its encoding (UTF-8 or Windows-1252) is
 * decided by the spreadsheet reader.
 */
export interface Upload {
  /** Text fields of the form (the CSRF token is `_csrf`). */
  [field: string]: string | UploadedFile | undefined;
}

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a multipart/form-data content type, or undefined for another type. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** The form's parts; undefined when the body is not well-formed multipart. */
export function readMultipart(body: Buffer, boundary: string): Upload | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const upload: Upload = Object.create(null) as Upload;
  let at = body.indexOf(delimiter);
  if (at === -1) return undefined;
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return upload;
    at += 2; // the CRLF after the delimiter
    const headersEnd = body.indexOf(HEADER_END, at);
    if (headersEnd === -1) return undefined;
    const headers = body.subarray(at, headersEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd);
    if (next === -1) return undefined;
    const content = body.subarray(headersEnd + HEADER_END.length, next);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined && name !== '__proto__') {
      upload[name] = filename === undefined ? content.toString('utf8') : { filename: baseName(filename), content: Buffer.from(content) };
    }
    at = next + 2;
  }
}

/** Old browsers send the whole path of the file: only its name is shown back. */
function baseName(filename: string): string {
  return filename.split(/[\\/]/).pop()?.slice(0, 200) ?? '';
}
