import type { AddedFeed, Feed, FeedEdit } from '../../shared/models'
import { UserFacingError } from '../ipc/handlers'
import { AccountError } from '../sources/greader/client'
import { normalizeFeedUrl } from '../sources/local/feed-url'
import type { FeedsRepo } from '../storage/feeds-repo'
import type { Accounts } from './accounts-service'

/**
 * Subscription changes, wherever the feed lives: a feed of an account is added, renamed, moved and
 * removed on its server first (quickadd, subscription/edit), then here, so the next sync does not
 * undo it and the user's other devices see it; a feed on this computer changes here only.
 */
export interface FeedEditor {
  /** Subscribes the account to `url` on its server, then lists it here. */
  addToAccount(accountId: number, url: string, folder?: string | null): Promise<AddedFeed>
  /** Null when the feed does not exist. */
  update(feedId: number, edit: FeedEdit): Promise<Feed | null>
  remove(feedId: number): Promise<boolean>
}

export function createFeedEditor(deps: { feeds: FeedsRepo; accounts: Pick<Accounts, 'client'> }): FeedEditor {
  const { feeds, accounts } = deps
  /** Runs `work` with the account's client; a server's refusal is the user's to read. */
  async function onServer<T>(
    accountId: number,
    work: (client: Awaited<ReturnType<Accounts['client']>>) => Promise<T>,
  ) {
    const client = await accounts.client(accountId)
    try {
      return await work(client)
    } catch (error) {
      if (error instanceof AccountError) throw new UserFacingError(error.message, 'failed')
      throw error
    } finally {
      client.close()
    }
  }
  const listed = async (feedId: number): Promise<Feed | null> =>
    (await feeds.list()).find((feed) => feed.id === feedId) ?? null

  return {
    async addToAccount(accountId, rawUrl, folder) {
      const url = normalizeFeedUrl(rawUrl)
      const cleanFolder = folder?.trim() || null
      const added = await onServer(accountId, async (client) => {
        const subscribed = await client.quickAdd(url)
        if (cleanFolder)
          await client.editSubscription({
            remoteId: subscribed.remoteId,
            action: 'edit',
            addFolder: cleanFolder,
          })
        return subscribed
      })
      const before = new Set((await feeds.listAccountFeeds(accountId)).map((feed) => feed.remoteId))
      const [saved] = await feeds.upsertAccountFeeds(accountId, [
        { remoteId: added.remoteId, url, title: added.title, siteUrl: null, folder: cleanFolder },
      ])
      const feed = saved ? await listed(saved.id) : null
      if (!feed) throw new UserFacingError(`${url} could not be listed under the account`, 'failed')
      return { ...feed, alreadySubscribed: before.has(added.remoteId) }
    },

    async update(feedId, edit) {
      const remote = await feeds.accountFeed(feedId)
      if (remote) {
        if (edit.url !== undefined)
          throw new UserFacingError(
            'A feed of an account keeps the address its server has: remove it and add the new address instead',
            'invalid_input',
          )
        const title = edit.title === undefined ? undefined : edit.title?.trim() || null
        const folder = edit.folder === undefined ? undefined : edit.folder?.trim() || null
        const moved = folder !== undefined && folder !== remote.folder
        if ((title !== undefined && title !== null) || moved)
          await onServer(remote.accountId, (client) =>
            client.editSubscription({
              remoteId: remote.remoteId,
              action: 'edit',
              ...(title ? { title } : {}),
              ...(moved && folder ? { addFolder: folder } : {}),
              ...(moved && remote.folder ? { removeFolder: remote.folder } : {}),
            }),
          )
      }
      return feeds.update(feedId, edit)
    },

    async remove(feedId) {
      const remote = await feeds.accountFeed(feedId)
      if (remote)
        await onServer(remote.accountId, (client) =>
          client.editSubscription({ remoteId: remote.remoteId, action: 'unsubscribe' }),
        )
      return feeds.remove(feedId)
    },
  }
}
