import { join } from 'node:path'
import { logsDir } from '../config/paths'

/** The JSONL files under `<dataDir>/logs/`, named as in docs/architecture.md ("Logs"). */
export const syncCronLogPath = (dataDir: string): string => join(logsDir(dataDir), 'sync-cron.jsonl')
export const syncHealthLogPath = (dataDir: string): string => join(logsDir(dataDir), 'sync-health.jsonl')
export const feedFetchLogPath = (dataDir: string): string => join(logsDir(dataDir), 'feed-fetch-calls.jsonl')
/** Human-readable log of the progress subsystem (warnings about storage, recoveries). */
export const progressLogPath = (dataDir: string): string => join(logsDir(dataDir), 'progress.log')
