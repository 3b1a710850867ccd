import { createHash } from 'node:crypto'
import type { ArticleToSave } from '../../storage/article-writer'
import type { AccountRecord, AccountsRepo } from '../../storage/accounts-repo'
import type { FeedsRepo } from '../../storage/feeds-repo'
import type { OutboxChange, OutboxRepo } from '../../storage/outbox-repo'
import type { FeedSource, SourceContext } from '../../sync/feed-source'
import { AccountError, type GReaderClient, type RemoteSubscription } from './client'

/** Items asked per page: servers cap it at what they allow and page on with a continuation. */
const PAGE_SIZE = 1_000
/** A continuation that never ends stops here (a million items), and the sync says so. */
const MAX_PAGES = 1_000
const DAY_MS = 86_400_000
/** Unread items fetched by id per sync (see fetchMissing). */
const MISSING_LIMIT = 1_000
/** Changes sent per sync; more wait for the next one (oldest first). */
export const OUTBOX_LIMIT = 50_000

export interface AccountSourceDeps {
  /** The account as stored, with its sync cursor. */
  account: AccountRecord
  /** A client for the account, with its password from the credential store (main only). */
  openClient(): Promise<GReaderClient>
  accounts: Pick<AccountsRepo, 'update'>
  outbox: Pick<OutboxRepo, 'pending' | 'markSent' | 'applyRemoteState' | 'missingItems'>
  feeds: Pick<FeedsRepo, 'upsertAccountFeeds' | 'removeAccountFeedsExcept' | 'listAccountFeeds'>
  /** The first sync fetches every unread item plus the last this-many days (settings: accountHistoryDays). */
  historyDays: number
  pageSize?: number
  maxPages?: number
}

/**
 * A Google Reader API account (FreshRSS, Miniflux, Inoreader…): subscriptions, articles and read
 * state come from the server. In order: sign in; subscriptions (folders are labels; a feed gone
 * from the server goes here too); articles newer than the last crawl time seen (the first sync:
 * unread plus `historyDays`); the outbox of the user's reads and stars; the server's read and
 * starred ids, applied where the user changed nothing since (sql/019). The crawl-time cursor moves
 * only once everything is saved, so a sync that dies midway pages again from where the last
 * complete one ended: items already saved are met again, not duplicated.
 */
export function createAccountSource(deps: AccountSourceDeps): FeedSource {
  const { account } = deps
  return {
    id: `account:${account.id}`,
    name: account.name,
    hasWork: async () => true,
    async run(context) {
      // "Retry now" of some feeds is about feeds on this computer.
      if (context.request.retryOnly) return
      const waitUntil = account.retryAfterUntil ? Date.parse(account.retryAfterUntil) : NaN
      if (waitUntil > context.now().getTime())
        throw new AccountError(
          'rate-limited',
          `${account.name}: the server asked us to wait; retrying after ${clockTime(new Date(waitUntil))}`,
          { retryAfter: new Date(waitUntil) },
        )
      let client: GReaderClient | null = null
      try {
        client = await deps.openClient()
        await syncAccount(deps, client, context)
      } catch (error) {
        if (!context.signal?.aborted) {
          const retryAfter =
            error instanceof AccountError && error.retryAfter ? error.retryAfter.toISOString() : null
          await deps.accounts
            .update(account.id, {
              lastError: error instanceof Error ? error.message : String(error),
              errorCount: account.errorCount + 1,
              retryAfterUntil: retryAfter,
            })
            .catch((recordError: unknown) => context.onError(recordError))
        }
        throw error
      } finally {
        client?.close()
      }
    },
  }
}

