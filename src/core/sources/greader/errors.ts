export type AccountErrorKind =
  'auth' | 'unreachable' | 'bad-reply' | 'rate-limited' | 'too-large' | 'server' | 'refused'

/**
 * One failure of a sync account's server, worded for the user and prefixed with the server's
 * label ("FreshRSS at 127.0.0.1:8481: …"). Never carries a password or token.
 */
export class AccountError extends Error {
  override name = 'AccountError'
  readonly kind: AccountErrorKind
  /** When the server said it can be asked again (429/503 with Retry-After). */
  retryAfter?: Date
  /** What the user can do about it, shown under the message. */
  hint?: string
  /** The HTTP status, when the failure was one. */
  status?: number

  constructor(
    kind: AccountErrorKind,
    message: string,
    extra: { retryAfter?: Date; hint?: string; status?: number } = {},
  ) {
    super(message)
    this.kind = kind
    if (extra.retryAfter) this.retryAfter = extra.retryAfter
    if (extra.hint) this.hint = extra.hint
    if (extra.status !== undefined) this.status = extra.status
  }
}
