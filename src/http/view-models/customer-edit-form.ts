import type { Customer } from '../../domain/customer.js';
import type { FieldIssue } from '../../domain/validation.js';
import type { Translate } from '../../i18n/index.js';

export type EditField = 'name' | 'birthday' | 'email' | 'tags';
export const EDIT_FIELDS: readonly EditField[] = ['name', 'birthday', 'email', 'tags'];

/** The edit form's fields as typed (and typed back into the form when something is wrong). */
export type EditForm = Record<EditField, string>;

/** What the form asks to change, as PATCH /api/customers/:id with every field: an empty field clears it. */
export interface EditInput {
  name: string | null;
  birthday: string | null;
  email: string | null;
  tags: string[];
}

/** A problem with what was typed: which field (null for the form as a whole), its label and why. */
export interface EditProblem {
  field: EditField | null;
  label: string;
  message: string;
}

/** The form filled in with what is stored: the birthday as the seller types it, the tags comma-separated. */
export function fillEditForm(customer: Customer): EditForm {
  return { name: customer.name ?? '', birthday: typedBirthday(customer.birthday), email: customer.email ?? '', tags: customer.tags.join(', ') };
}

/** The posted form's fields (anything not a string is empty) and the change they ask for. */
export function readEditForm(body: Record<string, unknown>): { form: EditForm; input: EditInput } {
  const form = Object.fromEntries(EDIT_FIELDS.map((field) => [field, typeof body[field] === 'string' ? body[field] : ''])) as EditForm;
  const blank = (value: string) => (value.trim() === '' ? null : value);
  return {
    form,
    input: {
      name: blank(form.name),
      birthday: blank(form.birthday),
      email: blank(form.email),
      tags: form.tags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''),
    },
  };
}

/**
 * The validation's issues in the form's words: each names its field, and a
 * bad tag is quoted (the form has one field for all of them). `fieldErrors`
 * holds the first problem of each field, shown next to it.
 */
export function describeEditProblems(issues: readonly FieldIssue[], input: EditInput, t: Translate) {
  const errors: EditProblem[] = issues.map((issue) => {
    const [field = '', index] = issue.path.split('.');
    const known = (EDIT_FIELDS as readonly string[]).includes(field) ? (field as EditField) : null;
    const tag = known === 'tags' && index !== undefined ? input.tags[Number(index)] : undefined;
    return {
      field: known,
      label: known ? t(`page.customer.field.${known}`) : '',
      message: tag === undefined ? issue.message : `“${tag}”: ${issue.message}`,
    };
  });
  const fieldErrors: Partial<Record<EditField, string>> = {};
  for (const error of errors) if (error.field && !fieldErrors[error.field]) fieldErrors[error.field] = error.message;
  return { errors, fieldErrors };
}

/** A stored birthday ("1990-03-12" or "--03-12") as the seller types it back: 12/03/1990, 12/03. */
function typedBirthday(birthday: string | null): string {
  const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(birthday ?? '');
  if (!match) return birthday ?? '';
  return match[1] === '-' ? `${match[3]}/${match[2]}` : `${match[3]}/${match[2]}/${match[1]}`;
}
