import type { TestOptions } from 'vitest'

declare module 'vitest' {
  interface TaskMeta {
    /** Why a test or suite is skipped on this machine; the summary reporter lists it by name. */
    skipReason?: string
  }
}

/**
 * Options for describe()/it(): skip when `reason` is given, and carry the reason to the summary, so
 * a test never goes missing silently (`describe.skipIf` records no reason).
 */
export function skipWhen(reason: string | null | false): TestOptions {
  return reason ? { skip: true, meta: { skipReason: reason } } : {}
}
