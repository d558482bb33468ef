/**
 * The words the answer readers in this folder read typed answers with, in
 * pt-BR, en and es. Every key is folded the way reading.ts folds a message:
 * lowercase, no accents ("não" is "nao"), "’" written "'". Keys with a space
 * are phrases, matched on consecutive words.
 *
 * A word that means something else in Portuguese ("no" is "in the", "dos" is
 * "of the", "doce" is "sweet") is listed in LOCAL_ONLY: it counts when the
 * customer's locale is one of those given, or when it stands alone (the last
 * word before a punctuation mark or the end of the message).
 */
import type { Locale } from '../../i18n/index.js';

export const LOCAL_ONLY: ReadonlyMap<string, readonly Locale[]> = new Map<string, readonly Locale[]>([
  ['no', ['en', 'es']],
  ['dos', ['es']],
  ['once', ['es']],
  ['doce', ['es']],
  ['mala', ['es']],
  ['vale', ['es']],
  ['dale', ['es']],
  ['y', ['en']],
  ['ni', ['es']],
]);

/** Cardinal numbers. "um", "uma", "un", "una", "uno" and "one" are also articles: see ARTICLE_LIKE. */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  // pt-BR
  ['zero', 0], ['um', 1], ['uma', 1], ['dois', 2], ['duas', 2], ['tres', 3], ['quatro', 4], ['cinco', 5],
  ['seis', 6], ['sete', 7], ['oito', 8], ['nove', 9], ['dez', 10], ['onze', 11], ['doze', 12],
  // en
  ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8],
  ['nine', 9], ['ten', 10], ['eleven', 11], ['twelve', 12],
  // es
  ['cero', 0], ['un', 1], ['una', 1], ['uno', 1], ['dos', 2], ['cuatro', 4], ['siete', 7], ['ocho', 8],
  ['nueve', 9], ['diez', 10], ['once', 11], ['doce', 12],
]);

/** Number words that are also articles ("dou um 10"): they count only when nothing else in the message is a number. */
export const ARTICLE_LIKE: ReadonlySet<string> = new Set(['um', 'uma', 'un', 'una', 'uno', 'one']);

/** Ordinals, for picking an option ("a segunda", "the first"); -1 is the last option. */
export const ORDINAL_WORDS: ReadonlyMap<string, number> = new Map([
  ['primeiro', 1], ['primeira', 1], ['segundo', 2], ['segunda', 2], ['terceiro', 3], ['terceira', 3],
  ['quarto', 4], ['quarta', 4], ['quinto', 5], ['quinta', 5], ['sexto', 6], ['sexta', 6],
  ['setimo', 7], ['setima', 7], ['oitavo', 8], ['oitava', 8], ['nono', 9], ['nona', 9], ['decimo', 10], ['decima', 10],
  ['ultimo', -1], ['ultima', -1],
  ['first', 1], ['second', 2], ['third', 3], ['fourth', 4], ['fifth', 5], ['sixth', 6], ['seventh', 7],
  ['eighth', 8], ['ninth', 9], ['tenth', 10], ['last', -1],
  ['primero', 1], ['primera', 1], ['tercero', 3], ['tercera', 3], ['cuarto', 4], ['cuarta', 4],
  ['septimo', 7], ['septima', 7], ['octavo', 8], ['octava', 8], ['noveno', 9], ['novena', 9],
]);

/** "nota máxima" is the top of the scale, "nota mínima" the bottom. */
export const SCALE_END_PHRASES: ReadonlyMap<string, 'max' | 'min'> = new Map([
  ['nota maxima', 'max'], ['nota maximo', 'max'], ['nota minima', 'min'], ['nota minimo', 'min'],
  ['nota mais alta', 'max'], ['top score', 'max'], ['nota mas alta', 'max'],
]);

