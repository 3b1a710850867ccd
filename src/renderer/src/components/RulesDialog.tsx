/**
 * Rules: mark read, star or hide articles whose title, author or text has some words or matches a
 * pattern, for one feed or every feed. A new rule applies at once to the articles already stored
 * (the dialog says how many) and from then on to every article a sync saves.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent, type ReactElement } from 'react'
import type { Feed } from '../../../shared/models'
import { feedLabel } from '../../../shared/feed-label'
import {
  RULE_VALUE_MAX,
  type ArticleRule,
  type RuleAction,
  type RuleField,
  type RuleMatch,
} from '../../../shared/rules'
import { call, errorMessage, getApi } from '../lib/api'
import { invalidate, queryKeys } from '../lib/query-keys'
import { Dialog } from './Dialog'
import { CloseIcon } from './Icons'
import '../styles/rules.css'

const FIELDS: Record<RuleField, string> = {
  title: 'Title',
  author: 'Author',
  text: 'Text',
  any: 'Title, author or text',
}
const ACTIONS: Record<RuleAction, string> = { read: 'Mark read', star: 'Star', hide: 'Hide' }

const plural = (n: number): string => `${n} existing ${n === 1 ? 'article' : 'articles'}`

/** What the new rule did to the articles already there: "Marked 37 existing articles read". */
export function appliedMessage(action: RuleAction, applied: number): string {
  if (action === 'read') return `Marked ${plural(applied)} read`
  if (action === 'star') return `Starred ${plural(applied)}`
  return `Hid ${plural(applied)}`
}

/** "Hide when the title has the words "sponsored"", as the list says it. */
export function describeRule(rule: Pick<ArticleRule, 'field' | 'match' | 'value' | 'action'>): string {
  const what = rule.field === 'any' ? 'the title, author or text' : `the ${rule.field}`
  const how = rule.match === 'words' ? 'has the words' : 'matches'
  return `${ACTIONS[rule.action]} when ${what} ${how} “${rule.value}”`
}

interface Props {
  feeds: readonly Feed[]
  /** The feed the dialog was opened for; null: every feed. */
  feedId: number | null
  onClose(): void
}

export function RulesDialog({ feeds, feedId, onClose }: Props): ReactElement {
  const client = useQueryClient()
  const rules = useQuery({ queryKey: queryKeys.rules, queryFn: () => call(() => getApi().rulesList()) })
  const [scope, setScope] = useState<string>(feedId === null ? 'all' : String(feedId))
  const [field, setField] = useState<RuleField>('title')
  const [match, setMatch] = useState<RuleMatch>('words')
  const [value, setValue] = useState('')
  const [action, setAction] = useState<RuleAction>('hide')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const feedsById = new Map(feeds.map((f) => [f.id, f]))
  const sortedFeeds = [...feeds].sort((a, b) => feedLabel(a).localeCompare(feedLabel(b)))

  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!value.trim()) {
      setError(match === 'words' ? 'Type the words to look for' : 'Type a pattern')
      return
    }
    setSaving(true)
    setError(null)
    setDone(null)
    try {
      const added = await call(() =>
        getApi().rulesAdd({ feedId: scope === 'all' ? null : Number(scope), field, match, value, action }),
      )
      setDone(appliedMessage(added.rule.action, added.applied))
      setValue('')
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.rules }),
        added.applied > 0 ? invalidate(client, 'manyMarked') : null,
      ])
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }

  const remove = async (rule: ArticleRule): Promise<void> => {
    setError(null)
    setDone(null)
    try {
      await call(() => getApi().rulesRemove({ ruleId: rule.id }))
      await client.invalidateQueries({ queryKey: queryKeys.rules })
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  const scopeName = (rule: ArticleRule): string => {
    if (rule.feedId === null) return 'All feeds'
    const feed = feedsById.get(rule.feedId)
    return feed ? feedLabel(feed) : 'A removed feed'
  }
  const shown = (rules.data ?? []).filter((r) => feedId === null || r.feedId === null || r.feedId === feedId)

  return (
    <Dialog title="Rules" onClose={onClose} testId="rules-dialog" wide>
      <p className="muted small rules-intro">
        Rules apply to new articles as they arrive, and once to the articles already here when you add them.
        Hidden articles stay stored but are not listed or counted.
      </p>
      {rules.error ? (
        <p className="field-error" role="alert">
          Could not load the rules: {errorMessage(rules.error)}
        </p>
      ) : rules.data === undefined ? (
        <p className="muted">Loading rules…</p>
      ) : shown.length === 0 ? (
        <p className="muted rules-empty" data-testid="rules-empty">
          No rules yet.
        </p>
      ) : (
        <ul className="rules-list" aria-label="Rules" data-testid="rules-list">
          {shown.map((rule) => (
            <li key={rule.id} className="rule-row">
              <span className="rule-text" dir="auto">
                {describeRule(rule)}
              </span>
              <span className="rule-scope muted small" dir="auto">
                {scopeName(rule)}
              </span>
              <button
                type="button"
                className="icon-btn"
                aria-label={`Delete rule: ${describeRule(rule)}`}
                title="Delete rule"
                onClick={() => void remove(rule)}
              >
                <CloseIcon size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}

      <form className="rule-form" onSubmit={(e) => void add(e)} noValidate aria-label="New rule">
        <h3 className="rule-form-title">New rule</h3>
        <div className="rule-grid">
          <ChoiceField
            label="Do"
            value={action}
            options={ACTIONS}
            onChange={setAction}
            testId="rule-action"
          />
          <ChoiceField label="When" value={field} options={FIELDS} onChange={setField} testId="rule-field" />
          <label>
            <span className="field-label">Has</span>
            <select
              value={match}
              onChange={(e) => setMatch(e.target.value as RuleMatch)}
              data-testid="rule-match"
            >
              <option value="words">Words</option>
              <option value="pattern">Pattern</option>
            </select>
          </label>
          <label>
            <span className="field-label">In</span>
            <select value={scope} onChange={(e) => setScope(e.target.value)} data-testid="rule-scope">
              <option value="all">All feeds</option>
              {sortedFeeds.map((feed) => (
                <option key={feed.id} value={feed.id}>
                  {feedLabel(feed)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="rule-value">
          <span className="field-label">{match === 'words' ? 'Words' : 'Pattern (regular expression)'}</span>
          <input
            type="text"
            value={value}
            maxLength={RULE_VALUE_MAX}
            dir="auto"
            placeholder={match === 'words' ? 'sponsored, giveaway' : '^\\[ad\\]'}
            aria-invalid={error !== null}
            aria-describedby="rule-hint"
            onChange={(e) => setValue(e.target.value)}
            data-testid="rule-value"
          />
        </label>
        <p id="rule-hint" className="muted small">
          {match === 'words'
            ? 'Whole words, any case; separate them with spaces or commas.'
            : 'Any case; up to 200 characters.'}
        </p>
        <div className="form-footer">
          <p className="field-error" role="alert" data-testid="rule-error">
            {error ?? ''}
          </p>
          <p className="field-ok" role="status" data-testid="rule-done">
            {done ?? ''}
          </p>
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="rule-add">
            {saving ? 'Adding…' : 'Add rule'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

/** One labelled choice of the rule form: the option keys are the rule's values. */
function ChoiceField<K extends string>(props: {
  label: string
  value: K
  options: Record<K, string>
  onChange(value: K): void
  testId: string
}): ReactElement {
  return (
    <label>
      <span className="field-label">{props.label}</span>
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as K)}
        data-testid={props.testId}
      >
        {(Object.entries(props.options) as [K, string][]).map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </select>
    </label>
  )
}
