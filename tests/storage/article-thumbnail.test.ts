import { describe, expect, it } from 'vitest'
import { articleThumbnail } from '../../src/core/storage/article-thumbnail'

const media = (thumbnail: string | null) => ({ enclosures: [], thumbnail, description: null })

describe('articleThumbnail: the list row picture main stores with each article', () => {
  it.each([
    [
      'the Media RSS thumbnail first',
      '<img src="a.jpg">',
      media('https://x.example/t.jpg'),
      'https://x.example/t.jpg',
    ],
    ['else the body’s first image', '<p>x</p><img alt="" src="/a.jpg"><img src="b.jpg">', null, '/a.jpg'],
    ['single quotes', "<img src='a.jpg'>", media(null), 'a.jpg'],
    ['unquoted', '<IMG SRC=a.jpg width=300>', null, 'a.jpg'],
    [
      'a 1×1 tracking pixel is skipped',
      '<img width="1" height="1" src="p.gif"><img src="real.png">',
      null,
      'real.png',
    ],
    [
      'an inline data: image is not stored',
      '<img src="data:image/png;base64,AAAA"><img src="b.png">',
      null,
      'b.png',
    ],
    ['no image', '<p>text only</p>', null, null],
    ['an img without src', '<img alt="x">', null, null],
    ['srcset-only markup has no src', '<img srcset="a.jpg 1x">', null, null],
  ])('%s', (_name, content, itemMedia, expected) => {
    expect(articleThumbnail(content, null, itemMedia)).toBe(expected)
  })

  it('reads the summary when there is no content, and ignores images past the first 20 000 characters', () => {
    expect(articleThumbnail(null, '<img src="s.jpg">', null)).toBe('s.jpg')
    expect(articleThumbnail(`${'x'.repeat(20_000)}<img src="late.jpg">`, null, null)).toBeNull()
  })
})
