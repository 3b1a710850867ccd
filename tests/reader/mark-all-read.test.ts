import { beforeEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../src/cli/cli-kit'
import { createReadMarks } from '../../src/core/storage/read-marks'
import { countingClient } from '../progress/helpers'
import { feedsCommand } from '../../src/cli/commands/feeds'
import { IpcChannel } from '../../src/shared/ipc-contract'
import { FOLDERED_FEEDS, runCli, seedFeeds, useReaderEnv } from './support'

const env = useReaderEnv()
let feeds: number[]

beforeEach(async () => {
  await env().db.query('truncate feeds, read_marks restart identity cascade')
  feeds = await seedFeeds(env().db, FOLDERED_FEEDS, 5)
})

const unreadByFeed = async (): Promise<number[]> => {
  const { rows } = await env().db.query<{ n: string }>(
    'select count(*) filter (where not a.is_read) as n from feeds f left join articles a on a.feed_id = f.id group by f.id order by f.id',
  )
  return rows.map((r) => Number(r.n))
}
const ask = <C extends IpcChannel>(channel: C, request?: unknown) => env().app.handlers[channel](request)

describe('mark all read, with undo (IPC)', () => {
  it('marks one feed, one folder or everything, and undo restores exactly the rows it changed', async () => {
    // One article already read before: undo must leave it read.
    await env().db.query(
      `update article_state set is_read = true where article_id in (select id from articles where feed_id = $1 and item_key = 'k1')`,
      [feeds[2]],
    )

    const feed = await ask(IpcChannel.ArticlesMarkAllRead, { feedId: feeds[0] })
    expect(feed).toMatchObject({ ok: true, data: { marked: 5, undoToken: expect.any(String) } })
    expect(await unreadByFeed()).toEqual([0, 5, 4, 5])

    const folder = await ask(IpcChannel.ArticlesMarkAllRead, { folder: 'News' })
    expect(folder).toMatchObject({ ok: true, data: { marked: 5 } })
    expect(await unreadByFeed()).toEqual([0, 0, 4, 5])

    const all = await ask(IpcChannel.ArticlesMarkAllRead, {})
    expect(all).toMatchObject({ ok: true, data: { marked: 9 } })
    expect(await unreadByFeed()).toEqual([0, 0, 0, 0])

    // Undo the "everything" call: its 9 rows only, not the folder's nor the one read before.
    const undoAll = await ask(IpcChannel.ArticlesUndoMarkRead, {
      undoToken: (all as { data: { undoToken: string } }).data.undoToken,
    })
    expect(undoAll).toEqual({ ok: true, data: { restored: 9 } })
    expect(await unreadByFeed()).toEqual([0, 0, 4, 5])
    // Once only.
    expect(
      await ask(IpcChannel.ArticlesUndoMarkRead, {
        undoToken: (all as { data: { undoToken: string } }).data.undoToken,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } })

    expect(
      await ask(IpcChannel.ArticlesUndoMarkRead, {
        undoToken: (feed as { data: { undoToken: string } }).data.undoToken,
      }),
    ).toEqual({ ok: true, data: { restored: 5 } })
    expect(await unreadByFeed()).toEqual([5, 0, 4, 5])
  })

  it('rejects a feed and a folder together, and unknown tokens', async () => {
    expect(await ask(IpcChannel.ArticlesMarkAllRead, { feedId: feeds[0], folder: 'News' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(
      await ask(IpcChannel.ArticlesUndoMarkRead, { undoToken: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await unreadByFeed()).toEqual([5, 5, 5, 5])
  })
})

describe('feeds read (CLI)', () => {
  it('--feed, --folder, --all and --undo; bad combinations exit 2', async () => {
    const { stack } = env()
    expect((await runCli(stack, feedsCommand, ['read'])).code).toBe(EXIT.badInput)
    expect((await runCli(stack, feedsCommand, ['read', '--all', '--folder', 'News'])).code).toBe(
      EXIT.badInput,
    )
    expect((await runCli(stack, feedsCommand, ['read', '--feed', 'x'])).code).toBe(EXIT.badInput)

    const byFolder = await runCli(stack, feedsCommand, ['read', '--folder', 'Dev'])
    expect(byFolder).toMatchObject({ code: EXIT.ok, lines: [{ marked: 5, undoToken: expect.any(String) }] })
    expect((await runCli(stack, feedsCommand, ['read', '--feed', String(feeds[3])])).lines[0]).toMatchObject({
      marked: 5,
    })
    expect((await runCli(stack, feedsCommand, ['read', '--all'])).lines[0]).toMatchObject({ marked: 10 })
    expect(await unreadByFeed()).toEqual([0, 0, 0, 0])

    const undo = await runCli(stack, feedsCommand, ['read', '--undo', byFolder.lines[0]!.undoToken as string])
    expect(undo).toMatchObject({ code: EXIT.ok, lines: [{ restored: 5 }] })
    expect(await unreadByFeed()).toEqual([0, 0, 5, 0])
    expect(
      (await runCli(stack, feedsCommand, ['read', '--undo', byFolder.lines[0]!.undoToken as string])).code,
    ).toBe(EXIT.notFound)
  })
})

describe('mark all read in one request', () => {
  // sql/018 marked 1 000 rows a request (the wide articles row made 100 000 rows outlast the 5 s cap);
  // on the narrow state table (sql/023) one statement marks them all, and one undoes them.
  it('2 500 articles: marked in 1 request and undone in 1, exactly those rows', async () => {
    const { db, stack } = env()
    const [big] = await seedFeeds(db, [{ url: 'http://127.0.0.1:9/big.xml', folder: 'Big' }], 2_500)
    await db.query(
      'update article_state set is_read = true where article_id in (select id from articles where feed_id = $1 and item_key in ($2, $3))',
      [big, 'k1', 'k2'],
    )
    const counting = countingClient(stack.url, stack.serviceRoleKey)
    const marks = createReadMarks(counting.client)

    const result = await marks.markAllRead({ folder: 'Big' })
    expect(result.marked).toBe(2_498)
    expect(counting.requests()).toBe(1)
    expect(await unreadByFeed()).toEqual([5, 5, 5, 5, 0])

    expect(await marks.undo(result.undoToken)).toEqual({ restored: 2_498 })
    expect(counting.requests()).toBe(2)
    const { rows } = await db.query<{ n: string }>(
      'select count(*) filter (where a.is_read) as n from articles a where a.feed_id = $1',
      [big],
    )
    expect(Number(rows[0]!.n)).toBe(2) // the two read before stay read
    expect(await marks.undo(result.undoToken)).toBeNull()
  })
})
