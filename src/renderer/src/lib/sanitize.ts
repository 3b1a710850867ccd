/**
 * Feed HTML is untrusted. DOMPurify removes scripts, event handlers and javascript: URLs; we also
 * forbid style/iframe/form/object/embed (and inline style attributes, which can overlay the app),
 * resolve relative links against the article URL, and make links open externally with noopener.
 */
import DOMPurify from 'dompurify'
import { isWebUrl, parseWebUrl } from '../../../shared/web-url'

const FORBID_TAGS = ['script', 'style', 'iframe', 'frame', 'frameset', 'form', 'object', 'embed', 'link', 'meta', 'base', 'input', 'button', 'textarea', 'select', 'option']
const FORBID_ATTR = ['style', 'srcdoc', 'formaction', 'action', 'ping']

let baseUrl: string | null = null
let hooked = false

function absolute(value: string): string | null {
  try {
    const url = new URL(value, baseUrl ?? undefined)
    return isWebUrl(url) || url.protocol === 'mailto:' ? url.toString() : null
  } catch {
    return null
  }
}

function installHooks(): void {
  if (hooked) return
  hooked = true
  DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
    // Belt and braces: DOMPurify already drops these, but never let an on* handler through.
    if (data.attrName.toLowerCase().startsWith('on')) data.keepAttr = false
  })
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href')
      const resolved = href ? absolute(href) : null
      if (resolved) {
        node.setAttribute('href', resolved)
        node.setAttribute('target', '_blank')
        node.setAttribute('rel', 'noopener noreferrer')
      } else {
        node.removeAttribute('href')
        node.removeAttribute('target')
      }
    }
    if (node.tagName === 'IMG') {
      const src = node.getAttribute('src')?.trim() ?? ''
      // Inline images are fine in <img> (no script runs there); anything else must be http(s).
      const resolved = /^data:image\/[a-z0-9.+-]+[;,]/i.test(src) ? src : src ? absolute(src) : null
      if (resolved && !resolved.startsWith('mailto:')) node.setAttribute('src', resolved)
      else node.removeAttribute('src')
      node.removeAttribute('srcset')
      node.setAttribute('loading', 'lazy')
      node.setAttribute('referrerpolicy', 'no-referrer')
    } else if (node.hasAttribute('src') || node.hasAttribute('poster')) {
      // <audio>, <video>, <source>, <track>: only absolute http(s). A relative src would resolve
      // against the app itself (app://tidings in Electron), not against the article.
      for (const name of ['src', 'poster']) {
        const value = node.getAttribute(name)?.trim()
        if (value === undefined) continue
        const resolved = value ? absolute(value) : null
        if (resolved && !resolved.startsWith('mailto:')) node.setAttribute(name, resolved)
        else node.removeAttribute(name)
      }
      node.removeAttribute('srcset')
    }
  })
}

export function sanitizeArticleHtml(html: string, articleUrl?: string | null): string {
  installHooks()
  baseUrl = articleUrl ?? null
  try {
    return DOMPurify.sanitize(html, {
      FORBID_TAGS,
      FORBID_ATTR,
      ALLOW_DATA_ATTR: false,
      ALLOW_UNKNOWN_PROTOCOLS: false,
    })
  } finally {
    baseUrl = null
  }
}

/** Only http(s) links are rendered as links at all. */
export function safeExternalUrl(url: string | null | undefined): string | null {
  return url ? (parseWebUrl(url)?.toString() ?? null) : null
}
