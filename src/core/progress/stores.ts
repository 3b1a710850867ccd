import type { Clock } from '../../shared/clock'
import type { Logger } from '../logging/logger'
import type { DbStore } from './db-store'
import type { FileStore } from './file-store'

/** What the periodic progress jobs (health checks, retention) work on: both stores, a log, time. */
export interface ProgressStores {
  fileStore: FileStore
  /** Null when no database is configured. */
  dbStore: DbStore | null
  log: Logger
  now: () => number
  timers: Clock
}
