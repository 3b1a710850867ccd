import { beforeEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../src/cli/cli-kit'
import { feedsCommand } from '../../src/cli/commands/feeds'
import { IpcChannel } from '../../src/shared/ipc-contract'
import { runCli, useReaderEnv } from './support'

const env = useReaderEnv()
const ask = <C extends IpcChannel>(channel: C, request?: unknown) => env().app.handlers[channel](request)

beforeEach(() => env().db.query('truncate feeds restart identity cascade'))

describe('feed naming and editing (IPC)', () => {
  it('says when a URL is already subscribed', async () => {
    expect(await ask(IpcChannel.FeedsAdd, { url: 'http://127.0.0.1:9/a.xml' })).toMatchObject({
      ok: true,
      data: { id: 1, alreadySubscribed: false },
    })
    expect(await ask(IpcChannel.FeedsAdd, { url: 'http://127.0.0.1:9/a.xml' })).toMatchObject({
      ok: true,
      data: { id: 1, alreadySubscribed: true },
    })
  })

  it('renames a feed, moves it between folders and edits its URL; a taken URL is refused', async () => {
    await ask(IpcChannel.FeedsAdd, { url: 'http://127.0.0.1:9/a.xml', folder: 'News' })
    await ask(IpcChannel.FeedsAdd, { url: 'http://127.0.0.1:9/b.xml' })
    expect(await ask(IpcChannel.FeedsUpdate, { feedId: 1, title: 'My feed', folder: 'Dev' })).toMatchObject({
      ok: true,
      data: { id: 1, title: 'My feed', folder: 'Dev' },
    })
    expect(await ask(IpcChannel.FeedsUpdate, { feedId: 1, folder: null })).toMatchObject({
      ok: true,
      data: { folder: null, title: 'My feed' },
    })
    expect(
      await ask(IpcChannel.FeedsUpdate, { feedId: 1, url: 'http://127.0.0.1:9/moved.xml' }),
    ).toMatchObject({ ok: true, data: { url: 'http://127.0.0.1:9/moved.xml' } })
    expect(await ask(IpcChannel.FeedsUpdate, { feedId: 1, url: 'http://127.0.0.1:9/b.xml' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/already subscribed/) },
    })
    expect(await ask(IpcChannel.FeedsUpdate, { feedId: 99, title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(await ask(IpcChannel.FeedsUpdate, { feedId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
  })
})

describe('feeds edit / list (CLI)', () => {
  it('edits title, folder and URL; list shows the URL', async () => {
    const { stack } = env()
    await runCli(stack, feedsCommand, ['add', 'http://127.0.0.1:9/a.xml', '--no-verify'])
    expect((await runCli(stack, feedsCommand, ['edit', '1'])).code).toBe(EXIT.badInput)
    const edited = await runCli(stack, feedsCommand, [
      'edit',
      '1',
      '--title',
      'Renamed',
      '--folder',
      'Dev',
      '--url',
      'http://127.0.0.1:9/c.xml',
    ])
    expect(edited).toMatchObject({
      code: EXIT.ok,
      lines: [{ title: 'Renamed', folder: 'Dev', url: 'http://127.0.0.1:9/c.xml' }],
    })
    expect((await runCli(stack, feedsCommand, ['edit', '1', '--no-folder'])).lines[0]).toMatchObject({
      folder: null,
    })
    expect((await runCli(stack, feedsCommand, ['edit', '7', '--title', 'x'])).code).toBe(EXIT.notFound)
    const added = await runCli(stack, feedsCommand, ['add', 'http://127.0.0.1:9/c.xml', '--no-verify'])
    expect(added.lines[0]).toMatchObject({ alreadySubscribed: true })
  })
})
