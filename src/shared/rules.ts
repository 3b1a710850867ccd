/** Article rules (sql/028): what the Rules dialog, main and the database agree on. */

export const RULE_FIELDS = ['title', 'author', 'text', 'any'] as const
export const RULE_MATCHES = ['words', 'pattern'] as const
export const RULE_ACTIONS = ['read', 'star', 'hide'] as const
/** Longest words list or pattern (the database bounds it too). */
export const RULE_VALUE_MAX = 200

export type RuleField = (typeof RULE_FIELDS)[number]
export type RuleMatch = (typeof RULE_MATCHES)[number]
export type RuleAction = (typeof RULE_ACTIONS)[number]

export interface ArticleRule {
  id: number
  /** null: every feed. */
  feedId: number | null
  field: RuleField
  match: RuleMatch
  /** Words (any of them, whole, case-insensitive; spaces or commas between) or a regular expression. */
  value: string
  action: RuleAction
  createdAt: string
}

export type RuleInput = Pick<ArticleRule, 'feedId' | 'field' | 'match' | 'value' | 'action'>

export interface AddedRule {
  rule: ArticleRule
  /** Articles already stored that the rule changed when it was created. */
  applied: number
}
