import { existsSync } from 'node:fs'
import { lstat, rename } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * A cluster whose secrets are gone can never be logged into again: its passwords went with them.
 * That happens when, as root, the data folder is deleted to start afresh while its cluster lives
 * outside it (/var/lib/tidings/<hash>). The cluster is moved aside (kept, in case its data is
 * wanted) so a fresh one is made. Returns the one-line notice to give, or null when nothing moved.
 */
export async function setAsideOrphanedCluster(
  clusterDir: string,
  secretsFile: string,
  now = new Date(),
): Promise<string | null> {
  // lstat: a secrets file that is there but refused (a link, say) is an error to report, not an orphan.
  const hasSecrets = await lstat(secretsFile).then(
    () => true,
    () => false,
  )
  if (hasSecrets || !existsSync(join(clusterDir, 'PG_VERSION'))) return null
  const aside = `${clusterDir}.orphaned-${now.toISOString().replace(/[-:]|\.\d+/g, '')}`
  await rename(clusterDir, aside)
  return `The database cluster ${clusterDir} had lost its secrets (was its data folder deleted?); moved it aside to ${aside} and made a fresh one.`
}
