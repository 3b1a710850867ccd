/** The global switch for the new-articles notification (a setting main keeps; applies at once). */
import { useEffect, useState, type ReactElement } from 'react'
import { call, errorMessage, getApi } from '../lib/api'

export function NotifySetting({ onError }: { onError(message: string): void }): ReactElement {
  const [enabled, setEnabled] = useState<boolean | null>(null)
  useEffect(() => {
    let live = true
    call(() => getApi().settingsGet()).then(
      (settings) => live && setEnabled(settings.notifyNewArticles),
      (error: unknown) => live && onError(`Could not read the notification setting: ${errorMessage(error)}`),
    )
    return () => {
      live = false
    }
  }, [onError])
  const change = (next: boolean): void => {
    setEnabled(next)
    call(() => getApi().settingsSet({ notifyNewArticles: next })).then(
      (settings) => setEnabled(settings.notifyNewArticles),
      (error: unknown) => {
        setEnabled(!next)
        onError(`Could not save the notification setting: ${errorMessage(error)}`)
      },
    )
  }
  return (
    <fieldset>
      <legend>Notifications</legend>
      <label className="radio">
        <input
          type="checkbox"
          checked={enabled ?? false}
          disabled={enabled === null}
          onChange={(e) => change(e.target.checked)}
          data-testid="notify-toggle"
        />
        <span>
          Notify me of new articles after a background sync{' '}
          <span className="muted">(not while Tidings is in front; each feed can opt out in its Edit)</span>
        </span>
      </label>
    </fieldset>
  )
}
