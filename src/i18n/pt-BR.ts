/** Portuguese (Brazil): the default language, and the list of every key the other languages must have. */
export const ptBR = {
  'phone.empty': 'informe o telefone',
  'phone.not_a_number': 'não parece um número de telefone',
  'phone.invalid_country': 'código de país desconhecido',
  'phone.too_short': 'número curto demais',
  'phone.too_long': 'número longo demais',
  'phone.missing_area_code': 'falta o DDD (ex.: (11) 91234-5678)',
  'phone.invalid': 'número inexistente',
  'phone.not_mobile': 'não é um celular: o WhatsApp precisa de um número de celular',

  'money.not_a_number': 'valor inválido: use um número como 49.90',
  'money.negative': 'o valor não pode ser negativo',
  'money.too_precise': 'no máximo {digits} casas decimais',
  'money.too_large': 'valor alto demais',
  'currency.unknown': 'moeda desconhecida: use um código ISO 4217 como BRL',

  'date.invalid_format': 'data inválida: use dd/mm/aaaa, dd/mm ou aaaa-mm-dd',
  'date.invalid_date': 'essa data não existe',
  'date.in_future': 'a data está no futuro',
  'date.too_old': 'data antiga demais',
  'datetime.invalid': 'data e hora inválidas: use ISO 8601, como 2026-11-20T14:30:00-03:00',
  'datetime.in_future': 'a data da compra está no futuro',

  'email.invalid': 'e-mail inválido',
  'tag.invalid': 'etiqueta inválida: use letras, números, - ou _ (até 40 caracteres)',
  'text.too_long': 'texto longo demais (máximo {max} caracteres)',
  'text.empty': 'não pode ficar vazio',
  'field.required': 'obrigatório',
  'object.unknown_keys': 'campo desconhecido: {keys} (aceitos: {allowed})',
  'patch.empty': 'nada para alterar: envie name, birthday, email ou tags',

  'error.validation_failed': 'Alguns dados estão inválidos.',
  'error.unauthorized': 'Token de acesso ausente ou inválido. Envie o cabeçalho Authorization: Bearer <token>.',
  'error.not_found': 'Rota não encontrada: {method} {url}',
  'error.customer_not_found': 'Cliente {id} não encontrado.',
  'error.customer_erased': 'Os dados do cliente {id} foram apagados a pedido (LGPD).',
  'error.invalid_json': 'O corpo da requisição não é um JSON válido.',
  'error.unsupported_media_type': 'Tipo de conteúdo não aceito: {type}. Use {expected}.',
  'error.payload_too_large': 'Corpo da requisição grande demais (máximo {limit}).',
  'error.rate_limited': 'Muitas requisições. Tente de novo em {after}.',
  'error.bad_request': 'Requisição inválida: {detail}',
  'error.internal': 'Erro interno. O problema foi registrado no log.',
  'error.invalid_csv': 'Planilha inválida: {detail}',

  'csv.empty_file': 'a planilha está vazia',
  'csv.no_phone_column': 'nenhuma coluna de telefone encontrada (use um cabeçalho como "telefone", "celular", "whatsapp" ou "phone")',
  'csv.unclosed_quote': 'aspas abertas e não fechadas a partir da linha {line}',
  'csv.malformed': 'linha {line}: {detail}',
  'csv.column_count': 'a linha tem {found} colunas, o cabeçalho tem {expected}',
  'csv.field': '{column}: {reason}',
  'csv.consent_value': 'use sim ou não',
  'csv.too_many_rows': 'a planilha tem mais de {max} linhas: divida em arquivos menores',

  'cli.usage': `Uso: fregues <comando>

Comandos:
  import <arquivo.csv> [--dry-run]   importa clientes de uma planilha (vírgula ou ponto e vírgula)
  help                               mostra esta ajuda
  version                            mostra a versão

As variáveis de ambiente (DATA_DIR, DEFAULT_COUNTRY, LOCALE...) são as mesmas do serviço.`,
  'cli.unknown_command': 'Comando desconhecido: {command}',
  'cli.import.missing_file': 'Informe o arquivo: fregues import clientes.csv',
  'cli.import.cannot_read': 'Não consegui ler {file}: {detail}',
  'cli.import.progress': 'Importando |{bar}| {percentage}% | {value}/{total} linhas',
  'cli.import.summary': 'Clientes importados: {imported} (novos: {created}, atualizados: {updated}). Linhas recusadas: {rejected}.',
  'cli.import.dry_run_summary': 'Simulação, nada foi gravado. Clientes que seriam importados: {imported} (novos: {created}, atualizados: {updated}). Linhas recusadas: {rejected}.',
  'cli.import.rejected_row': '  linha {line}: {reason}',
  'cli.import.failed': 'A importação falhou: {detail}',

  'config.invalid': 'Configuração inválida ({count}):',
  'config.PORT': 'deve ser um número inteiro de 1 a 65535',
  'config.HOST': 'deve ser um endereço ou nome de host (ex.: 127.0.0.1 ou 0.0.0.0)',
  'config.DATA_DIR': 'deve ser um caminho de pasta',
  'config.FLOWS_DIR': 'deve ser um caminho de pasta',
  'config.CHANNEL': 'use whatsapp ou simulator',
  'config.ADMIN_TOKEN': 'deve ter ao menos 24 caracteres, sem espaços',
  'config.SHOP_NAME': 'deve ter de 1 a 80 caracteres',
  'config.OWNER_PHONE': 'deve ser um ou mais celulares separados por vírgula, como +5511912345678 ({detail})',
  'config.DEFAULT_COUNTRY': 'deve ser um código de país de duas letras, como BR, PT ou US',
  'config.TIMEZONE': 'deve ser um fuso horário IANA, como America/Sao_Paulo',
  'config.LOCALE': 'use pt-BR, en ou es',
  'config.QUIET_HOURS': 'use HH:MM-HH:MM (ex.: 20:00-09:00) ou off',
  'config.SEND_GAP_SECONDS': 'use MIN-MAX em segundos, com MIN ≤ MAX (ex.: 20-60)',
  'config.DAILY_SEND_CAP': 'deve ser um número inteiro de 1 a 100000',
  'config.HANDOFF_PAUSE_HOURS': 'deve ser um número de horas de 0 a 720',
  'config.WEEKLY_SUMMARY_CRON': 'deve ser uma expressão cron de 5 campos, como "0 8 * * 1"',
  'config.LOG_LEVEL': 'use fatal, error, warn, info, debug, trace ou silent',
  'config.API_RATE_LIMIT': 'deve ser o número de requisições por minuto em /api, de 1 a 1000000',
  'config.TRUST_PROXY': 'use true, false, um número de saltos ou uma lista de IPs/sub-redes',
  'config.CURRENCY': 'deve ser um código de moeda ISO 4217, como BRL',

  'log.token_generated': 'Token de administrador criado em {file} (somente o dono pode ler). Use-o no cabeçalho Authorization: Bearer.',
  'log.token_loaded': 'Token de administrador lido de {file}.',
  'log.listening': 'fregues no ar em {url}',
  'log.shutting_down': 'Encerrando ({signal})...',
} as const;

export type MessageKey = keyof typeof ptBR;
export type Catalog = Record<MessageKey, string>;
