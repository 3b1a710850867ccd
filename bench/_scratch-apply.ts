import { join } from 'node:path'
import { createAccounts } from '../src/core/accounts/accounts-service'
import { createCredentialStore } from '../src/core/config/account-credentials'
import { createProgressService, newInstanceId } from '../src/core/progress'
import { sqlDir } from '../src/core/config/app-root'
import { startLocalStack } from '../src/core/stack/local-stack'
import { createSupabaseClient } from '../src/core/storage/supabase-client'
import { createSyncServices } from '../src/core/sync'
import { generateFeeds, startFakeGReader } from '../tests/support/fake-greader'
import { superuserPool } from '../tests/support/superuser-pool'
import { makeDataDir, removeBenchStack } from './sync-bench'

const dataDir = makeDataDir('tidings-scratch-')
const stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
const fake = await startFakeGReader()
const db = superuserPool(stack.databaseUrl)
try {
  generateFeeds(fake.state, { feeds: 200, itemsPerFeed: 100 })
  const admin = createSupabaseClient({ url: stack.url, key: stack.serviceRoleKey })
  const instanceId = newInstanceId()
  const progress = createProgressService({ dataDir, admin, instanceId, statusDir: join(dataDir, 'status') })
  const accounts = createAccounts({ admin, credentials: createCredentialStore(dataDir), historyDays: async () => 30 })
  const services = createSyncServices({ admin, dataDir, progress, instanceId, accountSources: () => accounts.sources() })
  for (let round = 0; round < 2; round++) {
    const a = await accounts.add({ kind: 'greader', baseUrl: fake.baseUrl, username: 'alice', password: 'api-secret' })
    // Without the sync's apply: insert the articles, then time the query the function runs.
    const t = performance.now()
    const out = await services.runSync({ syncId: await progress.tracker.start('full'), type: 'full', sourceIds: [`account:${a.id}`] })
    console.log('sync', round, Math.round(performance.now() - t), out.status, out.stats.timings)
    const stats = await db.query("select n_live_tup, n_dead_tup, last_autoanalyze, last_analyze from pg_stat_user_tables where relname = 'articles'")
    console.log(stats.rows[0])
    const est = await db.query("select reltuples from pg_class where relname = 'articles'")
    console.log('reltuples', est.rows[0])
    const ids = (await db.query('select remote_id from articles where remote_id is not null')).rows.map((r) => r.remote_id)
    const q = `explain (costs on) with unread as (select distinct u.id from unnest($2::text[]) as u (id)),
      starred as (select distinct s.id from unnest($3::text[]) as s (id))
      select a.id, (u.id is null) as r, (s.id is not null) as st from public.articles a join public.feeds f on f.id = a.feed_id and f.account_id = $1
      left join unread u on u.id = a.remote_id left join starred s on s.id = a.remote_id where a.remote_id is not null`
    const plan = await db.query(q, [a.id, ids, []])
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'))
    let t2 = performance.now()
    await db.query('select * from apply_account_state($1, $2, $3)', [a.id, ids.slice(1000), []])
    console.log('apply 1000 read', Math.round(performance.now() - t2))
    await accounts.remove(a.id)
    await db.query('analyze public.articles')
    await db.query('analyze public.feeds')
  }
  await services.close()
  await progress.close()
} finally {
  await db.end()
  await fake.close()
  await removeBenchStack(stack, dataDir)
}
process.exit(0)
