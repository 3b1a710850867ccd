import { describe, expect, it } from 'vitest'
import { maskUrls } from '../../src/shared/mask-url'

describe('maskUrls', () => {
  it.each([
    ['http://user:secret@example.org/feed', 'http://***@example.org/feed'],
    ['https://TOKEN@example.org/feed', 'https://***@example.org/feed'],
    ['http://u:p@ss@example.org/x?a=1', 'http://***@example.org/x?a=1'],
    ['https://example.org/feed?token=abc&page=2', 'https://example.org/feed?token=***&page=2'],
    ['https://example.org/f?key=1&apikey=2&api_key=3&access_token=4&auth=5&password=6&secret=7&sig=8&signature=9', 'https://example.org/f?key=***&apikey=***&api_key=***&access_token=***&auth=***&password=***&secret=***&sig=***&signature=***'],
    ['https://example.org/f?apiKey=1&X-Amz-Signature=2&client_secret=3&to%6Ben=4', 'https://example.org/f?apiKey=***&X-Amz-Signature=***&client_secret=***&to%6Ben=***'],
    ['https://example.org/f?q=token&monkeys=0#token=x', 'https://example.org/f?q=token&monkeys=0#token=x'],
    ['not a url ?token=abc', 'not a url ?token=***'],
    ['https://example.org/feed.xml', 'https://example.org/feed.xml'],
    ['Network error: bad http://u:pw@a.example/x?token=t then https://b.example/?sig=s', 'Network error: bad http://***@a.example/x?token=*** then https://b.example/?sig=***'],
  ])('%s → %s', (input, masked) => {
    expect(maskUrls(input)).toBe(masked)
  })
})
