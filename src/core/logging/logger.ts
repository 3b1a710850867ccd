import electronLog from 'electron-log/node'
import { usePrivateFile } from './private-file'

/**
 * The human-readable log the progress code writes to. An interface rather than electron-log itself
 * so tests and the CLI can inject their own sink; electron-log's loggers satisfy it as they are.
 */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void
  info(message: string, meta?: Record<string, unknown>): void
  warn(message: string, meta?: Record<string, unknown>): void
  error(message: string, meta?: Record<string, unknown>): void
}

/**
 * An electron-log logger that writes human lines to `filePath` and warnings to the console. Uses the
 * `electron-log/node` entry so it works the same in plain Node (CLI, tests) and in Electron's main
 * process. One logger per path: electron-log keeps every logger in a global registry keyed by logId.
 */
export function createFileLogger(filePath: string, scope = 'progress'): Logger {
  const logId = `human:${filePath}`
  const existing = humanLoggers.get(logId)
  if (existing) return existing
  const logger = electronLog.create({ logId })
  usePrivateFile(logger.transports.file, filePath)
  logger.transports.file.level = 'info'
  logger.transports.console.level = 'warn'
  const scoped = logger.scope(scope)
  humanLoggers.set(logId, scoped)
  return scoped
}

const humanLoggers = new Map<string, Logger>()
