import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensurePrivateDir, readPrivateFile } from './private-path'

/**
 * Where server accounts' passwords live: in main, in a 0600 file of the data folder, never in the
 * database (which PostgREST serves, and which may be a hosted project).
 */
export const accountSecretsFile = (dataDir: string): string => join(dataDir, 'account-secrets.json')

/** Turns a password into bytes only this user can turn back (Electron's safeStorage in main). */
export interface SecretCipher {
  encrypt(text: string): Buffer
  decrypt(data: Buffer): string
}

export interface CredentialStore {
  /** The account's password, or null when none is stored. Throws UnsafePathError, CredentialsLockedError. */
  get(accountId: number): Promise<string | null>
  set(accountId: number, secret: string): Promise<void>
  /** Whether there was one to remove. */
  remove(accountId: number): Promise<boolean>
}

/** A password was stored encrypted but no cipher is available now (the system keychain is locked or gone). */
export class CredentialsLockedError extends Error {
  override readonly name = 'CredentialsLockedError'
  constructor() {
    super("The account's password was saved encrypted, but the system keychain is not available now")
  }
}

/** One password: base64 ciphertext when a cipher was available when it was saved, else plain text. */
type Entry = { enc: string } | { plain: string }
interface SecretsFile {
  version: 1
  secrets: Record<string, Entry>
}

function parse(text: string | null, file: string): SecretsFile {
  if (text === null) return { version: 1, secrets: {} }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error(`${file} is not valid JSON; move it aside to enter the account passwords again`)
  }
  const secrets = (data as { secrets?: unknown } | null)?.secrets
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets))
    throw new Error(`${file} is not an account password file; move it aside to enter the passwords again`)
  return { version: 1, secrets: secrets as Record<string, Entry> }
}

/**
 * The account password store of a data folder. With a cipher (main passes Electron's safeStorage
 * where isEncryptionAvailable()) the file holds ciphertext; without one (no keychain, the CLI) the
 * passwords are plain JSON, protected only by the file being 0600 in our private data folder.
 * The file is read only when it is ours, no link and 0600 (readPrivateFile), and replaced
 * atomically (a private temp file, then rename); writes of one store run one at a time.
 */
export function createCredentialStore(
  dataDir: string,
  opts: { cipher?: SecretCipher } = {},
): CredentialStore {
  const file = accountSecretsFile(dataDir)
  const { cipher } = opts
  let queue: Promise<unknown> = Promise.resolve()
  /** Runs `fn` after every earlier write of this store (a read-modify-write must not interleave). */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  const load = async (): Promise<SecretsFile> => parse(await readPrivateFile(file, 'private'), file)

  async function save(data: SecretsFile): Promise<void> {
    await ensurePrivateDir(dataDir)
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(temp, JSON.stringify(data, null, 2), { mode: 0o600, flag: 'wx' })
      await rename(temp, file)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }

  function reveal(entry: Entry): string {
    if ('plain' in entry && typeof entry.plain === 'string') return entry.plain
    if ('enc' in entry && typeof entry.enc === 'string') {
      if (!cipher) throw new CredentialsLockedError()
      return cipher.decrypt(Buffer.from(entry.enc, 'base64'))
    }
    throw new Error(`${file} holds an entry that is not a password`)
  }

  return {
    async get(accountId) {
      await queue
      const entry = (await load()).secrets[String(accountId)]
      return entry ? reveal(entry) : null
    },

    set: (accountId, secret) =>
      serial(async () => {
        const data = await load()
        data.secrets[String(accountId)] = cipher
          ? { enc: cipher.encrypt(secret).toString('base64') }
          : { plain: secret }
        await save(data)
      }),

    remove: (accountId) =>
      serial(async () => {
        const data = await load()
        if (!(String(accountId) in data.secrets)) return false
        delete data.secrets[String(accountId)]
        await save(data)
        return true
      }),
  }
}
