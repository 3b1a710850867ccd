import type { ReactElement } from 'react'
import { SHORTCUTS } from '../lib/shortcuts'
import { Dialog } from './Dialog'

export function ShortcutsDialog({ onClose }: { onClose(): void }): ReactElement {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.label}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>Close dialogs and panels</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">
        Single-key shortcuts can be turned off in Settings. In the article list, the arrow keys, Home and End
        always work.
      </p>
    </Dialog>
  )
}
