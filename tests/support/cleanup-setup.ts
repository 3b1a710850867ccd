/**
 * Runs in every test file (vitest setupFiles): after the file's own hooks, its data folders and their
 * status folders go, so the suite leaves no folder behind in the temp dir (as root, a test stack's
 * cluster outside it is removed by removeStackFiles).
 */
import { afterAll } from 'vitest'
import { removeMadeDataDirs } from './temp-dir'

afterAll(() => removeMadeDataDirs())
