import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../src/cli/cli-kit'
import { feedsCommand } from '../../src/cli/commands/feeds'
import { IpcChannel } from '../../src/shared/ipc-contract'
import { fixtureRoute, startFeedServer, type FeedServer } from '../sync/support'
import { runCli, useReaderEnv } from './support'

const env = useReaderEnv()
const ask = <C extends IpcChannel>(channel: C, request?: unknown) => env().app.handlers[channel](request)
const page = (head: string) => ({
  body: `<!doctype html><html><head><title>Site</title>${head}</head><body></body></html>`,
  contentType: 'text/html',
})
let site: FeedServer
/** A host with only a page: no link, no common path holds a feed. */
let bare: FeedServer

beforeAll(async () => {
  site = await startFeedServer()
  site.set('/atom.xml', fixtureRoute('atom/rss-parser__heise.atom'))
  site.set('/rss.xml', fixtureRoute('rss2/rss-parser__reddit.rss'))
  site.set('/one/', page('<link rel="alternate" type="application/atom+xml" href="../atom.xml">'))
  site.set(
    '/two/',
    page(
      '<link rel="alternate" type="application/atom+xml" href="/atom.xml"><link rel="alternate" type="application/rss+xml" href="/rss.xml">',
    ),
  )
  bare = await startFeedServer()
  bare.set('/', page(''))
})
afterAll(async () => {
  await site?.close()
  await bare?.close()
})
beforeEach(() => env().db.query('truncate feeds restart identity cascade'))

describe('feeds:discover (IPC)', () => {
  it('subscribes to the one feed a page links to, named by its title at once; again says already subscribed', async () => {
    const first = await ask(IpcChannel.FeedsDiscover, { url: site.url('/one/'), folder: 'News' })
    expect(first).toMatchObject({
      ok: true,
      data: {
        kind: 'subscribed',
        feed: {
          url: site.url('/atom.xml'),
          title: 'heise developer neueste Meldungen',
          folder: 'News',
          alreadySubscribed: false,
        },
      },
    })
    expect(await ask(IpcChannel.FeedsDiscover, { url: site.url('/one/') })).toMatchObject({
      ok: true,
      data: { kind: 'subscribed', feed: { id: 1, alreadySubscribed: true } },
    })
    const hits = site.hits()
    expect(await ask(IpcChannel.FeedsDiscover, { url: site.url('/atom.xml') })).toMatchObject({
      ok: true,
      data: { kind: 'subscribed', feed: { id: 1, alreadySubscribed: true } },
    })
    expect(site.hits()).toBe(hits) // a subscribed address is known without fetching it
  })

  it('returns several feeds to pick from and subscribes to none of them', async () => {
    const result = await ask(IpcChannel.FeedsDiscover, { url: site.url('/two/') })
    expect(result).toMatchObject({
      ok: true,
      data: { kind: 'choose', candidates: [{ url: site.url('/atom.xml') }, { url: site.url('/rss.xml') }] },
    })
    expect((await env().db.query('select count(*)::int as n from feeds')).rows[0]).toEqual({ n: 0 })
  })

  it('a page with no feed is invalid input with a clear message', async () => {
    expect(await ask(IpcChannel.FeedsDiscover, { url: bare.url('/') })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^No feed found at /) },
    })
  })
})

describe('feeds add (CLI) discovers', () => {
  it('subscribes from a site URL; several feeds exit 2 listing them', async () => {
    const { stack } = env()
    expect(await runCli(stack, feedsCommand, ['add', site.url('/one/')])).toMatchObject({
      code: EXIT.ok,
      lines: [{ url: site.url('/atom.xml'), title: 'heise developer neueste Meldungen' }],
    })
    const two = await runCli(stack, feedsCommand, ['add', site.url('/two/')])
    expect(two.code).toBe(EXIT.badInput)
    expect(two.lines[0]!.error).toContain(
      `offers 2 feeds; add the one you want:\n  tidings feeds add ${site.url('/atom.xml')}`,
    )
    expect(two.lines[0]!.error).toContain(`tidings feeds add ${site.url('/rss.xml')}`)
    expect(await runCli(stack, feedsCommand, ['add', bare.url('/')])).toMatchObject({
      code: EXIT.badInput,
      lines: [{ error: expect.stringMatching(/No feed found/) }],
    })
  })
})
