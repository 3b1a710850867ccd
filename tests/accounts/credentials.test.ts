import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  accountSecretsFile,
  CredentialsLockedError,
  createCredentialStore,
  type SecretCipher,
} from '../../src/core/config/account-credentials'
import { UnsafePathError } from '../../src/core/config/private-path'
import { makeDataDir } from '../support/temp-dir'

const posix = process.platform !== 'win32'

/** A toy cipher (reversed bytes with a marker): enough to see that only ciphertext reaches the file. */
const toyCipher: SecretCipher = {
  encrypt: (text) => Buffer.concat([Buffer.from('TOY1'), Buffer.from(text, 'utf8').reverse()]),
  decrypt: (data) => {
    if (data.subarray(0, 4).toString() !== 'TOY1') throw new Error('not ours')
    return Buffer.from(data.subarray(4)).reverse().toString('utf8')
  },
}

describe('account credential store', () => {
  it('keeps passwords in a 0600 file of the data folder: set, get, remove, and nothing else left behind', async () => {
    const dir = makeDataDir('tidings-creds-')
    const store = createCredentialStore(dir)
    expect(await store.get(1)).toBeNull()
    await store.set(1, 'hunter2')
    await store.set(2, 'pässwörd "quoted"')
    expect(await store.get(1)).toBe('hunter2')
    expect(await store.get(2)).toBe('pässwörd "quoted"')
    if (posix) expect(statSync(accountSecretsFile(dir)).mode & 0o777).toBe(0o600)
    // A fresh store (another start of the app) reads the same file.
    expect(await createCredentialStore(dir).get(2)).toBe('pässwörd "quoted"')
    expect(await store.remove(1)).toBe(true)
    expect(await store.remove(1)).toBe(false)
    expect(await store.get(1)).toBeNull()
    expect(await store.get(2)).toBe('pässwörd "quoted"')
    // Written through a temp file and renamed: no temp file stays.
    expect(readdirSync(dir)).toEqual(['account-secrets.json'])
  })

  it('with a cipher the file holds ciphertext only, and reads back', async () => {
    const dir = makeDataDir('tidings-creds-')
    const store = createCredentialStore(dir, { cipher: toyCipher })
    await store.set(7, 'correct horse battery staple')
    const text = readFileSync(accountSecretsFile(dir), 'utf8')
    expect(text).not.toContain('correct horse')
    expect(text).toContain(toyCipher.encrypt('correct horse battery staple').toString('base64'))
    expect(await createCredentialStore(dir, { cipher: toyCipher }).get(7)).toBe(
      'correct horse battery staple',
    )
    // Without the cipher (the keychain unavailable now) an encrypted password cannot be read: said so.
    await expect(createCredentialStore(dir).get(7)).rejects.toThrow(CredentialsLockedError)
  })

  it('writes many concurrent sets without losing one', async () => {
    const store = createCredentialStore(makeDataDir('tidings-creds-'))
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(i, `pw${i}`)))
    for (let i = 0; i < 20; i++) expect(await store.get(i)).toBe(`pw${i}`)
  })

  it.skipIf(!posix)('refuses a planted symbolic link and a group-writable file', async () => {
    const dir = makeDataDir('tidings-creds-')
    const elsewhere = join(makeDataDir('tidings-creds-other-'), 'planted.json')
    writeFileSync(elsewhere, JSON.stringify({ version: 1, secrets: { '1': { plain: 'attacker' } } }), {
      mode: 0o600,
    })
    symlinkSync(elsewhere, accountSecretsFile(dir))
    const store = createCredentialStore(dir)
    await expect(store.get(1)).rejects.toThrow(UnsafePathError)
    await expect(store.set(1, 'mine')).rejects.toThrow(UnsafePathError)
    // The link's target was not written through.
    expect(readFileSync(elsewhere, 'utf8')).toContain('attacker')

    const loose = makeDataDir('tidings-creds-')
    await createCredentialStore(loose).set(1, 'mine')
    chmodSync(accountSecretsFile(loose), 0o620)
    await expect(createCredentialStore(loose).get(1)).rejects.toThrow(UnsafePathError)
    chmodSync(accountSecretsFile(loose), 0o644)
    await expect(createCredentialStore(loose).get(1)).rejects.toThrow(/must be 600/)
    expect(existsSync(accountSecretsFile(loose))).toBe(true)
  })
})
