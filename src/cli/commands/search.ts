import { createArticleSearch } from '../../core/storage/article-search'
import type { SearchHit } from '../../shared/models'
import { CliError, EXIT, parseOptions, type Command } from '../cli-kit'
import { withAdmin } from '../database-session'

const describeHit = (hit: SearchHit): string => {
  const title = hit.titleHighlight.map((s) => (s.match ? `*${s.text}*` : s.text)).join('') || '(untitled)'
  const body = hit.bodyHighlight.map((s) => (s.match ? `*${s.text}*` : s.text)).join('')
  return `${String(hit.id).padStart(6)}  ${hit.publishedAt.slice(0, 10)}  ${title}${body ? `\n        ${body}` : ''}`
}

export const searchCommand: Command = {
  async run(ctx) {
    const { values, positionals } = parseOptions({
      args: ctx.argv,
      options: { limit: { type: 'string' }, offset: { type: 'string' } },
      allowPositionals: true,
    })
    const query = positionals.join(' ').trim()
    if (!query) throw new CliError('search needs some words', EXIT.badInput)
    const limit = Number(values.limit ?? 20)
    const offset = Number(values.offset ?? 0)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new CliError('--limit must be 1-100', EXIT.badInput)
    if (!Number.isInteger(offset) || offset < 0)
      throw new CliError('--offset must be 0 or more', EXIT.badInput)
    await withAdmin(ctx, async (admin) => {
      const page = await createArticleSearch(admin).search({ query: query.slice(0, 500), limit, offset })
      ctx.out.result(
        page,
        page.hits.length ? page.hits.map(describeHit).join('\n') : `Nothing found for ${query}`,
      )
    })
  },
}
