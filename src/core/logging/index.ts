export { createJsonlLog, type JsonlLog } from './jsonl-log'
export { createFileLogger, type Logger } from './logger'
export { feedFetchLogPath, progressLogPath, syncCronLogPath, syncHealthLogPath } from './log-files'
