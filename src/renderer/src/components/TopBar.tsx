/** Title bar: brand, sync button, status line, and the health / shortcuts / settings buttons. */
import type { ReactElement, RefObject } from 'react'
import type { SearchHit } from '../../../shared/models'
import type { SyncType } from '../../../shared/sync-status'
import type { MenuCommand } from '../../../shared/menu-commands'
import type { HealthController } from '../hooks/useHealth'
import { useMainReachable } from '../hooks/useMainReachable'
import { shownHealth } from '../lib/health-view'
import { AppMenuButton } from './AppMenuButton'
import { GearIcon, KeyboardIcon, PulseIcon } from './Icons'
import { SearchBox } from './SearchBox'
import { StatusLine } from './StatusLine'
import { SyncButton } from './SyncButton'

interface Props {
  health: HealthController
  syncRunning: boolean
  onSync(type: SyncType): void
  healthOpen: boolean
  onToggleHealth(): void
  onHelp(): void
  onSettings(): void
  searchRef: RefObject<HTMLInputElement | null>
  onOpenSearchHit(hit: SearchHit): void
  /** The "…" menu's commands (the app menu's). */
  onCommand(command: MenuCommand): void
}

export function TopBar({
  health,
  syncRunning,
  onSync,
  healthOpen,
  onToggleHealth,
  onHelp,
  onSettings,
  searchRef,
  onOpenSearchHit,
  onCommand,
}: Props): ReactElement {
  // Grey while main does not answer: the last known health may be out of date.
  const shown = health.health ? shownHealth(health.health) : null
  const tone = useMainReachable() ? (shown?.status ?? 'unknown') : 'unreachable'
  const label =
    tone === 'unreachable'
      ? 'Sync health: background process not answering'
      : `Sync health: ${shown?.headline ?? tone}`
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          T
        </span>
        <span className="brand-name">Tidings</span>
      </div>
      <SyncButton running={syncRunning} onStart={onSync} />
      <StatusLine health={health} />
      <div className="topbar-actions">
        <SearchBox inputRef={searchRef} onOpen={onOpenSearchHit} />
        <button
          type="button"
          className={`icon-btn health-btn health-${tone}`}
          aria-label={label}
          aria-pressed={healthOpen}
          title={label}
          onClick={onToggleHealth}
          data-testid="health-button"
        >
          <PulseIcon size={18} />
          <span className="health-dot" aria-hidden="true" />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={onHelp}
        >
          <KeyboardIcon size={18} />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label="Settings"
          title="Settings"
          onClick={onSettings}
          data-testid="settings-button"
        >
          <GearIcon size={18} />
        </button>
        <AppMenuButton onCommand={onCommand} />
      </div>
    </header>
  )
}
