/**
 * "Add feed" with immediate URL validation feedback and the import/export OPML buttons. What is
 * added is fetched at once (fetchNow): the answer names the sync, which the window follows.
 */
import { useId, useRef, useState, type FormEvent, type ReactElement } from 'react'
import type { AddedFeed, FeedCandidate, ImportResult } from '../../../shared/models'
import { plural } from '../../../shared/format'
import { useAccounts } from '../hooks/useAccounts'
import { usePending } from '../hooks/usePending'
import { call, getApi } from '../lib/api'
import { checkFeedUrl } from '../lib/feed-url'
import { feedLabel } from '../../../shared/feed-label'

interface AddProps {
  onAdded(feed: AddedFeed): void
  autoFocus?: boolean
}

export function AddFeedForm({ onAdded, autoFocus }: AddProps): ReactElement {
  const [value, setValue] = useState('')
  const [touched, setTouched] = useState(false)
  const looking = usePending<true>()
  const busy = looking.pending !== null
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<string | null>(null)
  /** Several feeds found at the address: the user picks one. */
  const [choices, setChoices] = useState<FeedCandidate[] | null>(null)
  const inputId = useId()
  // With accounts, the feed may go to one of them: subscribed on its server, which finds the feed.
  const accounts = useAccounts().data ?? []
  const [accountId, setAccountId] = useState<number | null>(null)
  const account = accounts.find((a) => a.id === accountId) ?? null
  const check = checkFeedUrl(value)
  const invalid = touched && value.trim() !== '' && !check.ok

  /** Subscribes to the feed at (or linked from) `url`; several found become a list to pick from. */
  const subscribe = async (url: string): Promise<void> => {
    setError(null)
    setAdded(null)
    await looking.run(
      true,
      async () => {
        const result = await call(() =>
          getApi().feedsDiscover({ url, fetchNow: true, ...(account ? { accountId: account.id } : {}) }),
        )
        if (result.kind === 'choose') {
          setChoices(result.candidates)
          return
        }
        const feed = result.feed
        setChoices(null)
        setValue('')
        setTouched(false)
        setAdded(
          feed.alreadySubscribed
            ? `Already subscribed to ${feedLabel(feed)}.`
            : feed.fetch && 'error' in feed.fetch
              ? `Added ${feedLabel(feed)}, but fetching it could not start: ${feed.fetch.error}`
              : `Added ${feedLabel(feed)} — fetching…`,
        )
        onAdded(feed)
      },
      setError,
    )
  }

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setTouched(true)
    setChoices(null)
    if (!check.ok) {
      setAdded(null)
      setError(check.message)
      return
    }
    await subscribe(check.url)
  }

  const message = error ?? (invalid && !check.ok ? check.message : null)
  return (
    <form className="add-feed" onSubmit={(e) => void submit(e)} noValidate data-testid="add-feed-form">
      <label htmlFor={inputId} className="field-label">
        Feed address
      </label>
      <div className="input-row">
        <input
          id={inputId}
          type="url"
          inputMode="url"
          placeholder="https://example.com/ or its feed address"
          value={value}
          autoFocus={autoFocus}
          aria-invalid={message ? true : undefined}
          aria-describedby={`${inputId}-msg`}
          onChange={(e) => {
            setValue(e.target.value)
            setError(null)
            setAdded(null)
            setChoices(null)
          }}
          onBlur={() => setTouched(true)}
          data-testid="add-feed-url"
        />
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="add-feed-submit">
          {busy ? 'Looking…' : 'Add feed'}
        </button>
      </div>
      {accounts.length > 0 && (
        <div className="input-row">
          <label htmlFor={`${inputId}-to`} className="field-label">
            Add to
          </label>
          <select
            id={`${inputId}-to`}
            value={accountId ?? ''}
            onChange={(e) => setAccountId(e.target.value === '' ? null : Number(e.target.value))}
            data-testid="add-feed-account"
          >
            <option value="">On this computer</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <p
        id={`${inputId}-msg`}
        className={message ? 'field-error' : 'field-ok'}
        aria-live="polite"
        data-testid="add-feed-message"
      >
        {message ?? added ?? (choices ? `This site offers ${choices.length} feeds; pick one:` : '')}
      </p>
      {choices && (
        <ul className="feed-choices" aria-label="Feeds found" data-testid="feed-choices">
          {choices.map((choice, i) => (
            <li key={choice.url}>
              {/* Focus moves to the first feed so the keyboard can pick at once. */}
              <button
                type="button"
                className="btn"
                autoFocus={i === 0}
                disabled={busy}
                onClick={() => void subscribe(choice.url)}
                data-testid="feed-choice"
              >
                {choice.title ?? choice.url}
              </button>
              {choice.title && <code className="feed-choice-url">{choice.url}</code>}
            </li>
          ))}
        </ul>
      )}
    </form>
  )
}

interface OpmlProps {
  onImported(result: ImportResult): void
  onError(message: string, retry?: () => void): void
  /** Only the import button (export lives in the app menu). */
  importOnly?: boolean
  autoFocus?: boolean
}

/** Saves the local subscriptions as an OPML file (a download: Electron asks where to save it). */
export async function downloadOpml(): Promise<void> {
  const { opml } = await call(() => getApi().feedsExport())
  const url = URL.createObjectURL(new Blob([opml], { type: 'text/x-opml;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = `tidings-feeds-${new Date().toISOString().slice(0, 10)}.opml`
  document.body.append(a)
  a.click()
  a.remove()
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function describeImport(result: ImportResult): string {
  const parts = [`Imported ${plural(result.added, 'feed')}`]
  if (result.skipped > 0) parts.push(`${result.skipped} already subscribed`)
  if (result.invalid.length > 0) parts.push(`${result.invalid.length} invalid`)
  return parts.join(', ') + '.'
}

export function OpmlButtons({ onImported, onError, importOnly, autoFocus }: OpmlProps): ReactElement {
  const fileInput = useRef<HTMLInputElement>(null)
  const task = usePending<'import' | 'export'>()
  const busy = task.pending
  const [result, setResult] = useState<ImportResult | null>(null)

  const importFile = async (file: File): Promise<void> => {
    setResult(null)
    await task.run(
      'import',
      async () => {
        if (file.size > 10 * 1024 * 1024)
          throw new Error('That file is larger than 10 MB; is it really an OPML file?')
        const opml = await file.text()
        const imported = await call(() => getApi().feedsImport({ opml, fetchNow: true }))
        setResult(imported)
        onImported(imported)
      },
      (message) => onError(`Import failed: ${message}`),
    )
    // The same file again must fire onChange again.
    if (fileInput.current) fileInput.current.value = ''
  }

  const exportFile = async (): Promise<void> => {
    await task.run('export', downloadOpml, (message) =>
      onError(`Export failed: ${message}`, () => void exportFile()),
    )
  }

  return (
    <div className="opml">
      <div className="button-row">
        <button
          type="button"
          className="btn"
          disabled={busy !== null}
          onClick={() => fileInput.current?.click()}
          autoFocus={autoFocus}
          data-testid="import-opml"
        >
          {busy === 'import' ? 'Importing…' : 'Import OPML…'}
        </button>
        {!importOnly && (
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            onClick={() => void exportFile()}
            data-testid="export-opml"
          >
            {busy === 'export' ? 'Exporting…' : 'Export OPML'}
          </button>
        )}
        <input
          ref={fileInput}
          type="file"
          accept=".opml,.xml,text/xml,text/x-opml,application/xml"
          hidden
          data-testid="import-opml-file"
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (file) void importFile(file)
          }}
        />
      </div>
      {result && (
        <div className="import-result" role="status" data-testid="import-result">
          <p>{describeImport(result)}</p>
          {result.invalid.length > 0 && (
            <ul className="invalid-list">
              {result.invalid.slice(0, 20).map((item, i) => (
                <li key={`${item.url}-${i}`}>
                  <code>{item.url || '(no address)'}</code> — {item.reason}
                </li>
              ))}
              {result.invalid.length > 20 && <li>…and {result.invalid.length - 20} more</li>}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}