async function syncAccount(
  deps: AccountSourceDeps,
  client: GReaderClient,
  context: SourceContext,
): Promise<void> {
  const { account } = deps
  const { stats, signal } = context
  const name = account.name

  context.report('signing-in', 0, 1, undefined, false, `Signing in to ${name}`)
  await context.timed('loadMs', () => client.login())
  signal?.throwIfAborted()

  context.report('subscriptions', 0, 1, undefined, false, `Fetching subscriptions from ${name}`)
  const subscriptions = await context.timed('loadMs', () => client.subscriptions())
  const feedIdOf = await context.timed('loadMs', () => saveSubscriptions(deps, subscriptions, context))
  stats.feeds.total += subscriptions.length
  stats.feeds.processed += subscriptions.length
  context.report('subscriptions', 1, 1, undefined, false, `Fetching subscriptions from ${name}`)
  signal?.throwIfAborted()

  const newest = await context.timed('fetchMs', () => fetchArticles(deps, client, context, feedIdOf))
  signal?.throwIfAborted()

  const sent = await sendOutbox(deps, client, context)
  signal?.throwIfAborted()

  // State is compared with everything saved, the items of this sync included.
  await context.drainSaves()
  const stateText = `Fetching read and starred state from ${name}`
  context.report('state', 0, 1, undefined, false, stateText)
  const [unread, starred] = await Promise.all([client.itemIds('unread'), client.itemIds('starred')])
  // The same sets as last applied, and nothing sent meanwhile: nothing was read or starred anywhere
  // (a change made here is in the outbox, and wins over the server until sent), so nothing to apply.
  let digest = account.stateDigest
  if (unread.truncated || starred.truncated)
    context.onError(new Error(`${name}: too many items to compare read state; it is left as it was`))
  else {
    const now = stateDigest(unread.ids, starred.ids)
    if (now !== account.stateDigest || sent > 0) {
      await fetchMissing(deps, client, context, feedIdOf, unread.ids)
      await deps.outbox.applyRemoteState(account.id, unread.ids, starred.ids)
      digest = now
    }
  }
  context.report('state', 1, 1, undefined, false, stateText)

  await deps.accounts.update(account.id, {
    lastCrawlUsec: newest,
    stateDigest: digest,
    syncedAt: context.now().toISOString(),
    lastError: null,
    errorCount: 0,
    retryAfterUntil: null,
  })
}

/**
 * Unread items the pages did not bring: `ot=` is crawl time on FreshRSS but publication date on
 * Miniflux, so an item crawled late with an older date comes only by its id. At most MISSING_LIMIT
 * a sync (items of feeds not subscribed stay missing and would be asked for every time).
 */
async function fetchMissing(
  deps: AccountSourceDeps,
  client: GReaderClient,
  context: SourceContext,
  feedIdOf: Map<string, number>,
  unreadIds: readonly string[],
): Promise<void> {
  const missing = (await deps.outbox.missingItems(deps.account.id, unreadIds)).slice(0, MISSING_LIMIT)
  if (missing.length === 0) return
  const page = await client.itemsByIds(missing)
  const batch = page.items.flatMap((remote) => {
    const feedId = feedIdOf.get(remote.feedRemoteId)
    return feedId === undefined
      ? []
      : [{ feedId, item: remote.item, remote: { id: remote.id, read: remote.read, starred: remote.starred } }]
  })
  context.stats.articles.total += batch.length
  await context.save(batch)
  await context.drainSaves()
}

/** Saves the account's feeds as the server lists them; returns remote id → our feed id. */
async function saveSubscriptions(
  deps: AccountSourceDeps,
  subscriptions: RemoteSubscription[],
  context: SourceContext,
): Promise<Map<string, number>> {
  const { account } = deps
  const withAddress = subscriptions.filter((s) => s.url ?? s.siteUrl)
  if (withAddress.length < subscriptions.length)
    context.onError(
      new Error(
        `${account.name}: ${subscriptions.length - withAddress.length} subscription(s) without an address skipped`,
      ),
    )
  // A feed removed on the server goes here too, articles and all; first, so a feed the server
  // subscribed again under a new id does not meet its old row's address.
  await deps.feeds.removeAccountFeedsExcept(
    account.id,
    withAddress.map((s) => s.remoteId),
  )
  await deps.feeds.upsertAccountFeeds(
    account.id,
    withAddress.map((s) => ({
      remoteId: s.remoteId,
      url: (s.url ?? s.siteUrl) as string,
      title: s.title,
      siteUrl: s.siteUrl,
      folder: s.folders[0] ?? null,
    })),
  )
  const rows = await deps.feeds.listAccountFeeds(account.id)
  return new Map(rows.map((row) => [row.remoteId, row.id]))
}

/**
 * Pages the reading list: items crawled after the cursor, or on the first sync every unread item
 * plus the last `historyDays`. Returns the newest crawl time seen (the next cursor).
 */
