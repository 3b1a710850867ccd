import { afterEach } from 'vitest'
import {
  createGReaderClient,
  type GReaderClient,
  type GReaderClientOptions,
} from '../../src/core/sources/greader/client'
import { startFakeGReader, type FakeGReader, type FakeGReaderOptions } from '../support/fake-greader'

export const USER = 'alice'
export const PASSWORD = 'api-secret'

/** Per test: a fresh fake server and a client signed in as alice; both closed after the test. */
export function useFake(): {
  start(opts?: FakeGReaderOptions): Promise<FakeGReader>
  client(fake: FakeGReader, opts?: Partial<GReaderClientOptions>): GReaderClient
} {
  const open: (FakeGReader | GReaderClient)[] = []
  afterEach(async () => {
    for (const thing of open.splice(0)) await thing.close()
  })
  return {
    async start(opts) {
      const fake = await startFakeGReader(opts)
      open.push(fake)
      return fake
    },
    client(fake, opts) {
      const client = createGReaderClient({
        baseUrl: fake.baseUrl,
        label: `FreshRSS at ${new URL(fake.baseUrl).host}`,
        auth: { kind: 'client-login', username: USER, password: PASSWORD },
        ...opts,
      })
      open.push(client)
      return client
    },
  }
}

/** The AccountError a promise rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (error) {
    return error as Error & Record<string, unknown>
  }
  throw new Error('expected a failure, but the call succeeded')
}
