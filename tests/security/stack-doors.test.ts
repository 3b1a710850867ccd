/**
 * The gateway is the only door into the local stack: every TCP port the stack's processes listen
 * on refuses a request that carries no key (HTTP) or no password (Postgres), PostgREST has no TCP
 * port at all, and request bodies are capped.
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { GATEWAY_TIMEOUTS, MAX_BODY_BYTES, startGateway } from '../../src/core/stack/gateway'
import { freePort } from '../../src/core/stack/ports'
import { useOwnStack } from '../support/own-stack'
import { superuserPool } from '../support/superuser-pool'

const stack = useOwnStack()

/** This process and all its descendants (postgres, postgrest, the reaper), from /proc. */
function stackPids(): number[] {
  const parents = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // The process ended while we looked.
    }
  }
  const pids = [process.pid]
  for (let i = 0; i < pids.length; i++)
    for (const [pid, ppid] of parents) if (ppid === pids[i]) pids.push(pid)
  return pids
}

/** TCP ports in LISTEN state whose socket belongs to one of `pids`. */
function listeningPorts(pids: number[]): number[] {
  const inodes = new Set<string>()
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
        if (m) inodes.add(m[1]!)
      } catch {
        // Closed meanwhile.
      }
    }
  }
  const ports = new Set<number>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9]!)) continue
      ports.add(parseInt(cols[1]!.split(':')[1]!, 16))
    }
  }
  return [...ports].sort((a, b) => a - b)
}

async function keylessHttp(
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<number | 'refused'> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    })
    await res.arrayBuffer()
    return res.status
  } catch {
    return 'refused'
  }
}

async function passwordlessLogin(port: number, user: string): Promise<'refused' | 'accepted'> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user,
    database: 'postgres',
    password: '',
    connectionTimeoutMillis: 5_000,
  })
  try {
    await client.connect()
    return 'accepted'
  } catch {
    return 'refused'
  } finally {
    await client.end().catch(() => undefined)
  }
}

function post(url: string, apikey: string, body: Buffer, chunked: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { apikey, 'content-type': 'application/json' }
    if (!chunked) headers['content-length'] = body.length
    const req = request(`${url}/rest/v1/articles?id=gt.0`, { method: 'PATCH', headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.once('error', reject)
    // Chunked: written in pieces, so the size is only known while it streams in.
    if (chunked)
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024))
    else req.write(body)
    req.end()
  })
}

describe('no way around the gateway', () => {
  it('finds the gateway and Postgres among the listening ports, and no other TCP listener', () => {
    const ports = listeningPorts(stackPids())
    const gateway = Number(new URL(stack().url).port)
    const postgres = Number(new URL(stack().databaseUrl).port)
    expect(ports).toEqual([gateway, postgres].sort((a, b) => a - b))
  })

  it('refuses keyless requests on every port the stack listens on', async () => {
    const db = superuserPool(stack().databaseUrl, 1)
    const feed = await db.query<{ id: string }>(
      `insert into public.feeds (url) values ('http://127.0.0.1:9/doors.xml') returning id`,
    )
    await db.query(
      `insert into public.articles (feed_id, item_key, title, published_at) values ($1, 'doors', 'Unread', now())`,
      [feed.rows[0]!.id],
    )

    const ports = listeningPorts(stackPids())
    expect(ports.length).toBeGreaterThanOrEqual(2)
    const answers: Record<string, unknown> = {}
    for (const port of ports) {
      for (const path of ['/articles', '/rest/v1/articles', '/sync_status', '/rest/v1/sync_status', '/']) {
        answers[`${port} GET ${path}`] = await keylessHttp(port, 'GET', path)
      }
      answers[`${port} PATCH /articles`] = await keylessHttp(port, 'PATCH', '/articles?id=gt.0', {
        is_read: true,
      })
      answers[`${port} PATCH /rest/v1/articles`] = await keylessHttp(
        port,
        'PATCH',
        '/rest/v1/articles?id=gt.0',
        { is_read: true },
      )
      for (const user of ['postgres', 'authenticator', 'anon', 'service_role'])
        answers[`${port} pg ${user}`] = await passwordlessLogin(port, user)
    }
    const open = Object.entries(answers).filter(
      ([, answer]) => answer === 'accepted' || (typeof answer === 'number' && answer < 400),
    )
    expect(open, JSON.stringify(answers, null, 1)).toEqual([])
    const read = await db.query(`select count(*)::int as n from public.article_state where is_read`)
    expect(read.rows[0]!.n).toBe(0)
    await db.end()
  })

  it('caps request bodies: 413 for an anon body over 1 MiB, declared or chunked; the service role keeps room for article batches', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES.anon + 1, 0x20)
    expect(await post(stack().url, stack().anonKey, big, false)).toBe(413)
    expect(await post(stack().url, stack().anonKey, big, true)).toBe(413)
    const json = Buffer.from(JSON.stringify({ is_read: false, pad: ' '.repeat(MAX_BODY_BYTES.anon) }))
    // Past the cap, PostgREST itself answers (400: there is no column "pad"), not the gateway.
    expect(await post(stack().url, stack().serviceRoleKey, json, true)).toBe(400)
  })
})

