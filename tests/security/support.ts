/**
 * Helpers shared by the security tests: building the renderer when it is missing, reading a
 * stack's JWT secret, a seeded PRNG, and snapshots of folders that must not gain files.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { StackSecrets } from '../../src/core/stack/jwt-keys'

export const ROOT = process.cwd()
export const OUT_DIR = join(ROOT, 'out')
export const SCREENSHOTS = join(ROOT, 'test-results/screenshots')

/** `npx electron-vite build` when out/ lacks the renderer, preload or main bundle (as `npm test` does first). */
export function ensureBuilt(): void {
  const needed = [
    join(OUT_DIR, 'renderer/index.html'),
    join(OUT_DIR, 'preload/index.cjs'),
    join(OUT_DIR, 'main/index.js'),
  ]
  if (needed.every((file) => existsSync(file))) return
  execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 180_000 })
}

export function readStackSecrets(dataDir: string): StackSecrets {
  return JSON.parse(readFileSync(join(dataDir, 'local-stack', 'secrets.json'), 'utf8')) as StackSecrets
}

/** Every file below `dir`, as paths relative to it. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const found: string[] = []
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const path = join(current, name)
      if (statSync(path).isDirectory()) walk(path)
      else found.push(relative(dir, path))
    }
  }
  walk(dir)
  return found.sort()
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
