import type { FieldIssue } from '../domain/validation.js';

/** An error a caller caused, answered as { error: { code, message, issues? } } with its status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[] };
}