/** After a number, these say it counts something else: "atrasou 2 dias" is not a score. */
export const UNIT_WORDS: ReadonlySet<string> = new Set([
  'dia', 'dias', 'hora', 'horas', 'h', 'hr', 'hrs', 'min', 'mins', 'minuto', 'minutos', 'seg', 'semana', 'semanas',
  'mes', 'meses', 'ano', 'anos', 'vez', 'vezes', 'x', 'reais', 'real', 'conto', 'contos', 'peca', 'pecas',
  'unidade', 'unidades', 'un', 'und', 'item', 'itens', 'produto', 'produtos', 'kg', 'g', 'gr', 'ml', 'l', 'cm',
  'mm', 'km', 'm', 'metro', 'metros', 'pessoa', 'pessoas', 'caixa', 'caixas', 'pacote', 'pacotes', 'amigo', 'amigos',
  'amiga', 'amigas', 'cliente', 'clientes', 'kit', 'kits', 'par', 'pares', 'pote', 'potes', 'frasco', 'frascos',
  'friends', 'day', 'days', 'hour', 'hours', 'minute', 'minutes', 'week', 'weeks', 'month', 'months', 'year', 'years',
  'time', 'times', 'items', 'piece', 'pieces', 'unit', 'units', 'dollars', 'bucks', 'people',
  'veces', 'piezas', 'pieza', 'unidad', 'pesos', 'euros', 'personas',
]);

/** After a score or an option's number these belong to it: "5 estrelas", "9 pontos", "the first one". */
export const SCORE_UNIT_WORDS: ReadonlySet<string> = new Set([
  'estrela', 'estrelas', 'estrelinha', 'estrelinhas', 'ponto', 'pontos', 'star', 'stars', 'point', 'points',
  'estrella', 'estrellas', 'punto', 'puntos', 'opcao', 'alternativa', 'one', 'option', 'opcion',
]);

/** Between the two ends of the scale: "de 0 a 10", "0-10", "0 to 10". */
export const SCALE_CONNECTORS: ReadonlySet<string> = new Set(['a', 'ate', 'to', 'al', 'hasta', '-', '–', '—', '~']);

/** Between a score and the top of the scale: "9/10", "9 de 10", "9 out of 10". */
export const OUT_OF_WORDS: ReadonlySet<string> = new Set(['/', 'de', 'em', 'of', 'sobre', 'over', 'outof']);

/** Before a number, these are currencies: "R$ 10" is not a score. */
export const CURRENCY_SIGNS: ReadonlySet<string> = new Set(['$', '€', '£']);

/** Words that turn what follows into its opposite. */
export const NEGATORS: ReadonlySet<string> = new Set([
  'nao', 'n', 'nem', 'nunca', 'jamais', 'nada', 'not', 'never', "don't", 'dont', "didn't", 'didnt', "isn't",
  'isnt', "wasn't", 'wasnt', "wouldn't", 'wouldnt', "doesn't", 'doesnt', 'no', 'ni', 'tampoco',
]);

/** What sits between a negator and a score it takes back: "só não dou 10", "no le doy un 10", "not a 10". */
export const GIVE_WORDS: ReadonlySet<string> = new Set([
  'dou', 'daria', 'dava', 'da', 'e', 'eh', 'foi', 'seria', 'merece', 'merecem', 'mereceu', 'chega', 'chegou',
  'ganha', 'ganhou', 'vale', 'levou', 'leva', 'um', 'uma', 'a', 'o', 'nota', 'pra', 'para',
  'give', 'gave', 'would', 'is', 'was', 'deserve', 'deserves', 'an', 'get', 'gets', 'quite',
  'doy', 'le', 'les', 'es', 'fue', 'un', 'una', 'llega',
]);

export type Polarity = 'yes' | 'no' | 'unsure';