async function fetchArticles(
  deps: AccountSourceDeps,
  client: GReaderClient,
  context: SourceContext,
  feedIdOf: Map<string, number>,
): Promise<string | null> {
  const { account } = deps
  const { stats } = context
  const first = account.lastCrawlUsec === null
  let newest = first ? 0n : BigInt(account.lastCrawlUsec as string)
  const passes = first
    ? [
        { excludeRead: true },
        { newerThanSec: Math.floor((context.now().getTime() - deps.historyDays * DAY_MS) / 1000) },
      ]
    : [{ newerThanSec: Number(newest / 1_000_000n) }]
  // "of about": the server's unread count on a first sync, else what paging shows.
  const unread = first ? await client.unreadCount().catch(() => null) : null
  const seen = new Set<string>()
  let fetched = 0
  let invalid = 0
  let orphans = 0
  const report = (more: boolean): void => {
    const about = Math.max(unread ?? 0, fetched + (more ? (deps.pageSize ?? PAGE_SIZE) : 0))
    const text = `Fetching articles: ${formatCount(fetched)}${more || unread !== null ? ` of about ${formatCount(about)}` : ''}`
    context.report('articles', fetched, about, undefined, false, text)
  }
  context.onSaved(() => report(true))
  report(true)
  for (const pass of passes) {
    let continuation: string | null = null
    let pages = 0
    do {
      const page = await client.itemsPage({ n: deps.pageSize ?? PAGE_SIZE, continuation, ...pass })
      pages += 1
      invalid += page.invalidIds
      const batch: ArticleToSave[] = []
      for (const remote of page.items) {
        if (seen.has(remote.id)) continue
        seen.add(remote.id)
        const crawled = BigInt(remote.crawlTimeUsec)
        if (crawled > newest) newest = crawled
        const feedId = feedIdOf.get(remote.feedRemoteId)
        if (feedId === undefined) {
          orphans += 1
          continue
        }
        batch.push({
          feedId,
          item: remote.item,
          remote: { id: remote.id, read: remote.read, starred: remote.starred },
        })
      }
      fetched += batch.length
      stats.articles.total += batch.length
      await context.save(batch)
      continuation = page.continuation
      report(continuation !== null)
      context.signal?.throwIfAborted()
      if (continuation !== null && pages >= (deps.maxPages ?? MAX_PAGES)) {
        context.onError(
          new Error(
            `${account.name}: stopped after ${pages} pages of articles; the server kept sending more`,
          ),
        )
        break
      }
    } while (continuation !== null)
  }
  if (invalid > 0)
    context.onError(new Error(`${account.name}: ${invalid} item(s) with an id in an unknown form skipped`))
  if (orphans > 0)
    context.onError(new Error(`${account.name}: ${orphans} item(s) of feeds not subscribed skipped`))
  return newest > 0n ? String(newest) : account.lastCrawlUsec
}

/** Sends the outbox; returns how many changes went. */
async function sendOutbox(
  deps: AccountSourceDeps,
  client: GReaderClient,
  context: SourceContext,
): Promise<number> {
  const pending = await deps.outbox.pending(deps.account.id, OUTBOX_LIMIT)
  if (pending.length === 0) return 0
  const text = `Sending ${describeMarks(pending)}`
  context.report('sending', 0, pending.length, undefined, false, text)
  return sendChanges(client, deps.outbox, deps.account.id, pending, (sent) =>
    context.report('sending', sent, pending.length, undefined, false, text),
  )
}

/**
 * Sends the user's reads and stars (the latest value of each) and clears exactly what was sent:
 * a change made meanwhile stays queued. Sent again after a crash before the clearing, a change is
 * harmless (edit-tag sets a state); it is never lost.
 */
export async function sendChanges(
  client: GReaderClient,
  outbox: Pick<OutboxRepo, 'markSent'>,
  accountId: number,
  pending: readonly OutboxChange[],
  onSent?: (sent: number) => void,
): Promise<number> {
  let sent = 0
  for (const [tag, value] of [
    ['read', true],
    ['read', false],
    ['starred', true],
    ['starred', false],
  ] as const) {
    const rows = pending.filter((row) => row.tag === tag && row.value === value)
    if (rows.length === 0) continue
    await client.editTag(
      rows.map((row) => row.itemId),
      tag,
      value ? 'add' : 'remove',
    )
    await outbox.markSent(accountId, rows)
    sent += rows.length
    onSent?.(sent)
  }
  return sent
}

function describeMarks(rows: OutboxChange[]): string {
  const reads = rows.filter((row) => row.tag === 'read').length
  const stars = rows.length - reads
  const parts = [
    ...(reads > 0 ? [`${formatCount(reads)} read mark${reads === 1 ? '' : 's'}`] : []),
    ...(stars > 0 ? [`${formatCount(stars)} star${stars === 1 ? '' : 's'}`] : []),
  ]
  return parts.join(' and ')
}

const formatCount = (n: number): string => n.toLocaleString('en-US').replaceAll(',', ' ')
const clockTime = (date: Date): string =>
  `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`

/** Order-free digest of the two id sets (sha-256 of the sorted ids). */
function stateDigest(unread: readonly string[], starred: readonly string[]): string {
  const hash = createHash('sha256')
  for (const ids of [unread, starred]) {
    for (const id of [...ids].sort()) hash.update(id).update('\n')
    hash.update('|')
  }
  return hash.digest('base64')
}
