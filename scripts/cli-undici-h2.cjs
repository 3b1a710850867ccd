/**
 * undici's HTTP/2 client as the CLI bundle sees it (vite.cli.config.ts aliases client.js's
 * `./client-h2.js` here): loaded on the first HTTP/2 connection instead of with every client.
 * client.js requires it at load time, and it requires node:http2 (with its own internals) at once,
 * for connections Tidings never makes: undici offers HTTP/2 only when asked (allowH2), and no
 * Agent of ours asks. Should one ever do, this loads the real module then.
 */
'use strict'

let connectH2 = null

module.exports = function lazyConnectH2(client, socket) {
  connectH2 ??= require('undici/lib/dispatcher/client-h2.js')
  return connectH2(client, socket)
}
