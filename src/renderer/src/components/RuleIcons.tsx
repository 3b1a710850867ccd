/** Icons of the rules and Today entries (kept out of Icons.tsx, which several features share). */
import type { ReactElement } from 'react'

function icon(d: string, size: number): ReactElement {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={d} />
    </svg>
  )
}

/** A sun: Today. */
export const TodayIcon = ({ size = 16 }: { size?: number }): ReactElement =>
  icon(
    'M8 12a4 4 0 1 0 8 0a4 4 0 1 0-8 0M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4',
    size,
  )

/** A funnel: rules. */
export const RulesIcon = ({ size = 16 }: { size?: number }): ReactElement =>
  icon('M3 4h18l-7 8.5V19l-4 2v-8.5z', size)
