import type { z } from 'zod'

/**
 * How every request of the core to the database behaves (feeds, articles, sync_status, lease):
 * no automatic retries — postgrest-js would retry GETs for 7 s on a 503 or a refused connection,
 * and each caller already has its own answer to an outage (fail the sync, fall back to the status
 * file, queue the write) — and a cap per request, so a hung connection counts as a failure.
 * Bulk article writes carry a few MB, so they get a longer cap.
 */
export const DB_POLICY = { retry: false, timeoutMs: 5_000, bulkTimeoutMs: 30_000 } as const

/**
 * Rows per request of a bulk write (an OPML import, mark all read and its undo): postgrest-js builds
 * an upsert's column list in time quadratic in its rows (10 000 rows took 1.1 s, 40 000 16 s), and
 * each request must stay well under DB_POLICY's cap. Article batches are smaller still
 * (ARTICLE_BATCH_SIZE: their rows carry whole articles).
 */
export const BULK_CHUNK_ROWS = 1_000

/** A database request failed; the message reads on its own ("Could not <what>: <reason>"). */
export class DbError extends Error {
  override readonly name = 'DbError'
  constructor(
    what: string,
    reason: string,
    /** HTTP status from PostgREST or the gateway; 0 when no response came (network, timeout). */
    readonly status: number,
    /** Postgres / PostgREST error code ('' when none), e.g. 23505 for a unique violation. */
    readonly code: string,
  ) {
    super(`Could not ${what}: ${reason}`)
  }

  /** Network failures (status 0), timeouts, throttling and 5xx from the gateway are transient. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500
  }
}

/** What a supabase-js query, filter or rpc builder resolves to (the parts we read). */
interface PostgrestReply {
  data: unknown
  error: { message: string; code?: string } | null
  status: number
  /** With select(…, { count: 'exact' }): the number of matching rows. */
  count?: number | null
}

/** A supabase-js query, filter or rpc builder: awaitable, with per-request retry and abort controls. */
export interface DbRequest extends PromiseLike<PostgrestReply> {
  retry(enabled: boolean): this
  abortSignal(signal: AbortSignal): this
  single(): PromiseLike<PostgrestReply>
  maybeSingle(): PromiseLike<PostgrestReply>
}

export interface RequestOptions {
  /** One row rather than an array: exactly one ('single') or one or none ('maybe', null when none). */
  one?: 'single' | 'maybe'
  /** The caller's own cancellation (a cancelled sync), combined with the policy's timeout. */
  signal?: AbortSignal
  timeoutMs?: number
}

async function send(request: DbRequest, what: string, options: RequestOptions): Promise<PostgrestReply> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DB_POLICY.timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  const ready = request.retry(DB_POLICY.retry).abortSignal(signal)
  const reply = await (options.one === 'single'
    ? ready.single()
    : options.one === 'maybe'
      ? ready.maybeSingle()
      : ready)
  if (reply.error) {
    const timedOut = timeout.aborted && !options.signal?.aborted
    throw new DbError(
      what,
      timedOut ? 'the database did not answer in time' : reply.error.message,
      reply.status,
      reply.error.code ?? '',
    )
  }
  return reply
}

/**
 * Sends `request` under DB_POLICY and checks what came back against `schema`, so a row that does not
 * have the shape the code relies on is an error here rather than an `undefined` somewhere later.
 */
export async function dbQuery<S extends z.ZodType>(
  request: DbRequest,
  what: string,
  schema: S,
  options: RequestOptions = {},
): Promise<z.infer<S>> {
  const reply = await send(request, what, options)
  const parsed = schema.safeParse(reply.data)
  if (!parsed.success)
    throw new DbError(
      what,
      `unexpected reply from the database (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      reply.status,
      '',
    )
  return parsed.data
}

/** Sends a request whose reply carries no data the caller reads (updates without select). */
export async function dbCommand(
  request: DbRequest,
  what: string,
  options: RequestOptions = {},
): Promise<void> {
  await send(request, what, options)
}

/** Sends a select made with `{ count: 'exact', head: true }` and returns the number of rows it matched. */
export async function dbCount(
  request: DbRequest,
  what: string,
  options: RequestOptions = {},
): Promise<number> {
  const reply = await send(request, what, options)
  if (typeof reply.count !== 'number')
    throw new DbError(what, 'unexpected reply from the database (no row count)', reply.status, '')
  return reply.count
}
