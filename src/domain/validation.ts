/** One problem with one field of what a caller sent: the path names the field, the message says why. */
export interface FieldIssue {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** ["items", 0, "name"] -> "items.0.name"; the root is "". */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join('.');
}
