/**
 * The app:// scheme handler Electron's protocol.handle runs (and the Chromium tests route through):
 * only real files under the renderer folder, never out of it by `..`, encoded dots or symlinks,
 * with the right types and the CSP header on every answer.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  createAppProtocolHandler,
  type AppProtocolHandler,
} from '../../src/main/electron/app-protocol'

const CSP = "default-src 'self'"

describe('the app:// scheme handler', () => {
  let base: string
  let serve: AppProtocolHandler
  const get = (url: string, method = 'GET'): Promise<Response> => serve(new Request(url, { method }))

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'tidings-app-protocol-'))
    const root = join(base, 'renderer')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>app</p>')
    writeFileSync(join(root, 'assets', 'index.js'), 'export {}')
    writeFileSync(join(root, 'assets', 'index.css'), 'p{}')
    writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>')
    writeFileSync(join(base, 'secret.txt'), 'outside the root')
    mkdirSync(join(base, 'outside-dir'))
    writeFileSync(join(base, 'outside-dir', 'x.js'), 'outside')
    symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'))
    symlinkSync(join(base, 'outside-dir'), join(root, 'assets', 'linked-dir'))
    serve = createAppProtocolHandler(root, CSP)
  })

  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('serves the entry and assets with their content types and the CSP header', async () => {
    const cases: [string, string, string][] = [
      [APP_ENTRY_URL, 'text/html; charset=utf-8', '<!doctype html><p>app</p>'],
      ['app://tidings/', 'text/html; charset=utf-8', '<!doctype html><p>app</p>'],
      ['app://tidings/assets/index.js?v=1', 'text/javascript; charset=utf-8', 'export {}'],
      ['app://tidings/assets/index.css', 'text/css; charset=utf-8', 'p{}'],
      ['app://tidings/assets/logo.svg', 'image/svg+xml', '<svg/>'],
    ]
    for (const [url, type, body] of cases) {
      const response = await get(url)
      expect([url, response.status, response.headers.get('content-type'), await response.text()]).toEqual([
        url,
        200,
        type,
        body,
      ])
      expect(response.headers.get('content-security-policy')).toBe(CSP)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    }
    const head = await get(APP_ENTRY_URL, 'HEAD')
    expect([head.status, await head.text()]).toEqual([200, ''])
  })

  it('never answers with a file outside the root, and says 404 (with the CSP) for what is missing', async () => {
    const escapes = [
      'app://tidings/../secret.txt',
      'app://tidings/%2e%2e/secret.txt',
      'app://tidings/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://tidings/assets/..%2f..%2fsecret.txt',
      'app://tidings/%2fetc%2fpasswd',
      'app://tidings/assets/link.txt', // symlink to a file outside
      'app://tidings/assets/linked-dir/x.js', // through a symlinked folder
      'app://tidings/missing.js',
      'app://tidings/assets', // a folder is not a file
      'app://tidings/index.html%00.js',
      'app://elsewhere/index.html',
    ]
    for (const url of escapes) {
      const response = await get(url)
      const body = await response.text()
      expect([url, response.status]).toEqual([
        url,
        expect.toSatisfy((status: number) => status === 404 || status === 400),
      ])
      expect(body).not.toContain('outside')
      expect(response.headers.get('content-security-policy')).toBe(CSP)
    }
    expect((await get('app://tidings/%E0%A4%A')).status).toBe(400)
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405)
  })
})
