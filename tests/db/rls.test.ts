import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { anonClient, serviceClient, stack } from '../support/clients'

const newSyncId = (): string => `sync_${Date.now().toString(36)}_${randomBytes(16).toString('base64url')}`

describe('row-level security as hosted Supabase enforces it', () => {
  it('lets anon read sync_status but not insert, update or delete it', async () => {
    const admin = serviceClient()
    const anon = anonClient()
    const syncId = newSyncId()
    expect(
      (await admin.from('sync_status').insert({ sync_id: syncId, status: 'in_progress', progress: 10 }))
        .error,
    ).toBeNull()

    const read = await anon.from('sync_status').select('sync_id, progress').eq('sync_id', syncId).single()
    expect(read.error).toBeNull()
    expect(read.data).toEqual({ sync_id: syncId, progress: 10 })

    const insert = await anon.from('sync_status').insert({ sync_id: newSyncId(), status: 'pending' })
    expect(insert.error?.code).toBe('42501')

    const update = await anon.from('sync_status').update({ progress: 99 }).eq('sync_id', syncId).select()
    expect(update.error?.code).toBe('42501')
    const del = await anon.from('sync_status').delete().eq('sync_id', syncId).select()
    expect(del.error?.code).toBe('42501')

    const after = await admin.from('sync_status').select('progress').eq('sync_id', syncId).single()
    expect(after.data?.progress).toBe(10)
  })

  it('lets the service role insert, update and delete sync_status', async () => {
    const admin = serviceClient()
    const syncId = newSyncId()
    expect((await admin.from('sync_status').upsert({ sync_id: syncId, status: 'pending' })).error).toBeNull()
    expect(
      (await admin.from('sync_status').upsert({ sync_id: syncId, status: 'completed', progress: 100 })).error,
    ).toBeNull()
    const row = await admin.from('sync_status').select('status, progress').eq('sync_id', syncId).single()
    expect(row.data).toEqual({ status: 'completed', progress: 100 })
    const del = await admin.from('sync_status').delete().eq('sync_id', syncId).select('sync_id')
    expect(del.data).toHaveLength(1)
  })

  it('constrains status values and sync id shape', async () => {
    const admin = serviceClient()
    expect(
      (await admin.from('sync_status').insert({ sync_id: newSyncId(), status: 'bogus' })).error?.code,
    ).toBe('23514')
    expect(
      (await admin.from('sync_status').insert({ sync_id: '../../etc/passwd', status: 'pending' })).error
        ?.code,
    ).toBe('23514')
  })

  it('keeps anon away from feeds and articles: no reading, no marking read, no writing', async () => {
    const admin = serviceClient()
    const anon = anonClient()
    const feed = await admin
      .from('feeds')
      .insert({ url: `http://127.0.0.1/rls-${randomBytes(4).toString('hex')}.xml?token=secret` })
      .select('id')
      .single()
    expect(feed.error).toBeNull()
    const article = await admin
      .from('articles')
      .insert({
        feed_id: feed.data!.id,
        item_key: 'guid:1',
        title: 'Original',
        published_at: new Date().toISOString(),
      })
      .select('id')
      .single()
    expect(article.error).toBeNull()
    const id = article.data!.id

    expect((await anon.from('feeds').select('url').eq('id', feed.data!.id)).error?.code).toBe('42501')
    expect((await anon.from('articles').select('title').eq('id', id)).error?.code).toBe('42501')
    expect((await anon.from('feed_unread_counts').select('unread_count')).error?.code).toBe('42501')
    expect(
      (
        await anon
          .from('article_state')
          .update({ is_read: true, is_starred: true })
          .eq('article_id', id)
          .select()
      ).error?.code,
    ).toBe('42501')
    expect((await anon.from('articles').update({ title: 'Defaced' }).eq('id', id).select()).error?.code).toBe(
      '42501',
    )
    expect(
      (
        await anon
          .from('articles')
          .insert({ feed_id: feed.data!.id, item_key: 'x', published_at: new Date().toISOString() })
      ).error?.code,
    ).toBe('42501')
    expect((await anon.from('articles').delete().eq('id', id).select()).error?.code).toBe('42501')
    expect(
      (await anon.from('feeds').update({ title: 'x' }).eq('id', feed.data!.id).select()).error?.code,
    ).toBe('42501')

    const row = await admin.from('articles').select('title, is_read, is_starred').eq('id', id).single()
    expect(row.data).toEqual({ title: 'Original', is_read: false, is_starred: false })
  })

  it('keeps anon away from the favicon cache; the service role reads and writes it', async () => {
    const admin = serviceClient()
    const anon = anonClient()
    const origin = `http://rls-${randomBytes(4).toString('hex')}.invalid`
    expect(
      (await admin.from('feed_icons').insert({ origin, content_type: 'image/png', data: 'iVBORw0KGgo=' }))
        .error,
    ).toBeNull()

    expect((await anon.from('feed_icons').select('origin, data').eq('origin', origin)).error?.code).toBe(
      '42501',
    )
    expect((await anon.from('feed_icons').insert({ origin: `${origin}x`, error: 'x' })).error?.code).toBe(
      '42501',
    )
    expect(
      (await anon.from('feed_icons').update({ data: null, content_type: null }).eq('origin', origin).select())
        .error?.code,
    ).toBe('42501')
    expect((await anon.from('feed_icons').delete().eq('origin', origin).select()).error?.code).toBe('42501')
    // Only recognised raster types: an SVG (which can carry script) cannot be stored even by main.
    expect(
      (
        await admin
          .from('feed_icons')
          .insert({ origin: `${origin}9`, content_type: 'image/svg+xml', data: 'PHN2Zz4=' })
      ).error?.code,
    ).toBe('23514')

    expect((await admin.from('feed_icons').select('data').eq('origin', origin).single()).data).toEqual({
      data: 'iVBORw0KGgo=',
    })
    expect((await admin.from('feed_icons').delete().eq('origin', origin).select('origin')).data).toHaveLength(
      1,
    )
  })

  it('runs the 24 h retention function for the service role only', async () => {
    const admin = serviceClient()
    const old = newSyncId()
    const fresh = newSyncId()
    const dayAgo = new Date(Date.now() - 25 * 3600_000).toISOString()
    // Retention goes by the last write (sql/016): this row was made and last written 25 h ago.
    expect(
      (
        await admin
          .from('sync_status')
          .insert({ sync_id: old, status: 'completed', created_at: dayAgo, last_update: dayAgo })
      ).error,
    ).toBeNull()
    expect((await admin.from('sync_status').insert({ sync_id: fresh, status: 'completed' })).error).toBeNull()
    expect((await anonClient().rpc('cleanup_sync_status')).error).not.toBeNull()
    const cleaned = await admin.rpc('cleanup_sync_status')
    expect(cleaned.error).toBeNull()
    expect(cleaned.data).toBeGreaterThanOrEqual(1)
    const left = await admin.from('sync_status').select('sync_id').in('sync_id', [old, fresh])
    expect(left.data?.map((r) => r.sync_id)).toEqual([fresh])
  })

  it('rejects requests without a valid apikey at the gateway', async () => {
    const none = await fetch(`${stack().url}/rest/v1/sync_status`)
    expect(none.status).toBe(401)
    const wrong = await fetch(`${stack().url}/rest/v1/sync_status`, { headers: { apikey: 'not-a-key' } })
    expect(wrong.status).toBe(401)
    const anon = await fetch(`${stack().url}/rest/v1/sync_status?select=sync_id&limit=1`, {
      headers: { apikey: stack().anonKey },
    })
    expect(anon.status).toBe(200)
  })
})
