/**
 * No local user can learn the embedded database's secrets. A second OS user (nobody) watches the
 * temp folder, the data folder and the cluster's folder while the stack is created and started,
 * reading every file it can; nothing it read may hold a secret or log in as the superuser. A
 * cluster made before this was fixed gets its superuser password rotated, and logins use SCRAM.
 */
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { sqlDir } from '../../src/core/config/app-root'
import { startLocalStack, type LocalStack } from '../../src/core/stack/local-stack'
import type { StackSecrets } from '../../src/core/stack/jwt-keys'
import { makeDataDir, removeStackFiles } from '../support/temp-dir'
import { skipWhen } from '../support/skip-when'

const NOBODY = 65534
const asRoot = process.getuid?.() === 0

/**
 * Runs as `nobody`: reads every file it can below the given roots (three levels deep) whenever
 * something changes in the temp folder (inotify, so a file living for a moment is still caught) and
 * every 25 ms, until its stdin closes; then once more, and prints what it read as JSON.
 */
const WATCHER = `
const fs = require('node:fs'), path = require('node:path'), os = require('node:os');
const roots = JSON.parse(process.argv[1]);
const seen = new Map();
let scans = 0;
function read(file) {
  let st; try { st = fs.lstatSync(file) } catch { return }
  if (!st.isFile() || st.size > 65536) return;
  try { const text = fs.readFileSync(file, 'utf8'); if (!seen.has(file + text)) seen.set(file + text, { file, text }) } catch {}
}
function scan(dir, depth) {
  let names; try { names = fs.readdirSync(dir) } catch { return }
  for (const name of names) {
    const file = path.join(dir, name);
    let st; try { st = fs.lstatSync(file) } catch { continue }
    if (st.isDirectory()) { if (depth < 3) scan(file, depth + 1) } else read(file);
  }
}
const round = () => { for (const r of roots) scan(r, 0); scans++ };
const watcher = fs.watch(os.tmpdir(), (_event, name) => { if (name) { const p = path.join(os.tmpdir(), name); read(p); scan(p, 1) } });
const timer = setInterval(round, 25);
process.stdin.on('end', () => { clearInterval(timer); watcher.close(); round(); process.stdout.write(JSON.stringify({ scans, files: [...seen.values()] })) });
process.stdin.resume();
round();
`

interface Watch {
  child: ChildProcessWithoutNullStreams
  result: Promise<{ scans: number; files: Array<{ file: string; text: string }> }>
}

function watchAsNobody(roots: string[]): Watch {
  const child = spawn(process.execPath, ['-e', WATCHER, JSON.stringify(roots)], {
    uid: NOBODY,
    gid: NOBODY,
    cwd: '/',
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  const result = new Promise<Watch extends { result: Promise<infer R> } ? R : never>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`watcher exited ${code}`)),
    )
  })
  return { child, result }
}

async function loginAsSuperuser(databaseUrl: string, password: string): Promise<'accepted' | 'refused'> {
  const url = new URL(databaseUrl)
  const client = new pg.Client({
    host: url.hostname,
    port: Number(url.port),
    user: 'postgres',
    database: 'postgres',
    password,
  })
  try {
    await client.connect()
    return 'accepted'
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return 'refused'
    throw error
  } finally {
    await client.end().catch(() => undefined)
  }
}

const secretsOf = (dataDir: string): StackSecrets =>
  JSON.parse(readFileSync(join(dataDir, 'local-stack', 'secrets.json'), 'utf8')) as StackSecrets

