import { describe, expect, it } from 'vitest'
import { appMenuTemplate, type AppMenuItem } from '../../src/main/app-menu-template'
import type { MenuCommand } from '../../src/shared/menu-commands'

/** Every item of the menu, depth first. */
const flatten = (items: readonly AppMenuItem[]): AppMenuItem[] =>
  items.flatMap((item) => [item, ...flatten(item.submenu ?? [])])

const byLabel = (items: readonly AppMenuItem[], label: string): AppMenuItem => {
  const found = flatten(items).find((item) => item.label === label)
  if (!found) throw new Error(`no menu item ${label}`)
  return found
}

describe('app menu template', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`${platform}: the feed commands with their accelerators, each sending its command to the window`, () => {
      const sent: MenuCommand[] = []
      const template = appMenuTemplate({ platform, appName: 'Tidings', send: (c) => sent.push(c) })
      const expected: [string, MenuCommand, string | undefined][] = [
        ['Add Feed…', 'add-feed', 'CmdOrCtrl+N'],
        ['Import OPML…', 'import-opml', undefined],
        ['Export OPML…', 'export-opml', undefined],
        ['Manage Feeds…', 'manage-feeds', undefined],
        ['Insights…', 'insights', undefined],
        ['Settings…', 'settings', 'CmdOrCtrl+,'],
        ['Sync', 'sync', 'CmdOrCtrl+R'],
      ]
      for (const [label, command, accelerator] of expected) {
        const item = byLabel(template, label)
        expect(item.accelerator).toBe(accelerator)
        item.click?.()
        expect(sent.at(-1)).toBe(command)
      }
      expect(sent).toHaveLength(expected.length)
      // The standard menus (editMenu: undo, cut, copy, paste…) and window controls.
      const roles = flatten(template).flatMap((item) => (item.role ? [item.role] : []))
      expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'toggleDevTools', 'zoomIn']))
      expect(roles).not.toContain('reload') // Ctrl+R is Sync, not a reload that would drop the window's state
      // No accelerator is bound twice.
      const accelerators = flatten(template).flatMap((item) => (item.accelerator ? [item.accelerator] : []))
      expect(new Set(accelerators).size).toBe(accelerators.length)
    })
  }

  it('macOS gets the app menu (Settings… there, with About and Quit); others get File with Settings and Quit', () => {
    const mac = appMenuTemplate({ platform: 'darwin', appName: 'Tidings', send: () => undefined })
    expect(mac[0]?.label).toBe('Tidings')
    expect(flatten(mac[0]?.submenu ?? []).map((i) => i.label ?? i.role)).toEqual(
      expect.arrayContaining(['about', 'Settings…', 'quit']),
    )
    const linux = appMenuTemplate({ platform: 'linux', appName: 'Tidings', send: () => undefined })
    expect(linux[0]?.label).toBe('&File')
    expect(flatten(linux[0]?.submenu ?? []).map((i) => i.label ?? i.role)).toEqual(
      expect.arrayContaining(['Add Feed…', 'Settings…', 'quit']),
    )
  })
})
