/**
 * Access to `window.api` with readable errors and a time limit: every failure, including main not
 * answering in time, becomes an ApiError with a plain message.
 */
import type { IpcErrorCode, IpcResult, TidingsApi } from '../../../shared/ipc-contract'
import { PollTimeoutError, withTimeout } from '../sync/poll-sync'
import { mainConnection } from './connection'
import { timings } from './timings'

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** First line of a message, without stack frames or "Error invoking remote method" noise. */
export function cleanMessage(raw: string): string {
  const firstLine = raw.split('\n').find((line) => line.trim() && !/^\s*at\s/.test(line)) ?? ''
  return firstLine
    .replace(/^Error invoking remote method '[^']*':\s*/, '')
    .replace(/^(?:[A-Z][A-Za-z]*Error|Error):\s*/, '')
    .trim()
    .slice(0, 500)
}

const CODE_PREFIX: Record<IpcErrorCode, string> = {
  invalid_input: '',
  not_found: '',
  unavailable: 'Tidings’ background process is unavailable',
  failed: '',
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return cleanMessage(error.message) || 'Something went wrong'
  if (typeof error === 'string') return cleanMessage(error) || 'Something went wrong'
  return 'Something went wrong'
}

export function getApi(): TidingsApi {
  const api = (globalThis as { api?: TidingsApi }).api
  if (!api)
    throw new ApiError('unavailable', 'Tidings’ background process is not connected (window.api is missing).')
  return api
}

/**
 * Unwraps an IPC envelope; throws ApiError with a readable message on `ok: false`, on rejection, or
 * when main does not answer within `timeoutMs`. Reports to `mainConnection` whether main answered.
 */
export async function call<T>(
  request: Promise<IpcResult<T>> | (() => Promise<IpcResult<T>>),
  timeoutMs = timings.ipcTimeoutMs,
): Promise<T> {
  let result: IpcResult<T>
  try {
    result = await withTimeout(
      typeof request === 'function' ? request() : request,
      timeoutMs,
      'Tidings’ background process',
    )
  } catch (error) {
    mainConnection.report(false)
    if (error instanceof ApiError) throw error
    if (error instanceof PollTimeoutError) throw new ApiError('unavailable', error.message)
    throw new ApiError('unavailable', `${CODE_PREFIX.unavailable}: ${errorMessage(error)}`)
  }
  if (!result || typeof result !== 'object')
    throw new ApiError('failed', 'Unexpected answer from the background process')
  mainConnection.report(result.ok || result.error?.code !== 'unavailable')
  if (result.ok) return result.data
  const message = cleanMessage(result.error?.message ?? '') || 'The request failed'
  const prefix = CODE_PREFIX[result.error?.code] ?? ''
  throw new ApiError(result.error?.code ?? 'failed', prefix ? `${prefix}: ${message}` : message)
}
