import { runMigrations } from '../../core/stack/migrate'
import { CliError, EXIT, parseOptions, type Command } from '../cli-kit'
import { openCommandDatabase } from '../database-session'

export const migrateCommand: Command = {
  async run(ctx) {
    const { values } = parseOptions({ args: ctx.argv, options: { 'database-url': { type: 'string' } } })
    const databaseUrl = values['database-url'] ?? ctx.env.DATABASE_URL
    if (databaseUrl) {
      if (!/^postgres(ql)?:\/\//.test(databaseUrl))
        throw new CliError('--database-url must be a postgres:// connection string', EXIT.badInput)
      const result = await runMigrations(databaseUrl, ctx.sqlDir)
      ctx.out.result(
        result,
        `Applied ${result.applied.length} migration(s), ${result.skipped.length} already done`,
      )
      return
    }
    // The embedded stack migrates itself on start; report what it did.
    const db = await openCommandDatabase(ctx)
    try {
      if (db.mode === 'hosted')
        throw new CliError(
          'A hosted project is configured: pass --database-url (Project Settings → Database → connection string)',
          EXIT.badInput,
        )
      const result = db.stack?.migrations ?? {
        applied: [],
        skipped: ['(migrated when the running stack started)'],
      }
      ctx.out.result(
        result,
        `Applied ${result.applied.length} migration(s), ${result.skipped.length} already done`,
      )
    } finally {
      await db.close()
    }
  },
}
