/**
 * Elements feed and page HTML never keeps, with their content: they run code, restyle the app,
 * load other documents or post forms. The window's sanitizer forbids them (lib/sanitize.ts); main's
 * reader-view cleaning drops them too (core/reader/article-extract.ts).
 */
export const UNSAFE_ELEMENTS = [
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'form',
  'object',
  'embed',
  'link',
  'meta',
  'base',
  'input',
  'button',
  'textarea',
  'select',
  'option',
]
