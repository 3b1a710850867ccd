import { afterEach, describe, expect, it, vi } from 'vitest'
import type { IpcResult } from '../../src/shared/ipc-contract'
import { ApiError, call } from '../../src/renderer/src/lib/api'
import { DEFAULT_RENDERER_TIMINGS } from '../../src/shared/renderer-timings'
import { mainConnection } from '../../src/renderer/src/lib/connection'

afterEach(() => {
  vi.useRealTimers()
  mainConnection.report(true)
})

describe('call(): every IPC call has a time limit', () => {
  it('rejects with a readable "did not answer" error when main never answers, and marks main unreachable', async () => {
    vi.useFakeTimers()
    const never = new Promise<IpcResult<number>>(() => undefined)
    const outcome = call(() => never).then(
      () => 'answered',
      (error: unknown) => error,
    )
    await vi.advanceTimersByTimeAsync(DEFAULT_RENDERER_TIMINGS.ipcTimeoutMs - 1)
    expect(mainConnection.reachable()).toBe(true)
    await vi.advanceTimersByTimeAsync(1)
    const error = await outcome
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('unavailable')
    expect((error as ApiError).message).toMatch(/did not answer within 8 s/)
    expect(mainConnection.reachable()).toBe(false)
  })

  it('marks main reachable again on the next answer and tells subscribers once per change', async () => {
    mainConnection.report(false)
    const changes: boolean[] = []
    const off = mainConnection.subscribe(() => changes.push(mainConnection.reachable()))
    await expect(call(Promise.resolve({ ok: true, data: 1 } as IpcResult<number>))).resolves.toBe(1)
    await expect(
      call(
        Promise.resolve({ ok: false, error: { code: 'not_found', message: 'gone' } } as IpcResult<number>),
      ),
    ).rejects.toThrow('gone')
    off()
    expect(changes).toEqual([true])
  })

  it('an "unavailable" envelope counts as main not answering', async () => {
    await expect(
      call(
        Promise.resolve({
          ok: false,
          error: { code: 'unavailable', message: 'core stopped' },
        } as IpcResult<number>),
      ),
    ).rejects.toThrow(/unavailable: core stopped/)
    expect(mainConnection.reachable()).toBe(false)
  })
})
