/**
 * Same-run baseline for the sync-cron.jsonl line: the appender the product used before (electron-log
 * with its async file queue, set up as src/core/logging/jsonl-log.ts had it) against the buffered
 * appender of today, timed alternately in the same conditions as on the tracker's hot path: each
 * line after a stretch of item work, caches cold.
 */
import electronLog from 'electron-log/node'
import { join } from 'node:path'
import { createJsonlLog } from '../src/core/logging/jsonl-log'
import { elapsedNs, timingFromNs, type Timing } from './stats'

export interface CronLineComparison {
  previous: Timing
  current: Timing
}

function electronLogAppender(filePath: string): (record: Record<string, unknown>) => void {
  const logger = electronLog.create({ logId: `bench-previous:${filePath}` })
  logger.transports.console.level = false
  const file = logger.transports.file
  file.resolvePathFn = () => filePath
  file.level = 'silly'
  file.maxSize = 10 * 1024 * 1024
  file.transforms = [({ data }) => JSON.stringify(data[0])]
  file.sync = false
  return (record) => logger.info({ timestamp: new Date().toISOString(), ...record })
}

export async function compareCronLines(
  dir: string,
  work: () => void,
  lines = 200,
): Promise<CronLineComparison> {
  const previous = electronLogAppender(join(dir, 'previous-sync-cron.jsonl'))
  const current = createJsonlLog(join(dir, 'current-sync-cron.jsonl'), { sync: false })
  const ns = { previous: [] as number[], current: [] as number[] }
  const record = {
    syncId: 'sync_bench',
    status: 'in_progress',
    progress: 42,
    stage: 'Fetching feeds',
    type: 'full',
    owner: 'bench',
  }
  for (let i = 0; i < lines; i++) {
    for (const which of i % 2 ? (['current', 'previous'] as const) : (['previous', 'current'] as const)) {
      work()
      const t = process.hrtime.bigint()
      if (which === 'previous') previous(record)
      else current.write(record)
      ns[which].push(elapsedNs(t))
      // As on the hot path: the event loop turns between lines, so queued appends go out.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  await current.flush()
  return { previous: timingFromNs(ns.previous), current: timingFromNs(ns.current) }
}
