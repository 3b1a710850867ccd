import { readFileSync } from 'node:fs'

/** Whether a process exists (EPERM: it does, but belongs to another user, e.g. `postgres`). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * When the process with `pid` started, in clock ticks since boot (Linux: field 22 of
 * /proc/<pid>/stat); null where that cannot be read (another OS, no such process). A pid can be
 * reused, a (pid, start time) pair cannot.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 2 (the command) is in parentheses and may contain spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[22 - 3] ?? null
  } catch {
    return null
  }
}
