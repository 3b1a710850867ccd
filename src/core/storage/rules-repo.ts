import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import {
  RULE_ACTIONS,
  RULE_FIELDS,
  RULE_MATCHES,
  RULE_VALUE_MAX,
  type AddedRule,
  type ArticleRule,
  type RuleInput,
} from '../../shared/rules'
import { DB_POLICY, DbError, dbQuery } from './data-access'
import { listOf } from './rows'

/** A rule the database refused (an invalid pattern, say): the user's to fix, so invalid_input. */
export class InvalidRuleError extends Error {
  override readonly name = 'InvalidRuleError'
}

const ruleRow = z.object({
  id: z.number().int(),
  feed_id: z.number().int().nullable(),
  field: z.enum(RULE_FIELDS),
  match: z.enum(RULE_MATCHES),
  value: z.string(),
  action: z.enum(RULE_ACTIONS),
  created_at: z.string(),
})
const RULE_COLUMNS = Object.keys(ruleRow.shape).join(',')

const toRule = (row: z.infer<typeof ruleRow>): ArticleRule => ({
  id: row.id,
  feedId: row.feed_id,
  field: row.field,
  match: row.match,
  value: row.value,
  action: row.action,
  createdAt: new Date(row.created_at).toISOString(),
})

/** Checks the database makes (sql/028), said the way a user reads them. */
function refusal(error: DbError): InvalidRuleError | null {
  // 2201B: invalid_regular_expression, with Postgres's reason ("parentheses () not balanced").
  if (error.code === '2201B')
    return new InvalidRuleError(
      `That pattern is not a valid regular expression (${error.message.replace(/^Could not [^:]+: /, '').replace(/^invalid regular expression: /, '')})`,
    )
  if (error.code === '23514') {
    if (error.message.includes('article_rules_no_backrefs'))
      return new InvalidRuleError('Patterns cannot use back-references such as \\1')
    if (error.message.includes('article_rules_words'))
      return new InvalidRuleError('Give at least one word (separate words with spaces or commas)')
    return new InvalidRuleError(`A rule's words or pattern are 1 to ${RULE_VALUE_MAX} characters`)
  }
  // 23503: the feed is gone.
  if (error.code === '23503') return new InvalidRuleError('That feed no longer exists')
  return null
}

export interface RulesRepo {
  /** Every rule, oldest first. */
  list(): Promise<ArticleRule[]>
  /** Saves the rule and applies it once to the articles already stored in its scope. */
  add(input: RuleInput): Promise<AddedRule>
  /** False when there was no such rule. What it did to articles stays. */
  remove(ruleId: number): Promise<boolean>
}

export function createRulesRepo(admin: SupabaseClient): RulesRepo {
  return {
    async list() {
      const rows = await dbQuery(
        admin.from('article_rules').select(RULE_COLUMNS).order('id'),
        'read the rules',
        listOf(ruleRow),
      )
      return rows.map(toRule)
    },

    async add(input) {
      let row: z.infer<typeof ruleRow>
      try {
        row = await dbQuery(
          admin
            .from('article_rules')
            .insert({
              feed_id: input.feedId,
              field: input.field,
              match: input.match,
              value: input.value,
              action: input.action,
            })
            .select(RULE_COLUMNS),
          'save the rule',
          ruleRow,
          { one: 'single' },
        )
      } catch (error) {
        throw (error instanceof DbError && refusal(error)) || error
      }
      // The whole library may be scanned once: the bulk cap, as for mark all read.
      const applied = await dbQuery(
        admin.rpc('apply_rule', { p_rule_id: row.id }),
        'apply the rule to stored articles',
        z.number().int().nullable(),
        { timeoutMs: DB_POLICY.bulkTimeoutMs },
      )
      return { rule: toRule(row), applied: applied ?? 0 }
    },

    async remove(ruleId) {
      const gone = await dbQuery(
        admin.from('article_rules').delete().eq('id', ruleId).select('id'),
        'delete the rule',
        listOf(z.object({ id: z.number().int() })),
      )
      return gone.length > 0
    },
  }
}