/** Yes, no, and "I don't know" (which answers neither). */
export const YES_NO_WORDS: ReadonlyMap<string, Polarity> = new Map<string, Polarity>([
  // pt-BR
  ['sim', 'yes'], ['s', 'yes'], ['claro', 'yes'], ['com certeza', 'yes'], ['certeza', 'yes'], ['pode', 'yes'],
  ['pode ser', 'yes'], ['pode mandar', 'yes'], ['pode enviar', 'yes'], ['manda sim', 'yes'], ['quero', 'yes'], ['ok', 'yes'], ['okay', 'yes'], ['okey', 'yes'], ['oki', 'yes'],
  ['ta bom', 'yes'], ['tabom', 'yes'], ['ta certo', 'yes'], ['ta otimo', 'yes'], ['blz', 'yes'], ['beleza', 'yes'],
  ['aham', 'yes'], ['uhum', 'yes'], ['isso', 'yes'], ['isso mesmo', 'yes'], ['bora', 'yes'], ['manda', 'yes'],
  ['fechado', 'yes'], ['pode crer', 'yes'], ['otimo', 'yes'], ['perfeito', 'yes'], ['show', 'yes'],
  ['aceito', 'yes'], ['que sim', 'yes'], ['claro que sim', 'yes'], ['sem problema', 'yes'], ['sem problemas', 'yes'],
  ['nao tem problema', 'yes'], ['nao ha problema', 'yes'],
  ['nao', 'no'], ['n', 'no'], ['naum', 'no'], ['nunca', 'no'], ['jamais', 'no'], ['negativo', 'no'],
  ['que nao', 'no'], ['claro que nao', 'no'], ['com certeza nao', 'no'], ['de jeito nenhum', 'no'],
  ['nem pensar', 'no'], ['nem a pau', 'no'], ['dispenso', 'no'], ['nunca mais', 'no'], ['nops', 'no'],
  ['nao precisa', 'no'], ['nao precisa nao', 'no'], ['nao tenho interesse', 'no'], ['nao obrigado', 'no'],
  ['nao obrigada', 'no'], ['pode deixar', 'yes'],
  ['talvez', 'unsure'], ['nao sei', 'unsure'], ['n sei', 'unsure'], ['sei la', 'unsure'], ['depende', 'unsure'],
  ['nao tenho certeza', 'unsure'], ['n tenho certeza', 'unsure'], ['tanto faz', 'unsure'], ['vou pensar', 'unsure'],
  ['quem sabe', 'unsure'],
  // en
  ['yes', 'yes'], ['yeah', 'yes'], ['yep', 'yes'], ['yup', 'yes'], ['ya', 'yes'], ['y', 'yes'], ['sure', 'yes'],
  ['of course', 'yes'], ['absolutely', 'yes'], ['definitely', 'yes'], ['certainly', 'yes'], ['no problem', 'yes'],
  ['no', 'no'], ['not', 'no'], ['nope', 'no'], ['nah', 'no'], ['never', 'no'], ['not really', 'no'], ['no way', 'no'],
  ['no thanks', 'no'], ['not now', 'no'],
  ['maybe', 'unsure'], ['perhaps', 'unsure'], ['not sure', 'unsure'], ["i don't know", 'unsure'],
  ['i dont know', 'unsure'], ["don't know", 'unsure'], ['dont know', 'unsure'], ['idk', 'unsure'],
  // es
  ['si', 'yes'], ['por supuesto', 'yes'], ['desde luego', 'yes'], ['vale', 'yes'], ['dale', 'yes'], ['quiero', 'yes'],
  ['puede', 'yes'], ['como no', 'yes'], ['no hay problema', 'yes'],
  ['jamas', 'no'], ['para nada', 'no'], ['no gracias', 'no'], ['de ninguna manera', 'no'], ['ni loco', 'no'], ['ni loca', 'no'],
  ['quizas', 'unsure'], ['quiza', 'unsure'], ['tal vez', 'unsure'], ['no se', 'unsure'], ['no lo se', 'unsure'],
  ['a lo mejor', 'unsure'],
  // emoji
  ['👍', 'yes'], ['✅', 'yes'], ['✔', 'yes'], ['☑', 'yes'], ['👌', 'yes'], ['🆗', 'yes'],
  ['👎', 'no'], ['❌', 'no'], ['✖', 'no'], ['🚫', 'no'], ['🙅', 'no'],
]);

/** Yes words that a following "não" turns into no: "quero não", "pode não" (common in the Northeast). */
export const YES_VERBS: ReadonlySet<string> = new Set(['quero', 'pode', 'manda', 'aceito', 'quiero', 'puede']);

/** Words (not phrases) that can turn a yes word into no when they come right before it: "não quero", "not sure". */
export const YES_NO_NEGATORS: ReadonlySet<string> = new Set(['nao', 'n', 'naum', 'nunca', 'no', 'not', 'never', 'jamais']);

