import type { ReactElement, ReactNode } from 'react'
import { usePreference } from '../hooks/usePreference'
import type { BooleanPreference } from '../lib/preferences'

interface Props {
  legend: string
  preference: BooleanPreference
  testId: string
  children: ReactNode
}

/** A window preference as a checkbox in its own fieldset: it applies at once, no Save needed. */
export function PreferenceToggle({ legend, preference, testId, children }: Props): ReactElement {
  const enabled = usePreference(preference)
  return (
    <fieldset>
      <legend>{legend}</legend>
      <label className="radio">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(e) => preference.set(e.target.checked)}
          data-testid={testId}
        />
        <span>{children}</span>
      </label>
    </fieldset>
  )
}
