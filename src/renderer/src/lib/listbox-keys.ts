/**
 * The listbox keys: Up/Down move by one, Home/End go to the ends. Returns the index to select,
 * or null when the key is not a listbox key (or the list is empty). `index` is -1 with no selection.
 */
export function listboxTarget(key: string, index: number, length: number): number | null {
  if (length === 0) return null
  switch (key) {
    case 'ArrowDown':
      return Math.min(length - 1, index + 1)
    case 'ArrowUp':
      return index <= 0 ? 0 : index - 1
    case 'Home':
      return 0
    case 'End':
      return length - 1
    default:
      return null
  }
}
