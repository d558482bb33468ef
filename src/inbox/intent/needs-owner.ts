/**
 * needsOwner. A complaint (a list of phrases: "não chegou", "veio errado",
 * "reembolso", "procon", "cancelar o pedido"…) anywhere, or a question: a "?"
 * closing a clause that is more than a greeting ("oi, tudo bem?" is not), a
 * "¿", or a question word starting a sentence after any greeting ("oi, quando
 * chega"). Complaint wins when both. Here a false positive costs the owner a
 * glance and a false negative leaves an angry customer unanswered, so the
 * lists are generous ("obrigada pela troca" is flagged as a complaint); only
 * greetings, thanks, "ok", laughter and emojis are ruled out, and a few set
 * phrases that start like questions but are not ("pode ser", "pode deixar",
 * "como sempre", "quanto tempo!", "tem razão").
 */
import { COMPLAINTS } from './complaints.js';
import { alt, E, fold, SENTENCE_BREAK } from './folded-text.js';

/** Words that alone are no question: greetings, thanks, "ok", forms of address. */
const TRIVIAL = alt([
  'oi', 'oie', 'olá', 'opa', 'ei', 'eai', 'e aí', 'hey', 'hi', 'hello', 'hola', 'alô',
  'bom dia', 'boa tarde', 'boa noite', 'bom', 'boa', 'buenos días', 'buenas tardes', 'buenas noches', 'buenas',
  'good morning', 'good afternoon', 'good evening', 'tudo bem', 'tudo bom', 'tudo certo', 'td bem', 'td bom',
  'tudo joia', 'todo bien', 'blz', 'beleza', 'certo', 'tá bom', 'tá certo', 'combinado', 'ok', 'okay', 'oki', 'okey', 'sim', 'yes', 'sí',
  'obrigado', 'obrigada', 'obg', 'brigado', 'brigada', 'valeu', 'vlw', 'thanks', 'thank you', 'thx', 'gracias',
  'muchas gracias', 'tchau', 'bye', 'adeus', 'amiga', 'amigo', 'moça', 'moço', 'gente', 'pessoal', 'querida',
  'querido', 'dona', 'senhora', 'senhor', 'já', 'e',
]);
/** Greetings shaped like questions: no question for the owner ("oi, como vai?"), but only as a whole clause. */
const GREETING_QUESTIONS = alt([
  'como vai', 'como vai você', 'como você está', 'como vc está', 'como vc ta', 'como estás', 'how are you',
  'qué tal', 'tudo bem com você', 'tudo bem com vc', 'e você', 'e vc', 'and you',
]);
const LAUGH = '(?:k+|(?:[hj][aeiu]+)+[hs]?|(?:rs)+|lol|lmao|(?:ks)+k?)';
const ONLY_TRIVIAL = new RegExp(`^(?:(?:${TRIVIAL}|${GREETING_QUESTIONS}|${LAUGH})(?: |$))*$`, 'u');
const LEADING_TRIVIAL = new RegExp(`^(?:(?:${TRIVIAL}|${LAUGH}) )+`, 'u');

/** Words that start a question. */
const QUESTION_START = new RegExp(
  `^${alt([
    'quando', 'qnd', 'qdo', 'onde', 'aonde', 'cadê', 'cade', 'kd', 'como', 'qual', 'quais', 'tem', 'teria',
    'vocês têm', 'vcs tem', 'vc tem', 'você tem', 'voces tem', 'posso', 'pode', 'podem', 'poderia', 'poderiam',
    'quanto', 'quanta', 'quantos', 'quantas', 'qto', 'qt', 'por que', 'porque', 'pq', 'por q', 'o que', 'oq',
    'que horas', 'que dia', 'será que', 'é possível', 'seria possível', 'alguém', 'existe', 'tem como',
    'why', 'when', 'where', 'how', 'what', 'which', 'who', 'can you', 'can i', 'could you', 'could i', 'do you',
    'does', 'did', 'is there', 'is it', 'are you', 'is my',
    'cuándo', 'dónde', 'cómo', 'cuál', 'cuáles', 'cuánto', 'cuánta', 'cuántos', 'puedo', 'pueden', 'puede',
    'tienen', 'tiene', 'hay', 'por qué', 'qué hora', 'quién',
  ])}${E}`,
  'u',
);
/** Set phrases that start like a question and are not one. */
const NOT_QUESTION = new RegExp(
  `^(?:${alt([
    'pode ser', 'pode deixar', 'pode sim', 'pode crer', 'pode mandar', 'pode enviar', 'pode apostar', 'pode confiar',
    'podem mandar', 'podem enviar', 'como sempre', 'como combinado', 'como prometido', 'como esperado', 'tem razão',
    'tem sim', 'qual nada', 'what a', 'how nice', 'how lovely', 'how cute', 'como siempre',
  ])}${E}|${alt(['quanto tempo', 'quanto amor', 'quanta coisa', 'quanto carinho'])}$)`,
  'u',
);

/** A "?" closes a clause that is more than a greeting, or a "¿" opens one. */
function hasQuestionMark(text: string): boolean {
  if (!/[?？¿]/u.test(text)) return false;
  if (fold(text) === '') return true; // "?", "??" or "?😡": the customer is waiting for an answer
  const clauses = text.split(/[.!,;:\n\r¡…！。]/u);
  for (const clause of clauses) {
    const asked = clause.split(/[?？]/u).slice(0, -1); // the parts a "?" closes
    const opened = clause.split('¿').slice(1);
    for (const part of [...asked, ...opened]) {
      const folded = fold(part, null);
      if (folded !== '' && !ONLY_TRIVIAL.test(folded)) return true;
    }
  }
  return false;
}

/** A sentence starting, after any greeting, with a question word. */
function startsWithQuestionWord(text: string): boolean {
  return fold(text, SENTENCE_BREAK)
    .split(' | ')
    .some((sentence) => {
      const rest = sentence.replace(LEADING_TRIVIAL, '');
      return QUESTION_START.test(rest) && !NOT_QUESTION.test(rest) && !ONLY_TRIVIAL.test(rest);
    });
}

/** Looks like a question or a complaint the shop owner should see (when it answers no question the bot asked). */
export function needsOwner(text: string): { yes: boolean; why: 'question' | 'complaint' | null } {
  if (COMPLAINTS.test(fold(text))) return { yes: true, why: 'complaint' };
  if (hasQuestionMark(text) || startsWithQuestionWord(text)) return { yes: true, why: 'question' };
  return { yes: false, why: null };
}
