/** Stop keywords: as the whole message ("SAIR", "parar"), as a clause beside a greeting ("Boa tarde, SAIR"), or anywhere. */
import { joinSpelled } from './courtesy.js';
import { alt, B, negated, words } from './folded-text.js';

/** "Take me off" in Spanish, one word: alone, or leaving a list ("sácame de la lista", not "… de espera"). */
export const SPANISH_REMOVE_ME = ['sacame', 'sáquenme', 'saquenme', 'bórrame', 'borrame', 'bórrenme', 'borrenme', 'quítame',
  'quitame', 'elimíname', 'eliminame'];

/**
 * Stop keywords that are opt-out as the whole message (possibly repeated:
 * "sair sair"). Not "não quero mais" alone: it answers an offer ("quer ver as
 * novidades?") as often as it stops messages, so it is a 'maybe'.
 */
const STOP_WHOLE = [
  'sair', 'sai', 'saia', 'parar', 'para', 'pare', 'parem', 'param', 'stop', 'stopall', 'stop all',
  'cancelar', 'cancela', 'cancele', 'cancelem', 'cancel', 'remover', 'remove', 'remova', 'removam',
  'excluir', 'exclui', 'exclua', 'chega', 'basta', 'nunca mais', 'end', 'quit', 'unsub', 'opt out',
  'remove me', 'me tira', 'me tire', 'me remove', 'me remova', 'me exclui', 'me exclua',
  'stop it', 'baja', 'de baja', 'dar de baja', 'darme de baja', 'dame de baja', 'salir', 'detener', 'no más', 'no more',
  'não quero mais receber', 'sai fora', 'não autorizo', ...SPANISH_REMOVE_ME,
  // "favor não enviar", "não mande": a whole message forbidding the sending (opt-out utility lists in the tests)
  ...negated(['envie', 'enviem', 'enviar', 'mande', 'mandem', 'mandar']),
];
export const STOP_WHOLE_RE = new RegExp(`^${alt(STOP_WHOLE)}(?: ${alt(STOP_WHOLE)})*$`, 'u');

/**
 * Stop keywords that are opt-out as a whole clause beside a greeting ("Boa
 * tarde, SAIR", "oi! pode parar"): only those that mean nothing else. "para",
 * "chega", "cancelar", "nunca mais" or "sai" as a clause of a longer message are
 * a preposition, an arrival ("amei, chega logo"), an order or a complaint.
 */
const STOP_CLAUSE = [
  'sair', 'saia', 'parar', 'pare', 'parem', 'stop', 'stopall', 'descadastrar', 'descadastra', 'remover', 'remova',
  'removam', 'excluir', 'exclua', 'unsubscribe', 'unsub', 'opt out', 'remove me', 'me tira', 'me tire', 'me remove',
  'me remova', 'me exclui', 'me exclua', 'me descadastra', 'me descadastre', 'sai fora', 'baja', 'darme de baja',
  'dame de baja', 'salir', 'não quero mais receber', 'não quero receber mais', 'não autorizo',
];
const STOP_CLAUSE_RE = new RegExp(`^${alt(STOP_CLAUSE)}(?: ${alt(STOP_CLAUSE)})*$`, 'u');
/** Greetings, vocatives and conjunctions that may open a clause ("oi moça, mas pode parar"). */
const CLAUSE_OPENING = new RegExp(
  `^(?:${alt([
    'oi', 'oie', 'olá', 'opa', 'ei', 'eai', 'e aí', 'hey', 'hi', 'hello', 'hola', 'bom dia', 'boa tarde', 'boa noite',
    'buenos días', 'buenas tardes', 'buenas noches', 'buenas', 'tudo bem', 'td bem', 'tudo bom', 'moça', 'moço', 'amiga',
    'amigo', 'gente', 'pessoal', 'querida', 'querido', 'dona', 'senhora', 'senhor', 'mas', 'então', 'entao', 'e', 'aí',
    'enfim', 'olha', 'olhe', 'bem', 'sim', 'eu', 'quero', 'queria', 'gostaria de', 'gostaria', 'desejo',
    'pode', 'podem', 'poderia', 'poderiam', 'quiero', 'i', 'want to',
  ])} )+`,
  'u',
);
/** Vocatives that may close a clause ("sair moça", "parem gente"). */
const CLAUSE_CLOSING = new RegExp(
  `(?: ${alt(['moça', 'moço', 'gente', 'amiga', 'amigo', 'querida', 'querido', 'pessoal', 'viu', 'né', 'cara',
    'mano'])})+$`,
  'u',
);

/** Words that mean opt-out wherever they are. */
export const STOP_ANYWHERE = words(
  [
    'des ?cad?r?ast\\p{L}*', // descadastrar, descadastra, descadastro, descadastar, descadrastar
    'un ?su(?:bs|s|b)?cri\\p{L}*', // unsubscribe, unsuscribe
    'des(?:u|in)s?cri\\p{L}*', // desuscribir(me), desinscribir
    'desinscrev\\p{L}*',
    'opt ?out',
    alt(['dar de baja', 'darme de baja', 'dame de baja', 'denme de baja', 'darse de baja', 'darnos de baja']),
    alt(['take me off', 'leave me alone']),
  ].join('|'),
);

/** A clause of the message is a bare stop keyword beside greetings ("Boa tarde, SAIR"). */
export function hasStopClause(core: string): boolean {
  if (!core.includes('|') && !CLAUSE_OPENING.test(core) && !CLAUSE_CLOSING.test(core)) return false; // read whole already
  for (const clause of core.split(' | ')) {
    const bare = clause.replace(CLAUSE_OPENING, '').replace(CLAUSE_CLOSING, '');
    if (bare !== '' && STOP_CLAUSE_RE.test(joinSpelled(bare)) && !LETS_GO.test(clause)) return true;
  }
  return false;
}
/** "tudo certo, pode sair": the order may leave; only as the whole message is "pode sair" a stop. */
const LETS_GO = new RegExp(
  `${B}${alt(['pode', 'podem', 'poderia', 'poderiam', 'já pode'])} ${alt(['sair', 'sai', 'saia'])}$`,
  'u',
);
