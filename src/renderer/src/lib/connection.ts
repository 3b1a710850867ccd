/**
 * Whether main answered the renderer's latest call: the health dot turns grey while it does not.
 * Every IPC call made through `call()` reports here.
 */
type Listener = () => void

let reachable = true
const listeners = new Set<Listener>()

export const mainConnection = {
  reachable: (): boolean => reachable,
  report(answered: boolean): void {
    if (answered === reachable) return
    reachable = answered
    listeners.forEach((listener) => listener())
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}
