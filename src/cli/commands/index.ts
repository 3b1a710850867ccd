import type { CommandEntry } from '../cli-kit'

/**
 * Every CLI command: its name and usage here, its code loaded only when it runs. `--help` and a
 * mistyped name then load no database or feed library, and each command only what it needs.
 */
export const commands: CommandEntry[] = [
  {
    name: 'stack',
    usage: 'stack start [--port N] | stop | status',
    load: async () => (await import('./stack')).stackCommand,
  },
  {
    name: 'migrate',
    usage:
      'migrate [--database-url postgres://…]   (hosted Supabase: its connection string, or DATABASE_URL)',
    load: async () => (await import('./migrate')).migrateCommand,
  },
  {
    name: 'feeds',
    usage:
      'feeds add <feed or site url> [--folder F] [--no-verify] [--account ID] | remove <id> | edit <id> [--title T] [--folder F|--no-folder] [--url U] | import <file.opml> | export [file] | list | read --all|--feed ID|--folder NAME|--undo TOKEN',
    load: async () => (await import('./feeds')).feedsCommand,
  },
  {
    name: 'accounts',
    usage:
      'accounts add greader <base url> --user <name> --password-stdin [--name <label>] | list | test <id> | remove <id>   (FreshRSS, Miniflux, other Google Reader API servers)',
    load: async () => (await import('./accounts')).accountsCommand,
  },
  {
    name: 'search',
    usage: 'search <words…> [--limit N] [--offset N]   (web search syntax: "a phrase", -word, or)',
    load: async () => (await import('./search')).searchCommand,
  },
  {
    name: 'sync',
    usage:
      "sync [--type full|incremental] [--force] [--feed <id>]… [--account <id>]   (all accounts and this computer's feeds by default; --feed: fetch that feed now; full and --feed ignore backoff; Ctrl-C cancels)",
    load: async () => (await import('./sync')).syncCommand,
  },
  {
    name: 'status',
    usage: 'status <syncId>   (exit 3 when unknown)',
    load: async () => (await import('./status')).statusCommand,
  },
  { name: 'health', usage: 'health', load: async () => (await import('./health')).healthCommand },
  {
    name: 'stats',
    usage:
      'stats [--json] [--days N]   (sync trends, failing, dead and heavy feeds, resources; N 1-3650, default 30)',
    load: async () => (await import('./stats')).statsCommand,
  },
]
