import { z } from 'zod'

// zod probes `new Function('')` on its first object parse to decide whether to JIT; the CSP (no
// 'unsafe-eval') reports that probe as a violation even though zod catches it. The direct read's
// chunk (sync/direct-read-client.ts), the renderer's only zod user, imports this module first, so the
// switch is set before any schema runs.
z.config({ jitless: true })
