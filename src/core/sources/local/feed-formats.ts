import type { AnyFeed, AtomFeed, JsonFeed, RdfFeed, RssFeed } from 'feedsmith'
import { parseWebUrl } from '../../../shared/web-url'
import { htmlToPlainText } from './plain-text'
import { rawMedia, type RawMedia } from './media'

/**
 * Flattens feedsmith's four format-shaped trees into one neutral shape, without judging
 * anything: no URL resolution, date parsing or keys here (parse-feed does that once for all).
 * Titles are the exception: they come out as plain text, because publishers leave entities and
 * tags in them (Atom type="html", JSON Feed, RSS) and every reader of a title wants text.
 */
export interface RawFeed {
  title: string | null
  siteLink: string | null
  /** xml:base on the channel/feed element, if the parser exposes it. */
  base: string | null
  items: RawItem[]
}

export interface RawItem {
  id: string | null
  link: string | null
  base: string | null
  title: string | null
  author: string | null
  summary: string | null
  content: string | null
  /** Candidate date strings, most relevant first (published before updated). */
  dates: (string | null | undefined)[]
  media: RawMedia | null
}

export function toRawFeed(parsed: AnyFeed): RawFeed {
  switch (parsed.format) {
    case 'rss':
      return fromRss(parsed.feed)
    case 'atom':
      return fromAtom(parsed.feed)
    case 'rdf':
      return fromRdf(parsed.feed)
    case 'json':
      return fromJson(parsed.feed)
  }
}

function fromRss(feed: RssFeed.Feed<string>): RawFeed {
  return {
    title: plain(feed.title),
    siteLink: text(feed.link) ?? alternateLink(feed.atom?.links),
    base: text(feed.xml?.base),
    items: (feed.items ?? []).map((item) => {
      const guid = text(item.guid?.value)
      // RSS: a guid is a permalink unless isPermaLink="false", so it stands in for a missing link.
      const guidLink = guid && item.guid?.isPermaLink !== false && parseWebUrl(guid) !== null ? guid : null
      return {
        id: guid,
        link: text(item.link) ?? alternateLink(item.atom?.links) ?? guidLink,
        base: text(item.xml?.base),
        title: plain(item.title) ?? plain(first(item.dc?.titles)),
        author: rssPerson(item.authors?.[0]) ?? first(item.dc?.creators) ?? text(item.itunes?.author),
        summary: text(item.description),
        content: text(item.content?.encoded),
        dates: [item.pubDate, first(item.dc?.dates), item.atom?.published, item.atom?.updated],
        media: rawMedia(
          (item.enclosures ?? []).map((e) => ({
            url: e.url ?? '',
            type: text(e.type),
            length: e.length ?? null,
          })),
          item.media,
          item.itunes?.duration,
        ),
      }
    }),
  }
}

function fromAtom(feed: AtomFeed.Feed<string>): RawFeed {
  // Atom §4.2.1: an entry without authors inherits the feed's.
  const feedAuthor = atomPerson(feed.authors?.[0])
  return {
    title: atomTitle(feed.title),
    siteLink: alternateLink(feed.links),
    base: text(feed.xml?.base),
    items: (feed.entries ?? []).map((entry) => ({
      id: text(entry.id),
      link: alternateLink(entry.links),
      base: text(entry.xml?.base),
      title: atomTitle(entry.title),
      author: atomPerson(entry.authors?.[0]) ?? first(entry.dc?.creators) ?? feedAuthor,
      summary: atomText(entry.summary),
      content: entry.content?.src ? null : atomText(entry.content),
      dates: [entry.published, entry.updated, first(entry.dc?.dates)],
      media: rawMedia(
        (entry.links ?? [])
          .filter((l) => l.rel === 'enclosure')
          .map((l) => ({ url: l.href ?? '', type: text(l.type), length: l.length ?? null })),
        entry.media,
        entry.itunes?.duration,
      ),
    })),
  }
}

function fromRdf(feed: RdfFeed.Feed<string>): RawFeed {
  return {
    title: plain(feed.title),
    siteLink: text(feed.link),
    base: text(feed.xml?.base),
    items: (feed.items ?? []).map((item) => ({
      // rdf:about is a resource URI, usually the link itself; the link is the stable identity.
      id: null,
      link: text(item.link),
      base: text(item.xml?.base),
      title: plain(item.title),
      author: first(item.dc?.creators),
      summary: text(item.description),
      content: text(item.content?.encoded),
      dates: [first(item.dc?.dates), first(item.dcterms?.issued), first(item.dcterms?.modified)],
      media: rawMedia([], item.media),
    })),
  }
}

function fromJson(feed: JsonFeed.Feed<string>): RawFeed {
  return {
    title: plain(feed.title),
    siteLink: text(feed.home_page_url),
    base: null,
    items: (feed.items ?? []).map((item) => ({
      id: item.id === undefined || item.id === null ? null : text(String(item.id)),
      link: text(item.url) ?? text(item.external_url),
      base: null,
      title: plain(item.title),
      author: text(item.authors?.[0]?.name),
      summary: text(item.summary),
      content: text(item.content_html) ?? escapedText(item.content_text),
      dates: [item.date_published, item.date_modified],
      media: rawMedia(
        (item.attachments ?? []).map((a) => ({
          url: a.url ?? '',
          type: text(a.mime_type),
          length: a.size_in_bytes ?? null,
        })),
        undefined,
      ),
    })),
  }
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim()
  return trimmed ? trimmed : null
}

function plain(value: string | null | undefined): string | null {
  const t = text(value)
  return t && text(htmlToPlainText(t))
}

/** An Atom title of type="text" is literal already; html and xhtml ones carry markup. */
function atomTitle(construct: { value?: string; type?: string } | undefined): string | null {
  return construct?.type === 'text' ? text(construct.value) : plain(construct?.value)
}

function first(values: readonly (string | null | undefined)[] | undefined): string | null {
  return text(values?.[0])
}

function alternateLink(
  links: readonly { href?: string; rel?: string; type?: string }[] | undefined,
): string | null {
  if (!links) return null
  // href="" would resolve to the feed document itself: such a link is no link.
  const alternates = links.filter((l) => (!l.rel || l.rel === 'alternate') && l.href?.trim())
  const html = alternates.find((l) => !l.type || /html/i.test(l.type))
  return text((html ?? alternates[0])?.href)
}

function rssPerson(person: RssFeed.Person | undefined): string | null {
  return text(person?.name) ?? text(person?.email)
}

function atomPerson(person: { name?: string; email?: string } | undefined): string | null {
  return text(person?.name) ?? text(person?.email)
}

/** Atom text constructs may be plain text; everything downstream treats these fields as HTML. */
function atomText(construct: { value?: string; type?: string } | undefined): string | null {
  if (!construct) return null
  return construct.type === 'text' ? escapedText(construct.value) : text(construct.value)
}

function escapedText(value: string | null | undefined): string | null {
  const t = text(value)
  return t && t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
