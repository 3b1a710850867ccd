import { describe, expect, it } from 'vitest'
import { DEFAULT_READING_STYLE, parseReadingStyle } from '../../src/renderer/src/lib/reading-style'
import { shortcutFor } from '../../src/renderer/src/lib/shortcuts'

const key = (k: string, target: unknown = null) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
})

describe('reading style as stored', () => {
  it('reads back what was saved', () => {
    expect(parseReadingStyle(JSON.stringify({ textSize: 21, width: 'wide', font: 'sans' }))).toEqual({
      textSize: 21,
      width: 'wide',
      font: 'sans',
    })
  })

  it('falls back value by value on anything else', () => {
    expect(parseReadingStyle(null)).toEqual(DEFAULT_READING_STYLE)
    expect(parseReadingStyle('not json')).toEqual(DEFAULT_READING_STYLE)
    expect(parseReadingStyle('[1,2]')).toEqual(DEFAULT_READING_STYLE)
    expect(parseReadingStyle(JSON.stringify({ textSize: 99, width: 'huge', font: 'sans' }))).toEqual({
      ...DEFAULT_READING_STYLE,
      font: 'sans',
    })
    expect(parseReadingStyle(JSON.stringify({ textSize: 13 })).textSize).toBe(17)
    expect(parseReadingStyle(JSON.stringify({ textSize: 24 })).textSize).toBe(24)
    expect(parseReadingStyle(JSON.stringify({ textSize: 14.5 })).textSize).toBe(17)
  })
})

describe('the reader view key', () => {
  it('is v, not while typing', () => {
    expect(shortcutFor(key('v'))).toBe('readerView')
    expect(shortcutFor({ ...key('v'), ctrlKey: true })).toBeNull()
    expect(shortcutFor(key('v', { tagName: 'INPUT', type: 'text' }))).toBeNull()
  })
})