/** Sends `text` and no more; resolves with what the server answered once it closes the connection. */
function stall(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
    socket.once('error', reject)
    socket.once('close', () => resolve(answer))
  })
}

describe('the gateway itself', () => {
  it('cuts off a client that stalls in its headers or its body', async () => {
    // Short limits for the test; the stack runs with GATEWAY_TIMEOUTS.
    expect(GATEWAY_TIMEOUTS.headersMs).toBeLessThanOrEqual(10_000)
    expect(GATEWAY_TIMEOUTS.requestMs).toBeLessThanOrEqual(60_000)
    // An upstream that answers only once it has the whole body, as PostgREST does.
    const dir = mkdtempSync(join(tmpdir(), 'tidings-doors-'))
    const upstream = createServer((req, res) => req.resume().once('end', () => res.end('{}')))
    await new Promise<void>((resolve) => upstream.listen(join(dir, 'rest.sock'), resolve))
    const port = await freePort()
    const gateway = await startGateway({
      port,
      keys: { anonKey: 'anon', serviceRoleKey: 'service' },
      upstreamSocket: () => join(dir, 'rest.sock'),
      health: async () => ({ rest: true, database: true }),
      timeouts: { headersMs: 300, requestMs: 600 },
    })
    try {
      expect(await stall(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ')).toMatch(
        /^HTTP\/1\.1 408 /,
      )
      expect(
        await stall(
          port,
          'PATCH /rest/v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\napikey: anon\r\nContent-Length: 100\r\n\r\n{',
        ),
      ).toMatch(/^HTTP\/1\.1 408 /)
    } finally {
      gateway.closeAllConnections()
      upstream.closeAllConnections()
      await Promise.all([
        new Promise((resolve) => gateway.close(resolve)),
        new Promise((resolve) => upstream.close(resolve)),
      ])
      rmSync(dir, { recursive: true, force: true })
    }
  }, 15_000)

  it('/health is not readable by web pages: no CORS headers, also not on a preflight', async () => {
    const health = await fetch(`${stack().url}/health`, { headers: { origin: 'https://evil.example' } })
    await health.arrayBuffer()
    expect(health.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${stack().url}/health`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    })
    await preflight.arrayBuffer()
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    // The API keeps them: supabase-js in a page (the app's renderer) calls it cross-origin.
    const api = await fetch(`${stack().url}/rest/v1/sync_status?select=sync_id`, {
      headers: { apikey: stack().anonKey, origin: 'https://app.example' },
    })
    await api.arrayBuffer()
    expect(api.headers.get('access-control-allow-origin')).toBe('*')
  })
})
