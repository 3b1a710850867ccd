import { describe, expect, it } from 'vitest'
import { feedLabel } from '../../src/shared/feed-label'
import { maskLogLine, maskUrls } from '../../src/shared/mask-url'

describe('maskUrls', () => {
  it.each([
    ['http://user:secret@example.org/feed', 'http://***@example.org/feed'],
    ['https://TOKEN@example.org/feed', 'https://***@example.org/feed'],
    ['http://u:p@ss@example.org/x?a=1', 'http://***@example.org/x?a=1'],
    ['https://example.org/feed?token=abc&page=2', 'https://example.org/feed?token=***&page=2'],
    [
      'https://example.org/f?key=1&apikey=2&api_key=3&access_token=4&auth=5&password=6&secret=7&sig=8&signature=9',
      'https://example.org/f?key=***&apikey=***&api_key=***&access_token=***&auth=***&password=***&secret=***&sig=***&signature=***',
    ],
    [
      'https://example.org/f?apiKey=1&X-Amz-Signature=2&client_secret=3&to%6Ben=4',
      'https://example.org/f?apiKey=***&X-Amz-Signature=***&client_secret=***&to%6Ben=***',
    ],
    ['https://example.org/f?q=token&monkeys=0#token=x', 'https://example.org/f?q=token&monkeys=0#token=x'],
    ['not a url ?token=abc', 'not a url ?token=***'],
    ['https://example.org/feed.xml', 'https://example.org/feed.xml'],
    [
      'Network error: bad http://u:pw@a.example/x?token=t then https://b.example/?sig=s',
      'Network error: bad http://***@a.example/x?token=*** then https://b.example/?sig=***',
    ],
    // Credentials under other names.
    [
      'https://example.org/f?pw=1&pass=2&pwd=3&passwd=4&session=5&sessionid=6&session_id=7&sid=8&jwt=9&ticket=10',
      'https://example.org/f?pw=***&pass=***&pwd=***&passwd=***&session=***&sessionid=***&session_id=***&sid=***&jwt=***&ticket=***',
    ],
    ['http://127.0.0.1:9/a.xml?key=k1&auth=a2&PW=p3', 'http://127.0.0.1:9/a.xml?key=***&auth=***&PW=***'],
    // Secrets in the path: long token-like segments and UUIDs.
    ['https://example.org/private/a1b2c3d4e5f6a7b8c9d0/feed.xml', 'https://example.org/private/***/feed.xml'],
    [
      'https://feeds.example/p/550e8400-e29b-41d4-a716-446655440000.rss?x=1',
      'https://feeds.example/p/***?x=1',
    ],
    ['https://x.example/rss/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA', 'https://x.example/rss/***'],
    [
      'Key (url)=(http://user:pass@127.0.0.1:9/old.xml?token=secret123) already exists',
      'Key (url)=(http://***@127.0.0.1:9/old.xml?token=***) already exists',
    ],
    // Ordinary addresses stay as they are.
    [
      'https://example.org/2024/01/15/my-great-post-title/feed.xml',
      'https://example.org/2024/01/15/my-great-post-title/feed.xml',
    ],
    [
      'https://blog.example.org/category/internationalization/feed?page=2',
      'https://blog.example.org/category/internationalization/feed?page=2',
    ],
    [
      'https://www.youtube.com/feeds/videos.xml?channel_id=UCabc123&passage=1',
      'https://www.youtube.com/feeds/videos.xml?channel_id=UCabc123&passage=1',
    ],
  ])('%s → %s', (input, masked) => {
    expect(maskUrls(input)).toBe(masked)
  })
})

describe('feedLabel', () => {
  it('names an untitled feed by host and path, with secrets in the path masked', () => {
    expect(
      feedLabel({ title: null, url: 'http://u:p@127.0.0.1:9/private/a1b2c3d4e5f6a7b8c9d0/feed.xml?token=t' }),
    ).toBe('127.0.0.1:9/private/***/feed.xml')
    expect(feedLabel({ title: null, url: 'https://example.org/blog/feed.xml' })).toBe(
      'example.org/blog/feed.xml',
    )
  })
})

describe('maskLogLine (the stack log)', () => {
  it("drops the query string of PostgREST's request lines: they carry what was asked for", () => {
    const line =
      '[postgrest] 127.0.0.1 - postgres [04/Dec/2026:21:00:00 +0000] "GET /feed_unread_counts?select=id&url=eq.http%3A%2F%2Fuser%3Apass%40h%2Fx%3Fpw%3Dabc HTTP/1.1" 400 - "" "node"'
    expect(maskLogLine(line)).toBe(
      '[postgrest] 127.0.0.1 - postgres [04/Dec/2026:21:00:00 +0000] "GET /feed_unread_counts?… HTTP/1.1" 400 - "" "node"',
    )
  })
  it('masks URLs in Postgres lines and leaves other lines alone', () => {
    expect(maskLogLine('[postgres] DETAIL:  Key (url)=(http://user:pass@h/x?pw=abc) already exists.')).toBe(
      '[postgres] DETAIL:  Key (url)=(http://***@h/x?pw=***) already exists.',
    )
    expect(maskLogLine('[postgres] LOG:  database system is ready to accept connections')).toBe(
      '[postgres] LOG:  database system is ready to accept connections',
    )
  })
})
