import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Exit codes of the CLI contract: 0 ok, 1 operation failed, 2 bad input, 3 not found, 130 cancelled (Ctrl-C, SIGTERM). */
export const EXIT = { ok: 0, failed: 1, badInput: 2, notFound: 3, cancelled: 130 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message)
  }
}

/** Human text by default; with --json one JSON object per line, the last line being the result. */
export interface Output {
  json: boolean
  /** An intermediate event (progress, log). */
  event(data: Record<string, unknown>, human?: string): void
  /** The final answer of the command. */
  result(data: unknown, human: string): void
}

export function createOutput(
  json: boolean,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Output {
  return {
    json,
    event: (data, human) => (json ? write(JSON.stringify(data)) : human !== undefined && write(human)),
    result: (data, human) => write(json ? JSON.stringify(data) : human),
  }
}

export interface CliContext {
  dataDir: string
  sqlDir: string
  env: NodeJS.ProcessEnv
  out: Output
  /** The arguments after the command name (and subcommand, when it has them). */
  argv: string[]
  signal: AbortSignal
}

export interface Command {
  run(ctx: CliContext): Promise<ExitCode | void>
}

/** A command as the CLI lists it, its code loaded only when it runs (see ./commands). */
export interface CommandEntry {
  name: string
  usage: string
  load(): Promise<Command>
}

/** node:util parseArgs (strict by default), with its errors turned into exit-2 bad input. */
export function parseOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.badInput)
  }
}

/** Picks `<command> <sub> …`'s handler; unknown (or inherited, like `constructor`) names are bad input. */
export function pickSubcommand<T>(
  ctx: CliContext,
  command: string,
  table: Record<string, T>,
  listed: string[] = Object.keys(table),
): { handler: T; ctx: CliContext } {
  const [name, ...rest] = ctx.argv
  const handler = name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined
  if (handler === undefined)
    throw new CliError(
      `${command} needs one of: ${listed.join(', ')}${name ? ` (got "${name}")` : ''}`,
      EXIT.badInput,
    )
  return { handler, ctx: { ...ctx, argv: rest } }
}
