import type { IpcEvent, IpcEventPayloads } from '../../shared/ipc-contract'

export type AnyEventListener = <E extends IpcEvent>(event: E, payload: IpcEventPayloads[E]) => void

/** The app core's push channel: progress and health, the moment they change. */
export interface AppEvents {
  on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayloads[E]) => void): () => void
  /** Every event (main forwards them all to the window). */
  onAny(listener: AnyEventListener): () => void
  emit<E extends IpcEvent>(event: E, payload: IpcEventPayloads[E]): void
}

/**
 * A small typed fan-out. Listeners run synchronously on the emitter's path (the tracker's), so
 * one that throws is reported and skipped, never allowed to break a sync.
 */
export function createAppEvents(onListenerError: (error: unknown) => void = () => undefined): AppEvents {
  const listeners = new Set<AnyEventListener>()
  return {
    on(event, listener) {
      return this.onAny((emitted: IpcEvent, payload: unknown) => {
        if (emitted === (event as IpcEvent)) listener(payload as IpcEventPayloads[typeof event])
      })
    },
    onAny(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    emit(event, payload) {
      for (const listener of listeners) {
        try {
          listener(event, payload)
        } catch (error) {
          onListenerError(error)
        }
      }
    },
  }
}
