import electronLog from 'electron-log/node'
import { usePrivateFile } from './private-file'

/** An append-only JSON-lines file: one JSON object per line, so `jq` and `grep` work on it. */
export interface JsonlLog {
  readonly filePath: string
  /** Appends `record` as one line; `timestamp` (ISO) is added when the record has none. */
  write(record: Record<string, unknown>): void
}

/** Rotate at 10 MB (electron-log renames the full file to `<name>.old.jsonl` and starts afresh). */
const MAX_SIZE_BYTES = 10 * 1024 * 1024

const logs = new Map<string, JsonlLog>()

/**
 * Why electron-log and not fs.appendFile: its file transport already does size-based rotation,
 * creates the directory, and serialises writes through one registry per path, so several
 * `createJsonlLog` calls (or modules) on the same file never interleave partial lines. Its output
 * pipeline is a list of transforms; replacing the default ones (template, styles, util.format) with
 * a single `JSON.stringify` makes it write raw JSON lines, nothing else on the line. Writes are
 * synchronous (electron-log's default) so a line logged just before a crash is on disk, except for
 * `sync: false` logs written from a hot path (the sync-cron log, once per progress step: a 281 µs
 * median synchronous append was most of a queued update's cost), whose lines are queued in order and
 * appended asynchronously.
 */
export function createJsonlLog(filePath: string, { sync = true }: { sync?: boolean } = {}): JsonlLog {
  const existing = logs.get(filePath)
  if (existing) return existing
  const logger = electronLog.create({ logId: `jsonl:${filePath}` })
  logger.transports.console.level = false
  const file = logger.transports.file
  usePrivateFile(file, filePath)
  file.level = 'silly'
  file.maxSize = MAX_SIZE_BYTES
  file.transforms = [({ data }) => JSON.stringify(data[0])]
  // Off the hot path where asked: electron-log queues the line and appends it on libuv's pool.
  file.sync = sync
  const log: JsonlLog = {
    filePath,
    write(record) {
      logger.info('timestamp' in record ? record : { timestamp: new Date().toISOString(), ...record })
    },
  }
  logs.set(filePath, log)
  return log
}