/** Quality words for a 1–5 rating. */
export const CSAT_WORDS: ReadonlyMap<string, number> = new Map([
  // pt-BR
  ['otimo', 5], ['otima', 5], ['excelente', 5], ['perfeito', 5], ['perfeita', 5], ['amei', 5], ['adorei', 5],
  ['maravilhoso', 5], ['maravilhosa', 5], ['incrivel', 5], ['sensacional', 5], ['top', 5], ['fantastico', 5],
  ['fantastica', 5], ['espetacular', 5], ['nota mil', 5], ['show de bola', 5],
  ['bom', 4], ['boa', 4], ['gostei', 4], ['legal', 4], ['satisfeito', 4], ['satisfeita', 4], ['bacana', 4],
  ['regular', 3], ['mais ou menos', 3], ['mais o menos', 3], ['ok', 3], ['okay', 3], ['razoavel', 3], ['mediano', 3],
  ['mediana', 3], ['normal', 3], ['nem bom nem ruim', 3], ['meia boca', 3],
  ['ruim', 2], ['fraco', 2], ['fraca', 2], ['insatisfeito', 2], ['insatisfeita', 2], ['decepcionante', 2],
  ['pessimo', 1], ['pessima', 1], ['horrivel', 1], ['terrivel', 1], ['lixo', 1], ['horroroso', 1], ['horrorosa', 1],
  // en
  ['great', 5], ['excellent', 5], ['perfect', 5], ['amazing', 5], ['awesome', 5], ['loved', 5], ['love', 5],
  ['outstanding', 5], ['wonderful', 5], ['good', 4], ['nice', 4], ['liked', 4], ['fine', 3], ['average', 3],
  ['so so', 3], ['meh', 3], ['bad', 2], ['poor', 2], ['disappointing', 2], ['terrible', 1], ['awful', 1],
  ['horrible', 1], ['neither good nor bad', 3],
  // es
  ['perfecto', 5], ['perfecta', 5], ['genial', 5], ['encanto', 5], ['maravilloso', 5], ['maravillosa', 5],
  ['increible', 5], ['excelentes', 5], ['bueno', 4], ['buena', 4], ['bien', 4], ['gusto', 4],
  ['mas o menos', 3], ['ni bueno ni malo', 3], ['malo', 2], ['mala', 2], ['pesimo', 1], ['pesima', 1], ['fatal', 1],
]);

/** After a quality word, part of it: "gostei muito", "bom demais", "não gostei nada". */
export const INTENSIFIERS: ReadonlySet<string> = new Set([
  'muito', 'muita', 'demais', 'bastante', 'mesmo', 'nada', 'tanto', 'total', 'much', 'lot', 'really', 'mucho',
]);

/** A score followed by these is half a point more: "8 e meio". */
export const HALF_PHRASES: ReadonlySet<string> = new Set(['e meio', 'e meia', 'y medio', 'y media', 'and a half']);

/** "bom dia", "boa tarde", "good morning": greetings, not ratings. */
export const TIMES_OF_DAY: ReadonlySet<string> = new Set([
  'dia', 'tarde', 'noite', 'madrugada', 'dias', 'tardes', 'noches', 'noche', 'morning', 'afternoon', 'evening', 'night',
]);

/** Month names and their short forms; "mar" and "may" are whole words only. */
export const MONTHS: ReadonlyMap<string, number> = new Map([
  ['janeiro', 1], ['fevereiro', 2], ['marco', 3], ['abril', 4], ['maio', 5], ['junho', 6], ['julho', 7],
  ['agosto', 8], ['setembro', 9], ['outubro', 10], ['novembro', 11], ['dezembro', 12],
  ['january', 1], ['february', 2], ['march', 3], ['april', 4], ['may', 5], ['june', 6], ['july', 7],
  ['august', 8], ['september', 9], ['october', 10], ['november', 11], ['december', 12],
  ['enero', 1], ['febrero', 2], ['marzo', 3], ['mayo', 5], ['junio', 6], ['julio', 7], ['septiembre', 9],
  ['setiembre', 9], ['octubre', 10], ['noviembre', 11], ['diciembre', 12],
  ['jan', 1], ['fev', 2], ['feb', 2], ['mar', 3], ['abr', 4], ['apr', 4], ['mai', 5], ['jun', 6], ['jul', 7],
  ['ago', 8], ['aug', 8], ['set', 9], ['sep', 9], ['sept', 9], ['out', 10], ['oct', 10], ['nov', 11],
  ['dez', 12], ['dec', 12], ['dic', 12], ['ene', 1],
]);

