/**
 * What went wrong, in one line for a log or a notice: an Error's message, or
 * whatever else was thrown as text (a library may throw a string or a plain object).
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
