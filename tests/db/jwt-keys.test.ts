/**
 * The embedded stack's API keys are HS256 JWTs that PostgREST checks with the data folder's secret:
 * the very tokens a JOSE library signs for the same claims, byte for byte, so every key a stack or a
 * client signed before stays valid.
 */
import { jwtVerify, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { signApiKeys, type StackSecrets } from '../../src/core/stack/jwt-keys'

const secrets: StackSecrets = {
  jwtSecret: 'c2VjcmV0LW9mLWF0LWxlYXN0LTMyLWNoYXJhY3RlcnMtZm9yLWhzMjU2LXNpZ25pbmc',
  authenticatorPassword: 'unused',
  superuserPassword: 'unused',
  issuedAt: 1_796_430_679,
}
const key = new TextEncoder().encode(secrets.jwtSecret)
const TEN_YEARS = 10 * 365 * 24 * 3600

describe('signApiKeys', () => {
  it('signs the anon and service_role keys exactly as jose does for the same claims', async () => {
    const jose = (role: string): Promise<string> =>
      new SignJWT({ role, iss: 'supabase' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(secrets.issuedAt)
        .setExpirationTime(secrets.issuedAt + TEN_YEARS)
        .sign(key)
    const keys = await signApiKeys(secrets)
    expect(keys).toEqual({ anonKey: await jose('anon'), serviceRoleKey: await jose('service_role') })
  })

  it('gives keys that verify with the secret and carry the role PostgREST switches to', async () => {
    const { serviceRoleKey } = await signApiKeys(secrets)
    const { payload, protectedHeader } = await jwtVerify(serviceRoleKey, key, { currentDate: new Date(0) })
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(payload).toEqual({
      role: 'service_role',
      iss: 'supabase',
      iat: secrets.issuedAt,
      exp: secrets.issuedAt + TEN_YEARS,
    })
  })

  it('signs with the secret it is given (another secret, another signature)', async () => {
    const other = await signApiKeys({ ...secrets, jwtSecret: `${secrets.jwtSecret}x` })
    const keys = await signApiKeys(secrets)
    expect(other.anonKey.split('.').slice(0, 2)).toEqual(keys.anonKey.split('.').slice(0, 2))
    expect(other.anonKey).not.toBe(keys.anonKey)
  })
})