describe(
  'stack secrets stay private (needs root to act as a second user)',
  skipWhen(!asRoot && 'needs root to act as a second user'),
  () => {
    const dataDir = makeDataDir('tidings-secret-files-')
    let stack: LocalStack | undefined
    // Made at run time: a literal would sit in vitest's transform cache under the temp folder.
    const initial: StackSecrets = {
      jwtSecret: randomBytes(48).toString('base64url'),
      authenticatorPassword: randomBytes(24).toString('base64url'),
      superuserPassword: randomBytes(24).toString('base64url'),
      issuedAt: Math.floor(Date.now() / 1000),
    }

    afterAll(async () => {
      await stack?.stop()
      if (stack) removeStackFiles(dataDir, stack.clusterDir)
      else rmSync(dataDir, { recursive: true, force: true })
    })

    it(
      'a second user reads no secret, and can log in with nothing it read, during and after the first start',
      { timeout: 180_000 },
      async () => {
        // Known secrets up front, so we can look for them in whatever the other user managed to read.
        mkdirSync(join(dataDir, 'local-stack'), { recursive: true, mode: 0o700 })
        writeFileSync(join(dataDir, 'local-stack', 'secrets.json'), JSON.stringify(initial), { mode: 0o600 })
        const watch = watchAsNobody([tmpdir(), dataDir, '/var/lib/tidings'])
        try {
          stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
        } finally {
          watch.child.stdin.end()
        }
        const { scans, files } = await watch.result
        expect(scans).toBeGreaterThan(2)

        const final = secretsOf(dataDir)
        const secrets = [
          initial.jwtSecret,
          initial.authenticatorPassword,
          initial.superuserPassword,
          final.superuserPassword,
          stack.serviceRoleKey,
        ]
        const leaks = files
          .filter(({ text }) => secrets.some((secret) => text.includes(secret)))
          .map(({ file }) => file)
        expect(leaks).toEqual([])

        // Whatever else it read (a password file with another password, say) does not log in either.
        const candidates = new Set(
          files
            .filter(({ file }) => /pass|pw|secret/i.test(file))
            .flatMap(({ text }) => text.split(/\s+/).filter(Boolean)),
        )
        for (const candidate of candidates)
          expect(await loginAsSuperuser(stack.databaseUrl, candidate), candidate).toBe('refused')
      },
    )

    it('rotates the superuser password after initdb: the password initdb was given no longer logs in', async () => {
      const final = secretsOf(dataDir)
      expect(final.superuserPassword).not.toBe(initial.superuserPassword)
      expect(final.superuserRotatedAt).toBeTypeOf('string')
      expect(await loginAsSuperuser(stack!.databaseUrl, initial.superuserPassword)).toBe('refused')
      expect(await loginAsSuperuser(stack!.databaseUrl, final.superuserPassword)).toBe('accepted')
    })

    it('a cluster made before the fix (password auth, never rotated) gets SCRAM and a new password on its next start', async () => {
      const db = new pg.Client({ connectionString: stack!.databaseUrl })
      await db.connect()
      const hbaFile = (await db.query<{ f: string }>(`select current_setting('hba_file') as f`)).rows[0]!.f
      await db.end()
      await stack!.stop()
      // What a cluster from before looks like: `password` logins and a secrets file with no rotation.
      writeFileSync(hbaFile, readFileSync(hbaFile, 'utf8').replace(/scram-sha-256\s*$/gm, 'password'))
      const { superuserRotatedAt: _dropped, ...legacy } = secretsOf(dataDir)
      writeFileSync(join(dataDir, 'local-stack', 'secrets.json'), JSON.stringify(legacy), { mode: 0o600 })

      stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
      const after = secretsOf(dataDir)
      expect(after.superuserPassword).not.toBe(legacy.superuserPassword)
      expect(await loginAsSuperuser(stack.databaseUrl, legacy.superuserPassword)).toBe('refused')
      const check = new pg.Client({ connectionString: stack.databaseUrl })
      await check.connect()
      const methods = (
        await check.query<{ auth_method: string }>(
          `select distinct auth_method from pg_hba_file_rules where type like 'host%'`,
        )
      ).rows.map((r) => r.auth_method)
      await check.end()
      expect(methods).toEqual(['scram-sha-256'])
    })
  },
)
