/** The reading pane's text size, width and typeface, re-rendering when they change. */
import { useSyncExternalStore } from 'react'
import { readingStyle, type ReadingStyle } from '../lib/reading-style'

export function useReadingStyle(): ReadingStyle {
  return useSyncExternalStore(readingStyle.subscribe, readingStyle.get)
}
