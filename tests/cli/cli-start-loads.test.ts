/**
 * What `tidings feeds list` loads before it asks the database, read from the built bundle (out/cli,
 * `npm run build`): the entry's chunks, the feeds command's and the database client's (which
 * withAdmin loads while it opens the database), through their static imports. Each package found
 * there is parsed and run at every start, so the feed parsers, the OPML parser, the charset
 * decoders, the sync queue, the embedded stack's pg and the logger must load only with the
 * commands (or subcommands) that use them.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPO } from '../faults/support'

const OUT = join(REPO, 'out/cli')

const source = (chunk: string): string => readFileSync(join(OUT, chunk), 'utf8')

/** The chunks `from` reaches through static imports, itself included. */
function staticClosure(from: string): Set<string> {
  const seen = new Set<string>()
  const visit = (chunk: string): void => {
    if (seen.has(chunk)) return
    seen.add(chunk)
    for (const [, next] of source(chunk).matchAll(/^import [^;]*? from "\.\/([^"]+)";$/gm)) visit(next!)
  }
  visit(from)
  return seen
}

/** Packages bundled into the chunks (the bundler marks each module with a `// node_modules/<pkg>/…` line). */
function bundledPackages(chunks: Set<string>): Set<string> {
  const found = new Set<string>()
  for (const chunk of chunks)
    for (const [, name] of source(chunk).matchAll(/^\/\/ node_modules\/((?:@[^/\n]+\/)?[^/\n]+)\//gm))
      found.add(name!)
  return found
}

/** Packages imported from node_modules at run time (not bundled), node's own modules aside. */
function externalImports(chunks: Set<string>): Set<string> {
  const found = new Set<string>()
  for (const chunk of chunks)
    for (const [, name] of source(chunk).matchAll(/^import [^;]*? from "([^."][^"]*)";$/gm))
      if (!name!.startsWith('node:')) found.add(name!)
  return found
}

beforeAll(() => {
  if (!existsSync(join(OUT, 'index.js')))
    throw new Error(`${OUT}/index.js is missing: run \`npm run build\` before these tests (npm test does).`)
})

describe('what `tidings feeds list` loads at start', () => {
  const loaded = (): Set<string> => {
    const feedsChunk = /load: async \(\) => \(await import\("\.\/(feeds-[^"]+)"\)\)\.feedsCommand/.exec(
      source('index.js'),
    )?.[1]
    expect(feedsChunk, 'the feeds command is loaded from a chunk of its own').toBeDefined()
    const command = staticClosure(feedsChunk!)
    const clientChunk = [...command]
      .map((chunk) => /import\("\.\/(rest-client-[^"]+)"\)/.exec(source(chunk))?.[1])
      .find(Boolean)
    expect(clientChunk, 'withAdmin loads the database client from a chunk of its own').toBeDefined()
    return new Set([...staticClosure('index.js'), ...command, ...staticClosure(clientChunk!)])
  }

  it('bundles the database client it needs (so the marks read below are there to read)', () => {
    const packages = bundledPackages(loaded())
    expect(packages).toContain('@supabase/postgrest-js')
    expect(packages).toContain('zod')
  })

  it("loads PostgREST's client alone: none of supabase-js's auth, realtime, storage or functions clients", () => {
    const packages = [...bundledPackages(loaded())]
    for (const unused of [
      '@supabase/supabase-js',
      '@supabase/auth-js',
      '@supabase/realtime-js',
      '@supabase/storage-js',
      '@supabase/functions-js',
      'ws',
    ])
      expect(packages, unused).not.toContain(unused)
  })

  it('loads no feed parser, OPML parser, HTML parser, charset decoder or sync queue', () => {
    const packages = [...bundledPackages(loaded())]
    for (const heavy of [
      'feedsmith',
      'fast-xml-parser',
      'htmlparser2',
      'entities',
      'iconv-lite',
      'better-queue',
    ])
      expect(packages, heavy).not.toContain(heavy)
  })

  it('imports no package from node_modules at run time (pg and electron-log load with the stack and the logger)', () => {
    expect([...externalImports(loaded())]).toEqual([])
  })
})