/** Words next to a phone number that are not a name: "minha irmã", "o zap dela é", "liga pra". */
export const NOT_NAMES: ReadonlySet<string> = new Set([
  // pt-BR
  'a', 'o', 'as', 'os', 'e', 'ou', 'de', 'da', 'do', 'das', 'dos', 'em', 'no', 'na', 'um', 'uma', 'com', 'pra', 'pro',
  'para', 'por', 'que', 'se', 'mas', 'tambem', 'tb', 'tbm', 'ai', 'aqui', 'la', 'esse', 'essa', 'este', 'esta', 'isso',
  'meu', 'minha', 'meus', 'minhas', 'seu', 'sua', 'dele', 'dela', 'ele', 'ela', 'eles', 'elas', 'nosso', 'nossa',
  'amigo', 'amiga', 'amigos', 'amigas', 'irmao', 'irma', 'mae', 'pai', 'tia', 'tio', 'prima', 'primo', 'esposa',
  'marido', 'namorada', 'namorado', 'filha', 'filho', 'vizinha', 'vizinho', 'colega', 'chefe', 'sogra', 'sogro',
  'cunhada', 'cunhado', 'avo', 'vovo', 'madrinha', 'padrinho', 'comadre', 'compadre', 'cliente', 'conhecida',
  'conhecido', 'tel', 'telefone', 'fone', 'cel', 'celular', 'numero', 'num', 'whats', 'whatsapp', 'zap', 'wpp', 'wa',
  'contato', 'contatos', 'pode', 'podem', 'chamar', 'chama', 'ligar', 'liga', 'falar', 'fala', 'manda', 'mandar',
  'msg', 'mensagem', 'segue', 'seguem', 'indico', 'indicacao', 'indicar', 'sim', 'claro', 'oi', 'ola', 'obrigado',
  'obrigada', 'bom', 'boa', 'dia', 'tarde', 'noite', 'eh', 'tem', 'ta', 'nome', 'dona', 'sr',
  'sra', 'senhor', 'senhora', 'gosta', 'gostar', 'gostaria', 'vai', 'vao', 'quer', 'querem', 'loja', 'ja', 'so',
  'outro', 'outra', 'mais', 'n', 'ne', 'pessoal', 'gente', 'galera', 'lembrei', 'acho', 'pessoa', 'dois', 'duas',
  // en
  'the', 'and', 'or', 'my', 'her', 'his', 'is', 'friend', 'sister', 'brother', 'mom', 'dad', 'phone', 'number',
  'call', 'text', 'contact', 'this', 'that', 'here', 'yes', 'sure', 'thanks', 'hi', 'hello', 'cell', 'mobile', 'also',
  // es
  'y', 'mi', 'mis', 'su', 'sus', 'el', 'los', 'las', 'es', 'hermana', 'hermano', 'madre', 'padre', 'telefono',
  'llama', 'llamar', 'escribe', 'escribir', 'si', 'gracias', 'hola', 'aca', 'tambien',
]);

/** "kkkk", "rsrs", "hahaha", "jajaja": laughter, not a remark. */
export const LAUGHTER = /^(?:k{2,}|(?:rs)+r?|a?(?:ha)+h?|(?:he)+h?|(?:hi)+h?|(?:ja)+j?|(?:je)+j?|lol|lmao|(?:hue)+)$/;

/** Words around an option's number that do not name an option: "opção 2", "quero a segunda", "the first one". */
export const CHOICE_LEADS: ReadonlySet<string> = new Set([
  'opcao', 'opcoes', 'alternativa', 'numero', 'num', 'n', 'no', 'a', 'o', 'e', 'eh', 'letra', 'quero', 'escolho',
  'prefiro', 'fico', 'com', 'eu', 'vou', 'de', 'pela', 'pelo', 'acho', 'que', 'mesmo', 'essa', 'esse', 'so',
  'option', 'number', 'the', 'i', 'pick', 'choose', 'want', 'one', 'please',
  'opcion', 'la', 'el', 'elijo', 'prefiero', 'quiero', 'me', 'quedo', 'por', 'favor',
]);
