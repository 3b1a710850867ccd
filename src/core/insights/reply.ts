import { z } from 'zod'

/** The figures read the whole history: more than an everyday request's 5 s on a big one. */
export const INSIGHTS_TIMEOUT_MS = 30_000

/** Counts and sizes: jsonb numbers (bigint sums arrive as numbers too). */
export const num = z.number()

/** A feed as the figures name it: title and address, turned into its label here (feedLabel). */
export const feedRef = { feedId: z.number().int(), title: z.string().nullable(), url: z.string() }
