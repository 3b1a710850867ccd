import { appendFileSync, renameSync, statSync } from 'node:fs'
import { appendFile, rename } from 'node:fs/promises'
import { preparePrivateFile } from './private-file'

/** An append-only JSON-lines file: one JSON object per line, so `jq` and `grep` work on it. */
export interface JsonlLog {
  readonly filePath: string
  /** Appends `record` as one line; `timestamp` (ISO) is added when the record has none. */
  write(record: Record<string, unknown>): void
  /** Resolves once every line written so far is in the file. */
  flush(): Promise<void>
}

/** Rotate at 10 MB: the full file becomes `<name>.old.jsonl` and a fresh one starts. */
const MAX_SIZE_BYTES = 10 * 1024 * 1024

const logs = new Map<string, JsonlLog>()
/** Appends each log's queued lines synchronously: called once, at process exit. */
const exitFlushes = new Set<() => void>()
process.once('exit', () => {
  for (const flushNow of exitFlushes) flushNow()
})

const warn = (filePath: string, error: unknown): void =>
  // A log that cannot be written must not break a sync; say so where someone looks.
  console.warn(`Could not write to ${filePath}: ${error instanceof Error ? error.message : String(error)}`)

/**
 * One log per path, so several callers of the same file share one queue and never interleave.
 *
 * Why not electron-log (used before): even in its async mode each line went through its message
 * pipeline and a `writeFile` of its own, ~250 µs median per line on the tracker's hot path. Here a
 * line is a `JSON.stringify` and an array push; the lines of one event-loop turn go out in one
 * async append, appends chained in order. Logs whose lines must survive a crash right after
 * (`sync: true`, rarely written) are appended synchronously instead. Lines still queued when the
 * process exits are appended synchronously then; an append already handed to the OS is left to it.
 */
export function createJsonlLog(filePath: string, { sync = true }: { sync?: boolean } = {}): JsonlLog {
  const existing = logs.get(filePath)
  if (existing) return existing
  preparePrivateFile(filePath)
  let size = sizeOf(filePath)
  let queued: string[] = []
  let chain: Promise<void> = Promise.resolve()

  /** Rotation is decided when a chunk is handed over, so it stays in order with the appends. */
  const needsRotation = (bytes: number): boolean => {
    const full = size > 0 && size + bytes > MAX_SIZE_BYTES
    size = (full ? 0 : size) + bytes
    return full
  }
  const oldPath = filePath.replace(/(\.jsonl)?$/, '.old.jsonl')
  const writeOptions = { mode: 0o600, encoding: 'utf8' } as const

  const appendNow = (text: string): void => {
    try {
      if (needsRotation(Buffer.byteLength(text))) renameSync(filePath, oldPath)
      appendFileSync(filePath, text, writeOptions)
    } catch (error) {
      warn(filePath, error)
    }
  }

  const handOver = (): void => {
    if (queued.length === 0) return
    const text = queued.join('')
    queued = []
    const rotate = needsRotation(Buffer.byteLength(text))
    chain = chain.then(async () => {
      try {
        if (rotate) await rename(filePath, oldPath)
        await appendFile(filePath, text, writeOptions)
      } catch (error) {
        warn(filePath, error)
      }
    })
  }

  const log: JsonlLog = {
    filePath,
    write(record) {
      const line = `${JSON.stringify('timestamp' in record ? record : { timestamp: new Date().toISOString(), ...record })}\n`
      if (sync) return appendNow(line)
      if (queued.push(line) === 1) setImmediate(handOver)
    },
    flush() {
      handOver()
      return chain
    },
  }
  exitFlushes.add(() => {
    if (queued.length > 0) appendNow(queued.splice(0).join(''))
  })
  logs.set(filePath, log)
  return log
}

function sizeOf(filePath: string): number {
  try {
    return statSync(filePath).size
  } catch {
    return 0
  }
}
