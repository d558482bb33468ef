import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { messageOf } from '../domain/errors.js';
import { systemClock, type Clock } from '../scheduler/clock.js';

/** What a subcommand needs of its process: the environment, the folder it runs in, and (in tests) a clock. */
export interface CommandContext {
  env: Record<string, string | undefined>;
  cwd: string;
  clock?: Clock;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type ParsedOptions<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>>;

export interface StartedCommand<O extends Options, P extends object> {
  values: ParsedOptions<O>['values'];
  /** What the command's `readPositionals` made of them. */
  positionals: P;
  config: Config;
  clock: Clock;
}

/**
 * The start shared by the subcommands that work on the shop's data: the
 * options parsed, the positionals read (`readPositionals` answers the message
 * that says what is wrong with them), the configuration loaded from the
 * environment, the clock chosen. Each step runs only when the one before it
 * passed, so a mistyped command line is reported before a wrong environment.
 * Returns the message for the user when a step refuses.
 */
export function startCommand<const O extends Options, P extends object>(
  args: string[],
  options: O,
  io: CommandContext,
  readPositionals: (positionals: string[]) => P | string,
): StartedCommand<O, P> | string {
  const parsed = parseOptions(args, options);
  if (typeof parsed === 'string') return parsed;
  const positionals = readPositionals(parsed.positionals);
  if (typeof positionals === 'string') return positionals;
  const config = configOf(io);
  if (typeof config === 'string') return config;
  return { values: parsed.values, positionals, config, clock: io.clock ?? systemClock };
}

/** A subcommand's options and positionals, or the message that says what is wrong with them. */
export function parseOptions<const O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true as const, options });
  } catch (error) {
    return messageOf(error);
  }
}

/** The configuration from the environment, or the message that says what is wrong with it. */
export function configOf(io: CommandContext): Config | string {
  try {
    return loadConfig(io.env, io.cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}
