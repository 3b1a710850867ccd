/**
 * Settings: preferences only (database, sync interval, keeping read articles and history, keys, reading) and
 * the accounts. Every preference applies the same way: through the one Save, which says "Saved".
 * Feeds have their own places (Add feed, Manage feeds, the app menu).
 */
import { useEffect, useState, type FormEvent, type ReactElement, type ReactNode } from 'react'
import type { PublicSettings } from '../../../shared/ipc-contract'
import { call, errorMessage, getApi } from '../lib/api'
import { listThumbnails, markReadOnOpen, singleKeyShortcuts } from '../lib/preferences'
import { usePending } from '../hooks/usePending'
import { checkFeedUrl } from '../lib/feed-url'
import type { Account } from '../../../shared/accounts'
import {
  KEEP_HISTORY_DAYS_DEFAULT,
  KEEP_HISTORY_DAYS_MAX,
  KEEP_HISTORY_DAYS_MIN,
} from '../../../shared/insights'
import { AccountsSection } from './AccountsSection'
import { Dialog } from './Dialog'
import { RetryableError } from './RetryableError'

interface Props {
  onClose(): void
  /** An account was added (sync it) or removed: its feeds and articles came or went. */
  onAccountAdded(account: Account): void
  onAccountRemoved(account: Account): void
  onSaved(settings: PublicSettings): void
}

type DbMode = 'local' | 'hosted'

