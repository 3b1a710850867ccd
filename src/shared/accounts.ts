/** Server accounts (Google Reader API: FreshRSS, Miniflux, others) as the window sees them. */

import type { AccountKind } from './models'

export const ACCOUNT_KINDS = ['greader'] as const satisfies readonly AccountKind[]

/** An account as it crosses the bridge: never its password, which stays in main (one definition, in models.ts). */
export type { Account } from './models'

/** What the add form sends (renderer → main only: no answer ever carries the password). */
export interface AccountInput {
  kind: AccountKind
  baseUrl: string
  username: string
  password: string
  name?: string
}

/** A sign-in that worked: what the server has (unread is null when the server does not say). */
export interface AccountTestResult {
  feeds: number
  unread: number | null
}

/** What removing an account takes out of Tidings (nothing changes on the server). */
export interface AccountRemovalImpact {
  feeds: number
  articles: number
}
