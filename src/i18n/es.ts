import type { Catalog } from './pt-BR.js';

export const es: Catalog = {
  'phone.empty': 'falta el teléfono',
  'phone.not_a_number': 'no parece un número de teléfono',
  'phone.invalid_country': 'código de país desconocido',
  'phone.too_short': 'número demasiado corto',
  'phone.too_long': 'número demasiado largo',
  'phone.missing_area_code': 'falta el código de área (p. ej. (11) 91234-5678)',
  'phone.invalid': 'el número no existe',
  'phone.not_mobile': 'no es un celular: WhatsApp necesita un número de celular',

  'money.not_a_number': 'importe inválido: use un número como 49.90',
  'money.negative': 'el importe no puede ser negativo',
  'money.too_precise': 'como máximo {digits} decimales',
  'money.too_large': 'importe demasiado alto',
  'currency.unknown': 'moneda desconocida: use un código ISO 4217 como BRL',

  'date.invalid_format': 'fecha inválida: use dd/mm/aaaa, dd/mm o aaaa-mm-dd',
  'date.invalid_date': 'esa fecha no existe',
  'date.in_future': 'la fecha está en el futuro',
  'date.too_old': 'fecha demasiado antigua',
  'datetime.invalid': 'fecha y hora inválidas: use ISO 8601, como 2026-11-20T14:30:00-03:00',
  'datetime.in_future': 'la fecha de la compra está en el futuro',

  'email.invalid': 'correo electrónico inválido',
  'tag.invalid': 'etiqueta inválida: use letras, números, - o _ (hasta 40 caracteres)',
  'text.too_long': 'texto demasiado largo (máximo {max} caracteres)',
  'text.empty': 'no puede quedar vacío',
  'field.required': 'obligatorio',
  'object.unknown_keys': 'campo desconocido: {keys} (aceptados: {allowed})',
  'patch.empty': 'nada que cambiar: envíe name, birthday, email o tags',

  'error.validation_failed': 'Algunos datos no son válidos.',
  'error.unauthorized': 'Falta el token de acceso o no es válido. Envíe el encabezado Authorization: Bearer <token>.',
  'error.not_found': 'Ruta no encontrada: {method} {url}',
  'error.customer_not_found': 'Cliente {id} no encontrado.',
  'error.customer_erased': 'Los datos del cliente {id} fueron borrados a pedido (LGPD).',
  'error.invalid_json': 'El cuerpo de la solicitud no es un JSON válido.',
  'error.unsupported_media_type': 'Tipo de contenido no aceptado: {type}. Use {expected}.',
  'error.payload_too_large': 'Cuerpo de la solicitud demasiado grande (máximo {limit}).',
  'error.rate_limited': 'Demasiadas solicitudes. Intente de nuevo en {after}.',
  'error.bad_request': 'Solicitud inválida: {detail}',
  'error.internal': 'Error interno. El problema quedó registrado.',
  'error.invalid_csv': 'Planilla inválida: {detail}',

  'csv.empty_file': 'la planilla está vacía',
  'csv.no_phone_column': 'no hay columna de teléfono (use un encabezado como "telefono", "celular", "whatsapp" o "phone")',
  'csv.unclosed_quote': 'comillas abiertas y nunca cerradas desde la línea {line}',
  'csv.malformed': 'línea {line}: {detail}',
  'csv.column_count': 'la fila tiene {found} columnas, el encabezado tiene {expected}',
  'csv.field': '{column}: {reason}',
  'csv.consent_value': 'use sí o no',
  'csv.too_many_rows': 'la planilla tiene más de {max} filas: divídala en archivos más pequeños',

  'cli.usage': `Uso: fregues <comando>

Comandos:
  import <archivo.csv> [--dry-run]   importa clientes de una planilla (separada por comas o punto y coma)
  help                               muestra esta ayuda
  version                            muestra la versión

Las variables de entorno (DATA_DIR, DEFAULT_COUNTRY, LOCALE...) son las mismas del servicio.`,
  'cli.unknown_command': 'Comando desconocido: {command}',
  'cli.import.missing_file': 'Indique el archivo: fregues import clientes.csv',
  'cli.import.cannot_read': 'No pude leer {file}: {detail}',
  'cli.import.progress': 'Importando |{bar}| {percentage}% | {value}/{total} filas',
  'cli.import.summary': 'Clientes importados: {imported} (nuevos: {created}, actualizados: {updated}). Filas rechazadas: {rejected}.',
  'cli.import.dry_run_summary': 'Simulación, no se grabó nada. Clientes que se importarían: {imported} (nuevos: {created}, actualizados: {updated}). Filas rechazadas: {rejected}.',
  'cli.import.rejected_row': '  línea {line}: {reason}',
  'cli.import.failed': 'La importación falló: {detail}',

  'config.invalid': 'Configuración inválida ({count}):',
  'config.PORT': 'debe ser un entero de 1 a 65535',
  'config.HOST': 'debe ser una dirección o nombre de host (p. ej. 127.0.0.1 o 0.0.0.0)',
  'config.DATA_DIR': 'debe ser una ruta de carpeta',
  'config.FLOWS_DIR': 'debe ser una ruta de carpeta',
  'config.CHANNEL': 'use whatsapp o simulator',
  'config.ADMIN_TOKEN': 'debe tener al menos 24 caracteres, sin espacios',
  'config.SHOP_NAME': 'debe tener de 1 a 80 caracteres',
  'config.OWNER_PHONE': 'debe ser uno o más celulares separados por comas, como +5511912345678 ({detail})',
  'config.DEFAULT_COUNTRY': 'debe ser un código de país de dos letras, como BR, AR o US',
  'config.TIMEZONE': 'debe ser una zona horaria IANA, como America/Sao_Paulo',
  'config.LOCALE': 'use pt-BR, en o es',
  'config.QUIET_HOURS': 'use HH:MM-HH:MM (p. ej. 20:00-09:00) u off',
  'config.SEND_GAP_SECONDS': 'use MIN-MAX en segundos, con MIN ≤ MAX (p. ej. 20-60)',
  'config.DAILY_SEND_CAP': 'debe ser un entero de 1 a 100000',
  'config.HANDOFF_PAUSE_HOURS': 'debe ser un número de horas de 0 a 720',
  'config.WEEKLY_SUMMARY_CRON': 'debe ser una expresión cron de 5 campos, como "0 8 * * 1"',
  'config.LOG_LEVEL': 'use fatal, error, warn, info, debug, trace o silent',
  'config.API_RATE_LIMIT': 'debe ser el número de solicitudes por minuto en /api, de 1 a 1000000',
  'config.TRUST_PROXY': 'use true, false, un número de saltos o una lista de IP/subredes',
  'config.CURRENCY': 'debe ser un código de moneda ISO 4217, como BRL',

  'log.token_generated': 'Token de administrador creado en {file} (solo su dueño puede leerlo). Úselo en el encabezado Authorization: Bearer.',
  'log.token_loaded': 'Token de administrador leído de {file}.',
  'log.listening': 'fregues en línea en {url}',
  'log.shutting_down': 'Cerrando ({signal})...',
};
