#!/usr/bin/env node
// Writes the tray icons (idle, syncing, degraded, error; 16 px and @2x 32 px) and the 512 px app
// icon into resources/ as PNGs, using only node:zlib. Shapes are rasterised with 4×4 supersampling.
//   node scripts/make-icons.mjs [outDir]
import { Buffer } from 'node:buffer'
import process from 'node:process'
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const outDir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'resources'))

// ---- PNG encoding -----------------------------------------------------------------------------
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
/** rgba: Uint8Array of size*size*4, straight (not premultiplied) alpha. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// ---- tiny rasteriser: a picture is a list of layers painted in order ------------------------
// Each layer: { color: [r,g,b,a], inside(x, y) } in unit coordinates (0..1, y down).
function render(size, layers, samples = 4) {
  const out = new Uint8Array(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0 // premultiplied accumulation
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size
          const y = (py + (sy + 0.5) / samples) / size
          let cr = 0,
            cg = 0,
            cb = 0,
            ca = 0
          for (const layer of layers) {
            if (!layer.inside(x, y)) continue
            const [lr, lg, lb, la = 1] = layer.color
            cr = lr * la + cr * (1 - la)
            cg = lg * la + cg * (1 - la)
            cb = lb * la + cb * (1 - la)
            ca = la + ca * (1 - la)
          }
          r += cr
          g += cg
          b += cb
          a += ca
        }
      }
      const n = samples * samples
      const i = (py * size + px) * 4
      const alpha = a / n
      out[i] = alpha ? Math.round(r / n / alpha) : 0
      out[i + 1] = alpha ? Math.round(g / n / alpha) : 0
      out[i + 2] = alpha ? Math.round(b / n / alpha) : 0
      out[i + 3] = Math.round(alpha * 255)
    }
  }
  return out
}

const circle = (cx, cy, radius) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const union =
  (...shapes) =>
  (x, y) =>
    shapes.some((s) => s(x, y))
const roundedRect = (x0, y0, x1, y1, radius) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false
  const cx = Math.min(Math.max(x, x0 + radius), x1 - radius)
  const cy = Math.min(Math.max(y, y0 + radius), y1 - radius)
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2
}
const ring = (cx, cy, outer, inner) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2
  return d <= outer ** 2 && d >= inner ** 2
}
/** The "T" glyph, centred, its bar and stem `weight` thick (unit coordinates). */
const glyphT = (weight, top = 0.27, bottom = 0.75, half = 0.23) =>
  union(
    rect(0.5 - half, top, 0.5 + half, top + weight),
    rect(0.5 - weight / 2, top, 0.5 + weight / 2, bottom),
  )

const hex = (value, alpha = 1) => [
  parseInt(value.slice(1, 3), 16),
  parseInt(value.slice(3, 5), 16),
  parseInt(value.slice(5, 7), 16),
  alpha,
]
const WHITE = hex('#ffffff')

const TRAY = {
  idle: hex('#7a7a80'),
  syncing: hex('#2563eb'),
  degraded: hex('#d97706'),
  error: hex('#dc2626'),
}

function trayLayers(name, size) {
  // Thicker strokes at 16 px so the glyph survives the small size.
  const weight = size <= 16 ? 0.19 : 0.15
  const layers = [{ color: TRAY[name], inside: circle(0.5, 0.5, 0.47) }]
  if (name === 'syncing') {
    // A lighter inner ring reads as "in motion" without animation.
    layers.push({ color: hex('#ffffff', 0.35), inside: ring(0.5, 0.5, 0.47, size <= 16 ? 0.36 : 0.39) })
  }
  layers.push({ color: WHITE, inside: glyphT(weight, 0.25, 0.77, 0.24) })
  if (name === 'degraded' || name === 'error') {
    // A small badge dot in the corner to tell the states apart without colour.
    layers.push({ color: WHITE, inside: circle(0.82, 0.2, 0.17) })
    layers.push({ color: TRAY[name], inside: circle(0.82, 0.2, 0.11) })
  }
  return layers
}

function appIconLayers() {
  const top = hex('#3b82f6')
  const bottom = hex('#1d4ed8')
  const shape = roundedRect(0.06, 0.06, 0.94, 0.94, 0.2)
  const layers = []
  // A vertical gradient in bands.
  const bands = 32
  for (let i = 0; i < bands; i++) {
    const t = i / (bands - 1)
    const color = top.map((c, k) => (k === 3 ? 1 : Math.round(c + (bottom[k] - c) * t)))
    const y0 = 0.06 + (0.88 * i) / bands
    const y1 = 0.06 + (0.88 * (i + 1)) / bands + 0.001
    layers.push({ color, inside: (x, y) => y >= y0 && y <= y1 && shape(x, y) })
  }
  layers.push({ color: WHITE, inside: glyphT(0.12, 0.27, 0.74, 0.22) })
  // Feed arcs in the lower right corner.
  layers.push({
    color: hex('#ffffff', 0.85),
    inside: (x, y) => x > 0.62 && y < 0.84 && ring(0.62, 0.84, 0.2, 0.15)(x, y),
  })
  layers.push({ color: hex('#ffffff', 0.85), inside: circle(0.66, 0.8, 0.035) })
  return layers
}

mkdirSync(outDir, { recursive: true })
const written = []
for (const name of Object.keys(TRAY)) {
  for (const [suffix, size] of [
    ['', 16],
    ['@2x', 32],
  ]) {
    const file = join(outDir, `tray-${name}${suffix}.png`)
    writeFileSync(file, encodePng(size, render(size, trayLayers(name, size))))
    written.push(file)
  }
}
const appIcon = join(outDir, 'icon.png')
writeFileSync(appIcon, encodePng(512, render(512, appIconLayers(), 2)))
written.push(appIcon)
process.stdout.write(written.map((f) => `wrote ${f}\n`).join(''))
