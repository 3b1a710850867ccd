/** Settings → Accounts: the server accounts, adding one (signed in and tested first) and removing one. */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactElement } from 'react'
import type { Account, AccountRemovalImpact } from '../../../shared/accounts'
import { useAccounts } from '../hooks/useAccounts'
import { usePending } from '../hooks/usePending'
import {
  accountStatusText,
  checkAccountForm,
  removalConfirmText,
  serverKind,
  SERVER_KINDS,
  testResultText,
  type AccountFormField,
  type AccountFormFields,
  type ServerKindId,
} from '../lib/accounts'
import { call, errorMessage, getApi } from '../lib/api'
import { RetryableError } from './RetryableError'

/** Signing in goes out to the user's server, which may be slow: longer than a local request. */
const SIGN_IN_TIMEOUT_MS = 60_000

interface Props {
  /** The account is saved: refresh feeds and accounts, and sync it. */
  onAdded(account: Account): void
  onRemoved(account: Account): void
}

/** "https://rss.example.org/api/greader.php" → "rss.example.org/api/greader.php", for the list. */
const shortAddress = (baseUrl: string): string => baseUrl.replace(/^https?:\/\//, '').replace(/\/$/, '')

export function AccountsSection({ onAdded, onRemoved }: Props): ReactElement {
  const accounts = useAccounts()
  const [adding, setAdding] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const headingId = useId()
  const addButton = useRef<HTMLButtonElement>(null)

  return (
    <section className="settings-accounts" aria-labelledby={headingId} data-testid="accounts-section">
      <h3 id={headingId}>Accounts</h3>
      <p className="muted small">
        Feeds, articles and read state from your FreshRSS, Miniflux or other Google Reader API server.
      </p>
      {accounts.error && (
        <RetryableError
          message={`Could not load accounts: ${errorMessage(accounts.error)}`}
          onRetry={() => void accounts.refetch()}
          testId="accounts-error"
        />
      )}
      {accounts.data && accounts.data.length > 0 && (
        <ul className="feed-manage-list" aria-label="Accounts" data-testid="account-list">
          {accounts.data.map((account) => (
            <AccountRow
              key={account.id}
              account={account}
              onRemoved={(removed) => {
                setNotice(`Removed ${removed.name}.`)
                onRemoved(removed)
                // Its row, and the button that had focus, are gone: focus goes on, not to the page.
                requestAnimationFrame(() => addButton.current?.focus())
              }}
            />
          ))}
        </ul>
      )}
      <p className="field-ok" role="status" data-testid="accounts-message">
        {notice ?? ''}
      </p>
      {adding ? (
        <AccountForm
          onCancel={() => {
            setAdding(false)
            // Focus returns to where the form was opened from.
            requestAnimationFrame(() => addButton.current?.focus())
          }}
          onAdded={(account) => {
            setAdding(false)
            setNotice(`Added ${account.name}. Its feeds arrive with the sync that has started.`)
            onAdded(account)
          }}
        />
      ) : (
        <div className="button-row">
          <button
            ref={addButton}
            type="button"
            className="btn"
            onClick={() => {
              setNotice(null)
              setAdding(true)
            }}
            data-testid="account-add-open"
          >
            Add account
          </button>
        </div>
      )}
    </section>
  )
}

function AccountRow({
  account,
  onRemoved,
}: {
  account: Account
  onRemoved(account: Account): void
}): ReactElement {
  /** What removing takes with it, once asked: the confirmation is showing. */
  const [impact, setImpact] = useState<AccountRemovalImpact | null>(null)
  const [error, setError] = useState<string | null>(null)
  const task = usePending<'impact' | 'remove'>()
  const confirmId = useId()
  const removeButton = useRef<HTMLButtonElement>(null)
  const keepButton = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (impact) keepButton.current?.focus()
  }, [impact])

  const ask = (): Promise<void> => {
    setError(null)
    return task.run(
      'impact',
      async () => setImpact(await call(() => getApi().accountsRemovalImpact({ accountId: account.id }))),
      setError,
    )
  }
  const remove = (): Promise<void> => {
    setError(null)
    return task.run(
      'remove',
      async () => {
        await call(() => getApi().accountsRemove({ accountId: account.id }))
        setImpact(null)
        onRemoved(account)
      },
      setError,
    )
  }
  const keep = (): void => {
    setImpact(null)
    requestAnimationFrame(() => removeButton.current?.focus())
  }

  return (
    <li className="account-row" data-testid="account" data-account-id={account.id}>
      <div className="account-line">
        <div className="feed-manage-text">
          <span className="feed-manage-title" dir="auto">
            {account.name}
          </span>
          <span className="muted small feed-manage-url">
            {shortAddress(account.baseUrl)} · {account.username}
          </span>
          <span
            className={account.lastError ? 'field-error small' : 'muted small'}
            data-testid="account-status"
          >
            {accountStatusText(account)}
          </span>
        </div>
        <button
          ref={removeButton}
          type="button"
          className="btn btn-small btn-danger"
          aria-label={`Remove ${account.name}…`}
          aria-expanded={impact !== null}
          aria-controls={impact ? confirmId : undefined}
          disabled={task.pending !== null}
          onClick={() => void ask()}
          data-testid="account-remove"
        >
          {task.pending === 'impact' ? 'Checking…' : 'Remove…'}
        </button>
      </div>
      {impact && (
        <div
          id={confirmId}
          className="account-confirm"
          role="group"
          aria-label={`Remove ${account.name}`}
          data-testid="account-remove-confirm"
        >
          <p data-testid="account-remove-text">{removalConfirmText(account, impact)}</p>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-danger"
              disabled={task.pending !== null}
              onClick={() => void remove()}
              data-testid="account-remove-confirm-button"
            >
              {task.pending === 'remove' ? 'Removing…' : `Remove ${account.name}`}
            </button>
            <button ref={keepButton} type="button" className="btn" onClick={keep}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  )
}

const EMPTY_FORM: AccountFormFields = {
  server: 'freshrss',
  baseUrl: '',
  username: '',
  password: '',
  name: '',
}

function AccountForm({
  onAdded,
  onCancel,
}: {
  onAdded(account: Account): void
  onCancel(): void
}): ReactElement {
  const [fields, setFields] = useState<AccountFormFields>(EMPTY_FORM)
  const [problem, setProblem] = useState<{ field: AccountFormField | null; message: string } | null>(null)
  const [signedIn, setSignedIn] = useState<string | null>(null)
  const task = usePending<'test' | 'add'>()
  const id = useId()
  const kind = serverKind(fields.server)
  const baseUrlRef = useRef<HTMLInputElement>(null)
  const usernameRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)
  const nameRef = useRef<HTMLInputElement>(null)

  const change = (field: keyof AccountFormFields, value: string): void => {
    setFields((current) => ({ ...current, [field]: value }))
    setProblem(null)
    setSignedIn(null)
  }

  /** The checked request, or null after pointing at the field to fix. */
  const checked = (): ReturnType<typeof checkAccountForm> | null => {
    const check = checkAccountForm(fields)
    if (check.ok) return check
    setProblem({ field: check.field, message: check.message })
    const input = { baseUrl: baseUrlRef, username: usernameRef, password: passwordRef, name: nameRef }[
      check.field
    ]
    input.current?.focus()
    return null
  }
  const failed = (message: string): void => setProblem({ field: null, message })

  const test = async (): Promise<void> => {
    setSignedIn(null)
    const check = checked()
    if (!check?.ok) return
    await task.run(
      'test',
      async () => {
        const result = await call(() => getApi().accountsTest(check.input), SIGN_IN_TIMEOUT_MS)
        setSignedIn(testResultText(result))
      },
      failed,
    )
  }

  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSignedIn(null)
    const check = checked()
    if (!check?.ok) return
    await task.run(
      'add',
      async () => {
        const account = await call(() => getApi().accountsAdd(check.input), SIGN_IN_TIMEOUT_MS)
        // The password is main's now; the window keeps no copy.
        setFields(EMPTY_FORM)
        onAdded(account)
      },
      failed,
    )
  }

  const invalid = (field: AccountFormField): true | undefined => (problem?.field === field ? true : undefined)
  const busy = task.pending !== null
  const message = problem?.message ?? signedIn ?? (task.pending === 'test' ? 'Signing in…' : '')

  return (
    <form
      className="account-form"
      onSubmit={(e) => void add(e)}
      noValidate
      aria-label="Add account"
      data-testid="account-form"
    >
      <fieldset className="account-kinds">
        <legend className="field-label">Server</legend>
        {SERVER_KINDS.map((k) => (
          <label key={k.id} className="radio">
            <input
              type="radio"
              name={`${id}-server`}
              value={k.id}
              checked={fields.server === k.id}
              onChange={() => change('server', k.id satisfies ServerKindId)}
              data-testid={`account-kind-${k.id}`}
            />
            <span>{k.label}</span>
          </label>
        ))}
      </fieldset>
      <div className="grid-fields account-fields">
        <div className="account-field">
          <label htmlFor={`${id}-url`} className="field-label">
            Server address
          </label>
          <input
            id={`${id}-url`}
            ref={baseUrlRef}
            type="url"
            inputMode="url"
            value={fields.baseUrl}
            placeholder={
              kind.id === 'miniflux' ? 'https://your.server/' : 'https://your.server/api/greader.php'
            }
            autoComplete="url"
            spellCheck={false}
            aria-invalid={invalid('baseUrl')}
            aria-describedby={`${id}-address-hint ${id}-message`}
            onChange={(e) => change('baseUrl', e.target.value)}
            data-testid="account-url"
          />
          <span id={`${id}-address-hint`} className="muted small">
            {kind.addressHint}
          </span>
        </div>
        <div className="account-field">
          <label htmlFor={`${id}-user`} className="field-label">
            User name
          </label>
          <input
            id={`${id}-user`}
            ref={usernameRef}
            type="text"
            value={fields.username}
            autoComplete="username"
            spellCheck={false}
            aria-invalid={invalid('username')}
            aria-describedby={`${id}-message`}
            onChange={(e) => change('username', e.target.value)}
            data-testid="account-username"
          />
        </div>
        <div className="account-field">
          <label htmlFor={`${id}-password`} className="field-label">
            API password
          </label>
          <input
            id={`${id}-password`}
            ref={passwordRef}
            type="password"
            value={fields.password}
            autoComplete="off"
            aria-invalid={invalid('password')}
            aria-describedby={`${id}-password-hint ${id}-message`}
            onChange={(e) => change('password', e.target.value)}
            data-testid="account-password"
          />
          <span id={`${id}-password-hint`} className="muted small">
            {kind.passwordHint}
          </span>
        </div>
        <div className="account-field">
          <label htmlFor={`${id}-name`} className="field-label">
            Name <span className="muted">(optional)</span>
          </label>
          <input
            id={`${id}-name`}
            ref={nameRef}
            type="text"
            value={fields.name}
            placeholder={kind.defaultName ?? 'the server’s address'}
            aria-invalid={invalid('name')}
            aria-describedby={`${id}-message`}
            onChange={(e) => change('name', e.target.value)}
            data-testid="account-name"
          />
        </div>
      </div>
      <p
        id={`${id}-message`}
        className={problem ? 'field-error' : 'field-ok'}
        role={problem ? 'alert' : 'status'}
        data-testid="account-form-message"
      >
        {message}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => void test()}
          data-testid="account-test"
        >
          {task.pending === 'test' ? 'Testing…' : 'Test'}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="account-add">
          {task.pending === 'add' ? 'Signing in…' : 'Add'}
        </button>
        <button type="button" className="btn btn-ghost" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
