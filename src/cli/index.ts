#!/usr/bin/env node
/**
 * Headless Tidings: the same core as the desktop app, without Electron.
 * `npm run -s tidings -- <command> [--json]`
 */
import { sqlDir } from '../core/config/app-root'
import { resolveDataDir } from '../core/config/paths'
import { CliError, createOutput, EXIT, type CommandEntry } from './cli-kit'
import { commands } from './commands'
import { exitWhenSettled } from './exit-when-settled'
import { takeOverTerminationSignals } from '../core/process-signals'
import { setFlagsFromString } from 'node:v8'
import { mark } from './timings'

mark('entry')

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 recompiles its parse function with
 * TurboFan, in the background, once it has run through enough bytes, and Node waits for that
 * compilation when the process exits: 200–500 ms after the output of a `feeds list` over a few
 * hundred feeds (ten times V8's budget, what this was before, was not enough for that). The budget
 * at its maximum keeps llhttp on its baseline (Liftoff) code for good: the sync, which parses the
 * most, fetches as fast either way (600 fetches of 40 KB took the same time on both: parsing HTTP
 * is a sliver of a fetch), and no command waits at exit for a compilation it would never use.
 */
setFlagsFromString('--wasm-tiering-budget=2147483647')

function usage(list: CommandEntry[]): string {
  return ['Usage: tidings <command> [--json]', ...list.map((c) => `  ${c.usage}`)].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  const args = argv.filter((a) => a !== '--json')
  const out = createOutput(json)
  const [name, ...rest] = args
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage(commands)}\n`)
    return name ? EXIT.ok : EXIT.badInput
  }
  const entry = commands.find((c) => c.name === name)
  const fail = (message: string, code: number): number => {
    if (json) process.stdout.write(`${JSON.stringify({ error: message, exitCode: code })}\n`)
    process.stderr.write(`tidings: ${message}\n`)
    if (code === EXIT.badInput) process.stderr.write(`${usage(commands)}\n`)
    return code
  }
  if (!entry) return fail(`unknown command "${name}"`, EXIT.badInput)
  const abort = new AbortController()
  takeOverTerminationSignals(() => abort.abort())
  try {
    const command = await entry.load()
    mark('command loaded')
    const code =
      (await command.run({
        dataDir: resolveDataDir(),
        sqlDir: sqlDir(),
        env: process.env,
        out,
        argv: rest,
        signal: abort.signal,
      })) ?? EXIT.ok
    // A command that gave up because it was told to stop was cancelled, whatever it ran into on the way.
    return code !== EXIT.ok && abort.signal.aborted ? EXIT.cancelled : code
  } catch (error) {
    const code = abort.signal.aborted
      ? EXIT.cancelled
      : error instanceof CliError
        ? error.exitCode
        : EXIT.failed
    return fail(error instanceof Error ? error.message : String(error), code)
  }
}

exitWhenSettled(main(process.argv.slice(2)), EXIT.failed)
