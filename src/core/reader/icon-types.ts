/**
 * The image types Tidings keeps (sql/014 allows exactly these). Its own module so that the row
 * schemas (rows.ts), which every command that reads the database loads, do not load the favicon
 * fetcher and its HTML parser and charset decoders.
 */
export const ICON_TYPES = ['image/png', 'image/x-icon', 'image/gif', 'image/jpeg', 'image/webp'] as const
export type IconType = (typeof ICON_TYPES)[number]
