/**
 * Complaints (needs-owner.ts): phrases that anywhere in a message tell of a
 * problem with an order ("não chegou", "veio errado", "reembolso", "procon",
 * "cancelar o pedido"…). The list is generous: a false positive costs the
 * owner a glance ("obrigada pela troca" is flagged).
 */
import { alt, negated, words } from './folded-text.js';

export const COMPLAINTS = words(
  alt([
    // pt-BR
    ...negated(['chegou', 'chegou ainda', 'recebi', 'veio', 'funciona', 'gostei']), 'nunca chegou', 'nada de chegar',
    'atrasou', 'atrasado', 'atrasada', 'atrasados', 'atrasadas', 'atraso', 'atrasando',
    'veio errado', 'veio errada', 'veio trocado', 'veio trocada', 'produto errado', 'pedido errado',
    'tamanho errado', 'cor errada', 'mandaram errado', 'enviaram errado',
    'veio quebrado', 'veio quebrada', 'chegou quebrado', 'chegou quebrada', 'quebrado', 'quebrada', 'quebrou',
    'veio faltando', 'está faltando', 'ta faltando', 'tá faltando', 'faltou', 'veio sem',
    'defeito', 'defeituoso', 'defeituosa', 'estragado', 'estragada', 'estragou', 'vencido', 'vencida',
    'amassado', 'amassada', 'rasgado', 'rasgada', 'manchado', 'manchada', 'vazou', 'vazando',
    'reclamação', 'reclamações', 'reclamar', 'reclamando', 'reclame aqui', 'péssimo', 'péssima', 'horrível',
    'horrorosa', 'horroroso', 'terrível', 'quero meu dinheiro de volta', 'dinheiro de volta', 'reembolso',
    'reembolsar', 'estorno', 'estornar', 'devolver', 'devolvo', 'devolução', 'troca', 'trocar', 'procon',
    'absurdo', 'absurda', 'cancelar o pedido', 'cancelar meu pedido', 'cancelar a compra', 'cancelar minha compra',
    'cancela o pedido', 'cancela meu pedido', 'cancelamento', 'parou de funcionar',
    'enganado', 'enganada', 'golpe', 'fraude', 'descaso', 'vergonha', 'decepcionado', 'decepcionada', 'decepção',
    'insatisfeito', 'insatisfeita', 'mal atendido', 'mal atendida', 'falta de respeito',
    'desrespeito', 'ninguém responde', 'sem resposta', 'processar', 'advogado',
    // en
    'refund', 'money back', 'broken', 'damaged', 'defective', 'never arrived', 'never came', 'didnt arrive',
    'did not arrive', 'hasnt arrived', 'has not arrived', 'not arrived', 'still waiting', 'wrong item', 'wrong size',
    'wrong color', 'wrong order', 'wrong product', 'complaint', 'complain', 'terrible', 'awful', 'horrible', 'worst',
    'scam', 'delayed', 'arrived late', 'return it', 'return this', 'cancel my order', 'cancel the order',
    // es
    'no llegó', 'no ha llegado', 'todavía no llega', 'aún no llega', 'no me llegó', 'llegó roto', 'llegó rota',
    'roto', 'rota', 'defectuoso', 'defectuosa', 'dañado', 'dañada', 'devolución', 'devuelvan', 'queja', 'reclamo',
    'pésimo', 'pésima', 'estafa', 'retraso', 'retrasado', 'mi dinero', 'cancelar el pedido', 'cancelar mi pedido',
    'equivocado', 'equivocada', 'incorrecto',
  ]),
);