export function SettingsDialog({ onClose, onAccountAdded, onAccountRemoved, onSaved }: Props): ReactElement {
  const [loaded, setLoaded] = useState<PublicSettings | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [mode, setMode] = useState<DbMode>('local')
  const [url, setUrl] = useState('')
  const [anonKey, setAnonKey] = useState('')
  const [serviceKey, setServiceKey] = useState('')
  const [intervalText, setIntervalText] = useState('30')
  const [keepText, setKeepText] = useState('90')
  const [historyText, setHistoryText] = useState(String(KEEP_HISTORY_DAYS_DEFAULT))
  const [notify, setNotify] = useState(true)
  const saving = usePending<true>()
  const [formError, setFormError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  // Window preferences are saved with the rest, by Save (the dialog starts from their current values).
  const [singleKeys, setSingleKeys] = useState(() => singleKeyShortcuts.enabled())
  const [readOnOpen, setReadOnOpen] = useState(() => markReadOnOpen.enabled())
  const [thumbnails, setThumbnails] = useState(() => listThumbnails.enabled())
  const [loadAttempt, setLoadAttempt] = useState(0)

  useEffect(() => {
    let alive = true
    call(() => getApi().settingsGet())
      .then((settings) => {
        if (!alive) return
        setLoaded(settings)
        setMode(settings.supabase ? 'hosted' : 'local')
        setUrl(settings.supabase?.url ?? '')
        setAnonKey(settings.supabase?.anonKey ?? '')
        setIntervalText(String(settings.syncIntervalMinutes))
        setKeepText(String(settings.keepReadDays))
        setHistoryText(String(settings.keepHistoryDays))
        setNotify(settings.notifyNewArticles)
      })
      .catch((e: unknown) => alive && setLoadError(errorMessage(e)))
    return () => {
      alive = false
    }
  }, [loadAttempt])

  const dbChanged =
    loaded !== null &&
    (mode === 'local'
      ? loaded.supabase !== null
      : loaded.supabase === null ||
        loaded.supabase.url !== url.trim() ||
        loaded.supabase.anonKey !== anonKey.trim() ||
        serviceKey.trim() !== '')

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setFormError(null)
    setSaved(null)
    const minutes = Number(intervalText)
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
      setFormError(
        'Sync interval must be a whole number of minutes between 0 and 1440 (0 turns background sync off).',
      )
      return
    }
    const keepDays = Number(keepText)
    if (keepText.trim() === '' || !Number.isInteger(keepDays) || keepDays < 0 || keepDays > 3650) {
      setFormError('Keep read articles for a whole number of days between 0 and 3650 (0 keeps them forever).')
      return
    }
    const historyDays = Number(historyText)
    if (
      historyText.trim() === '' ||
      !Number.isInteger(historyDays) ||
      historyDays < KEEP_HISTORY_DAYS_MIN ||
      historyDays > KEEP_HISTORY_DAYS_MAX
    ) {
      setFormError(
        `Keep the sync history for a whole number of days between ${KEEP_HISTORY_DAYS_MIN} and ${KEEP_HISTORY_DAYS_MAX}.`,
      )
      return
    }
    const request: {
      syncIntervalMinutes: number
      keepReadDays: number
      keepHistoryDays: number
      notifyNewArticles: boolean
      supabase?: { url: string; anonKey: string; serviceRoleKey: string } | null
    } = {
      syncIntervalMinutes: minutes,
      keepReadDays: keepDays,
      keepHistoryDays: historyDays,
      notifyNewArticles: notify,
    }
    if (dbChanged) {
      if (mode === 'local') request.supabase = null
      else {
        const check = checkFeedUrl(url)
        if (!url.trim() || !check.ok) {
          setFormError('Enter the project URL, e.g. https://abcdefgh.supabase.co')
          return
        }
        if (!anonKey.trim() || !serviceKey.trim()) {
          setFormError('Both the anon key and the service-role key are needed to switch databases.')
          return
        }
        request.supabase = {
          url: check.url.replace(/\/$/, ''),
          anonKey: anonKey.trim(),
          serviceRoleKey: serviceKey.trim(),
        }
      }
    }
    await saving.run(
      true,
      async () => {
        const next = await call(() => getApi().settingsSet(request))
        singleKeyShortcuts.set(singleKeys)
        markReadOnOpen.set(readOnOpen)
        listThumbnails.set(thumbnails)
        setLoaded(next)
        setServiceKey('')
        // The database connection is opened at start-up; switching it takes a restart.
        setSaved(dbChanged ? 'Settings saved. Restart Tidings to switch databases.' : 'Settings saved.')
        onSaved(next)
      },
      setFormError,
    )
  }

  return (
    <Dialog title="Settings" onClose={onClose} testId="settings-dialog" wide>
      <form className="settings-form" onSubmit={(e) => void save(e)} noValidate>
        <fieldset disabled={!loaded && !loadError}>
          <legend>Database</legend>
          {loadError && (
            <RetryableError
              message={`Could not load settings: ${loadError}`}
              onRetry={() => {
                setLoadError(null)
                setLoadAttempt((n) => n + 1)
              }}
            />
          )}
          <label className="radio">
            <input
              type="radio"
              name="db"
              checked={mode === 'local'}
              onChange={() => setMode('local')}
              data-testid="db-local"
            />
            <span>
              Use local database <span className="muted">(embedded, stored on this computer)</span>
            </span>
          </label>
          <label className="radio">
            <input
              type="radio"
              name="db"
              checked={mode === 'hosted'}
              onChange={() => setMode('hosted')}
              data-testid="db-hosted"
            />
            <span>Use a Supabase project</span>
          </label>
          {mode === 'hosted' && (
            <div className="grid-fields">
              <label>
                <span className="field-label">Project URL</span>
                <input
                  type="url"
                  value={url}
                  placeholder="https://abcdefgh.supabase.co"
                  onChange={(e) => setUrl(e.target.value)}
                  data-testid="supabase-url"
                />
              </label>
              <label>
                <span className="field-label">Anon (public) key</span>
                <input
                  type="text"
                  value={anonKey}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => setAnonKey(e.target.value)}
                  data-testid="supabase-anon"
                />
              </label>
              <label>
                <span className="field-label">Service-role key</span>
                <input
                  type="password"
                  value={serviceKey}
                  autoComplete="off"
                  placeholder={loaded?.supabase ? 'unchanged (stored on this computer only)' : ''}
                  onChange={(e) => setServiceKey(e.target.value)}
                  data-testid="supabase-service"
                />
              </label>
              <p className="muted small">
                The service-role key stays in the background process; the window never sees it again.
              </p>
            </div>
          )}
        </fieldset>

        <fieldset disabled={!loaded && !loadError}>
          <legend>Background sync</legend>
          <NumberSetting
            label="Sync every"
            unit="minutes"
            hint="(0 = off)"
            max={1440}
            value={intervalText}
            onChange={setIntervalText}
            testId="sync-interval"
          />
        </fieldset>

        <fieldset disabled={!loaded && !loadError}>
          <legend>Storage</legend>
          <NumberSetting
            label="Keep read articles for"
            unit="days"
            hint="(0 = forever; unread and starred articles are always kept)"
            max={3650}
            value={keepText}
            onChange={setKeepText}
            testId="keep-read-days"
          />
          <NumberSetting
            label="Keep sync history for"
            unit="days"
            hint="(what Insights shows: syncs, failures, feed health)"
            min={KEEP_HISTORY_DAYS_MIN}
            max={KEEP_HISTORY_DAYS_MAX}
            value={historyText}
            onChange={setHistoryText}
            testId="keep-history-days"
          />
        </fieldset>

        <CheckSetting
          legend="Keyboard"
          checked={singleKeys}
          onChange={setSingleKeys}
          testId="shortcuts-toggle"
        >
          Single-key shortcuts <span className="muted">(j, k, n, m, s, o, r, /, ?)</span>
        </CheckSetting>
        <CheckSetting
          legend="Reading"
          checked={readOnOpen}
          onChange={setReadOnOpen}
          testId="mark-read-on-open-toggle"
        >
          Mark articles read when opened
        </CheckSetting>
        <CheckSetting
          legend="Article list"
          checked={thumbnails}
          onChange={setThumbnails}
          testId="list-thumbnails-toggle"
        >
          Show thumbnails <span className="muted">(the article’s picture or first image)</span>
        </CheckSetting>
        <CheckSetting legend="Notifications" checked={notify} onChange={setNotify} testId="notify-toggle">
          Notify me of new articles after a background sync{' '}
          <span className="muted">(not while Tidings is in front; each feed can opt out in its Edit)</span>
        </CheckSetting>

        <div className="form-footer">
          <p
            className={formError ? 'field-error' : 'field-ok'}
            role={formError ? 'alert' : 'status'}
            data-testid="settings-message"
          >
            {formError ?? saved ?? ''}
          </p>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={saving.pending !== null || !loaded}
            data-testid="settings-save"
          >
            {saving.pending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>

      <AccountsSection onAdded={onAccountAdded} onRemoved={onAccountRemoved} />
    </Dialog>
  )
}

/** A yes/no preference in its own fieldset, saved with the rest. */
function CheckSetting(props: {
  legend: string
  checked: boolean
  onChange(checked: boolean): void
  testId: string
  children: ReactNode
}): ReactElement {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <label className="radio">
        <input
          type="checkbox"
          checked={props.checked}
          onChange={(e) => props.onChange(e.target.checked)}
          data-testid={props.testId}
        />
        <span>{props.children}</span>
      </label>
    </fieldset>
  )
}

/** A whole number from 0 to `max` on one line: label, field, unit and a hint. */
function NumberSetting(props: {
  label: string
  unit: string
  hint: string
  min?: number
  max: number
  value: string
  onChange(value: string): void
  testId: string
}): ReactElement {
  return (
    <label className="inline-field">
      <span>{props.label}</span>
      <input
        type="number"
        min={props.min ?? 0}
        max={props.max}
        step={1}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className="narrow"
        data-testid={props.testId}
      />
      <span>{props.unit}</span>
      <span className="muted small">{props.hint}</span>
    </label>
  )
}
