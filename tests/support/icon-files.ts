import { crc32, deflateSync } from 'node:zlib'

/**
 * Real image files for favicon tests, made here rather than shipped: a 16×16 PNG in one colour
 * (visible in screenshots), the same PNG inside an ICO (as modern favicon.ico files are), a GIF.
 */
export function solidPng(rgb: readonly [number, number, number], size = 16): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
    return Buffer.concat([head, data, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8 bits per channel, truecolour, no interlace
  // Each row: filter byte 0, then RGB per pixel.
  const row = Buffer.concat([Buffer.of(0), Buffer.from(Array.from({ length: size }, () => rgb).flat())])
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** An ICO holding one PNG image. */
export function icoOf(png: Uint8Array, size = 16): Uint8Array {
  const dir = Buffer.alloc(22)
  dir.writeUInt16LE(1, 2) // type: icon
  dir.writeUInt16LE(1, 4) // one image
  dir.writeUInt8(size, 6)
  dir.writeUInt8(size, 7)
  dir.writeUInt16LE(1, 10) // planes
  dir.writeUInt16LE(32, 12) // bits per pixel
  dir.writeUInt32LE(png.byteLength, 14)
  dir.writeUInt32LE(22, 18) // where the image starts
  return Buffer.concat([dir, png])
}

export const ICON_FILES = {
  png: solidPng([230, 90, 20]),
  ico: icoOf(solidPng([30, 120, 220])),
  /** A 1×1 GIF. */
  gif: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
}
