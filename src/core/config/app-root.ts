import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder holding package.json and sql/, found by walking up from this module (src or out). */
export function appRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'sql'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`Cannot find the Tidings app folder above ${from}`)
    dir = parent
  }
  return dir
}

export const sqlDir = (root: string = appRoot()): string => join(root, 'sql')
