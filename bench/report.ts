/**
 * Renders one bench run as Markdown: what `npm run bench` prints and `--report` writes to
 * bench/REPORT.md. Pure: every figure comes from the run passed in.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { formatTable, TARGET_HEADERS, targetRow, type Table, type TargetCheck } from './stats'

export interface MachineFacts {
  date: string
  cores: number
  cpuModel: string
  memoryGb: number
  node: string
  os: string
  /** 1-minute load average when the run began and ended: above the core count, others were busy too. */
  loadStart: number
  loadEnd: number
  stackStartMs: number
  durationS: number
}

export function machineNow(): Pick<
  MachineFacts,
  'date' | 'cores' | 'cpuModel' | 'memoryGb' | 'node' | 'os' | 'loadStart'
> {
  const cpu = cpus()
  return {
    date: new Date().toISOString(),
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadStart: loadavg()[0] ?? 0,
  }
}

export interface Section {
  heading: string
  tables: Table[]
}

/** The sections `bench/run.ts` prints, in order; a test checks that bench/REPORT.md has each one. */
export const SECTION_HEADINGS = {
  progress: 'Progress tracking',
  sync: 'Sync throughput',
  peer: 'Peer comparison (newsboat)',
  accounts: 'Accounts',
  status: 'Status reads',
  reader: 'Search and mark all read',
  window: 'Window start',
  seed: 'Seed claims',
  parsers: 'Feed parsers',
  cli: 'CLI start',
  scale: 'Scale (1 000 feeds, 1 000 000 articles)',
} as const

const RERUN = `## How to rerun

\`\`\`sh
npm run bench              # all benchmarks, tables on stdout (progress on stderr)
npm run bench -- --report  # the same, and rewrites bench/REPORT.md from that run
\`\`\`

One process, one run: it starts one embedded stack (Postgres, PostgREST, gateway) in a 0755 temp
folder, runs the sync, peer (newsboat), accounts, tracker, status-read, reader, window start, parser, CLI start and scale benchmarks against
it, and stops it. About 6-9 minutes on 2 cores (the accounts part alone 4-5). Each part also runs alone: \`npx tsx bench/sync-bench.ts\`,
\`bench/peer-bench.ts\` (\`--feeds 20 --items 10 --rounds 3\` for a small run; skipped without
newsboat on the PATH),
\`bench/account-bench.ts\` (\`--rounds 1\` for a shorter run), \`bench/window-bench.ts\` (the built renderer in Debian's Chromium; \`--launches 3\` for a shorter run), \`bench/scale-bench.ts\` (own stack only), \`bench/progress-bench.ts\`, \`bench/status-read-bench.ts\` (these start their own stack, or use
\`SUPABASE_URL\` / \`SUPABASE_ANON_KEY\` / \`SUPABASE_SERVICE_ROLE_KEY\`) and \`bench/parser-bench.ts\`.
The CLI start part times the built CLI and the window start part the built renderer: \`npm run bench\` builds both first (\`npm run build\`).
Timings on a shared or busy machine vary from run to run; compare ratios within one report, not
absolute figures across reports.`

/** The targets this run did not meet, each with its value against the target and what was tried. */
function notMet(summary: TargetCheck[]): string[] {
  const open = summary.filter((c) => c.pass !== true)
  if (open.length === 0) return []
  return [
    formatTable({
      title: 'Not met in this run: by how much, and what was tried',
      headers: ['measure', 'value', 'target', 'result', 'what was tried, what is left'],
      rows: open.map((c) => [
        ...targetRow(c),
        c.tried ?? (c.pass === null ? 'noise in this run wider than the target' : 'no note: see its section'),
      ]),
    }),
    '',
  ]
}

export function renderReport(machine: MachineFacts, summary: TargetCheck[], sections: Section[]): string {
  const passed = summary.filter((c) => c.pass === true).length
  const inconclusive = summary.filter((c) => c.pass === null).length
  const busy = Math.max(machine.loadStart, machine.loadEnd) > machine.cores
  const facts: Table = {
    title: 'Machine',
    headers: ['fact', 'value'],
    rows: [
      ['date', machine.date],
      ['CPU', `${machine.cores} cores, ${machine.cpuModel}`],
      ['memory', `${machine.memoryGb} GB`],
      ['Node.js', machine.node],
      ['OS', machine.os],
      [
        'load average (1 min) at start / end',
        `${machine.loadStart.toFixed(2)} / ${machine.loadEnd.toFixed(2)}`,
      ],
      ['embedded stack start', `${machine.stackStartMs.toFixed(0)} ms`],
      ['whole bench run', `${machine.durationS.toFixed(0)} s`],
    ],
  }
  return [
    '# Tidings benchmark report',
    '',
    `Produced by \`npm run bench\` on ${machine.date}. Every number below comes from that one run (one process, one embedded stack).`,
    '',
    formatTable(facts).replace(/^### /, '## '),
    ...(busy
      ? [
          '',
          `The load average exceeded the ${machine.cores} cores: other work shared the machine during this run, so latencies and throughput include that contention.`,
        ]
      : []),
    '',
    `## Summary: ${passed} of ${summary.length} targets met${inconclusive ? `, ${inconclusive} inconclusive (noise wider than the target)` : ''}`,
    '',
    formatTable({ title: 'Targets', headers: TARGET_HEADERS, rows: summary.map(targetRow) }).replace(
      /^### Targets\n\n/,
      '',
    ),
    '',
    ...notMet(summary),
    ...sections.flatMap((s) => [`## ${s.heading}`, '', ...s.tables.flatMap((t) => [formatTable(t), ''])]),
    RERUN,
    '',
  ].join('\n')
}
