/**
 * Tiny inline SVG icons (stroke = currentColor). Each is one path: sub-paths start with an
 * absolute M, circles are two arcs, so an icon is a line of data rather than a block of JSX.
 */
import type { ReactElement } from 'react'

type IconProps = { size?: number; className?: string }

function svg(d: string, { size = 16, className }: IconProps, fill = 'none'): ReactElement {
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
      className={className}
    >
      <path d={d} fill={fill} />
    </svg>
  )
}

/** A circle as path data. */
const circle = (cx: number, cy: number, r: number): string =>
  `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`
const icon =
  (...parts: string[]) =>
  (p: IconProps): ReactElement =>
    svg(parts.join(''), p)

export const SyncIcon = icon(
  'M21 12a9 9 0 0 1-15.5 6.2L3 16',
  'M3 12a9 9 0 0 1 15.5-6.2L21 8',
  'M21 3v5h-5',
  'M3 21v-5h5',
)
export const StarIcon = ({ filled, ...p }: IconProps & { filled?: boolean }): ReactElement =>
  svg(
    'm12 3 2.8 5.7 6.2.9-4.5 4.4 1 6.2L12 17.3 6.5 20.2l1-6.2L3 9.6l6.2-.9z',
    p,
    filled ? 'currentColor' : 'none',
  )
export const InboxIcon = icon(
  'M22 12h-6l-2 3h-4l-2-3H2',
  'M5.5 5h13L22 12v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-6z',
)
export const RssIcon = icon('M4 11a9 9 0 0 1 9 9', 'M4 4a16 16 0 0 1 16 16', circle(5, 19, 1))
export const FolderIcon = icon('M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z')
export const GearIcon = icon(
  circle(12, 12, 3),
  'M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z',
)
export const PulseIcon = icon('M22 12h-4l-3 9L9 3l-3 9H2')
export const ChevronDownIcon = icon('m6 9 6 6 6-6')
export const ChevronRightIcon = icon('m9 6 6 6-6 6')
export const CloseIcon = icon('M18 6 6 18', 'M6 6l12 12')
export const ExternalIcon = icon(
  'M15 3h6v6',
  'M10 14 21 3',
  'M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6',
)
export const CheckIcon = icon('M20 6 9 17l-5-5')
export const CheckAllIcon = icon('M18 6 7 17l-5-5', 'M22 10l-7.5 7.5L13 16')
export const AlertIcon = icon(
  'M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
  'M12 9v4',
  'M12 17h.01',
)
export const KeyboardIcon = icon(
  'M4 6h16a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z',
  'M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10',
)
export const SearchIcon = icon(circle(11, 11, 7), 'M21 21l-4.3-4.3')
export const MoreIcon = icon(circle(5, 12, 1), circle(12, 12, 1), circle(19, 12, 1))
/** A sun: Today. */
export const TodayIcon = icon(
  'M8 12a4 4 0 1 0 8 0a4 4 0 1 0-8 0M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4',
)
/** A funnel: rules. */
export const RulesIcon = icon('M3 4h18l-7 8.5V19l-4 2v-8.5z')
/** Headphones: the Podcasts view. */
export const HeadphonesIcon = icon(
  'M3 18v-6a9 9 0 0 1 18 0v6',
  'M21 19a2 2 0 0 1-2 2h-1a2 2 0 0 1-2-2v-3a2 2 0 0 1 2-2h3z',
  'M3 19a2 2 0 0 0 2 2h1a2 2 0 0 0 2-2v-3a2 2 0 0 0-2-2H3z',
)
