import type { AskKind } from '../../flows/flow-types.js';
import type { Database } from '../db.js';

/** An answer as understood and stored: what a customer said to a question of a flow. */
export interface Answer {
  id: number;
  customerId: number;
  runId: number | null;
  stepId: string;
  kind: AskKind;
  value: string;
  comment: string | null;
  messageWaId: string;
  at: number;
}

export type NewAnswer = Omit<Answer, 'id'>;

export interface AnswerRepository {
  record(answer: NewAnswer): Answer;
  listFor(customerId: number): Answer[];
}

const COLUMNS = 'id, customer_id AS customerId, run_id AS runId, step_id AS stepId, kind, value, comment, message_wa_id AS messageWaId, at';

export function createAnswerRepository(db: Database): AnswerRepository {
  const { sqlite } = db;
  const insert = sqlite.prepare<[number, number | null, string, string, string, string | null, string, number]>(
    'INSERT INTO answers (customer_id, run_id, step_id, kind, value, comment, message_wa_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const byCustomer = sqlite.prepare<[number], Answer>(`SELECT ${COLUMNS} FROM answers WHERE customer_id = ? ORDER BY at, id`);
  return {
    record: (answer) => {
      const { lastInsertRowid } = insert.run(answer.customerId, answer.runId, answer.stepId, answer.kind, answer.value, answer.comment, answer.messageWaId, answer.at);
      return Object.assign({ id: Number(lastInsertRowid) }, answer);
    },
    listFor: (customerId) => byCustomer.all(customerId),
  };
}
