/**
 * The scale bench's feeds, served from a child process so their documents are not in the RSS the
 * bench measures: `node --import tsx bench/scale-feed-server.ts <feeds> <items>` prints one JSON
 * line `{ "urls": [...], "control": "http://…" }` and serves /feed/<n>.xml on HOSTS loopback
 * addresses (as bench/sync-bench.ts spreads its feeds). Each document is built on request; POST
 * <control>/next moves to a new generation of items (new guids), so every sync stores new articles.
 * Exits when its stdin closes (the bench ended, however it ended).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HOSTS } from './sync-bench'

const feeds = Number(process.argv[2] ?? 1000)
const items = Number(process.argv[3] ?? 50)
let generation = 0

/** About 2 KB of HTML per item: an ordinary article's worth of text. */
const PARAGRAPH =
  '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.</p>'

function feedXml(feed: number): string {
  const entries = Array.from({ length: items }, (_, i) => {
    const date = new Date(Date.now() - (i * 60 + feed) * 60_000).toUTCString()
    const id = `scale-${generation}-${feed}-${i}`
    return `<item><guid>${id}</guid><title>Feed ${feed} item ${i} (${generation})</title><link>https://scale.example/${id}</link>
<pubDate>${date}</pubDate><description>Summary of item ${i} of feed ${feed}.</description>
<content:encoded><![CDATA[${PARAGRAPH.repeat(8)}]]></content:encoded></item>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Scale feed ${feed}</title><link>https://scale.example/${feed}</link>${entries.join('')}</channel></rss>`
}

const handler = (req: IncomingMessage, res: ServerResponse): void => {
  if (req.method === 'POST' && req.url === '/next') {
    generation++
    return void res.writeHead(200).end(String(generation))
  }
  const n = Number(/^\/feed\/(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? NaN)
  if (!(n >= 0 && n < feeds)) return void res.writeHead(404).end()
  const body = Buffer.from(feedXml(n))
  res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': body.length }).end(body)
}

const bases = await Promise.all(
  Array.from({ length: HOSTS }, async (_, h) => {
    const server = createServer(handler)
    await new Promise<void>((resolve) => server.listen(0, `127.0.0.${h + 1}`, resolve))
    const { address, port } = server.address() as AddressInfo
    return `http://${address}:${port}`
  }),
)
process.stdout.write(
  `${JSON.stringify({ urls: Array.from({ length: feeds }, (_, n) => `${bases[n % HOSTS]}/feed/${n}.xml`), control: bases[0] })}\n`,
)
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
