import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      url: string
      anonKey: string
      serviceRoleKey: string
      databaseUrl: string
      dataDir: string
    }
    /** A migrated, stopped stack that private stacks are copied from (see own-stack.ts). */
    stackTemplate: { dataDir: string; clusterDir: string }
  }
}
