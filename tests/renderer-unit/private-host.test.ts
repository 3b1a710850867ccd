import { describe, expect, it } from 'vitest'
import { classifyHost, isPrivateUrl } from '../../src/shared/private-host'

/** [host as a URL or a caller gives it, what it is]: every spelling a hostile article might use. */
const HOSTS: [string, 'loopback' | 'private' | 'public'][] = [
  // Loopback names and IPv4, in the numeric forms browsers accept for 127.0.0.1.
  ['localhost', 'loopback'],
  ['LOCALHOST.', 'loopback'],
  ['app.localhost', 'loopback'],
  ['127.0.0.1', 'loopback'],
  ['127.0.0.2', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['2130706433', 'loopback'],
  ['0x7f.1', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['017700000001', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['127.0.0.1.', 'loopback'],
  ['0.0.0.0', 'loopback'], // connects to this machine
  ['0', 'loopback'],
  // Loopback IPv6, bracketed (as URL.hostname has it) or bare, and IPv4 inside IPv6.
  ['[::1]', 'loopback'],
  ['::1', 'loopback'],
  ['[0:0:0:0:0:0:0:1]', 'loopback'],
  ['[::]', 'loopback'],
  ['[::ffff:127.0.0.1]', 'loopback'],
  ['[::ffff:7f00:2]', 'loopback'],
  ['[::127.0.0.1]', 'loopback'],
  // Private, CGNAT, link-local (cloud metadata), reserved and multicast IPv4.
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.20', 'private'],
  ['100.64.0.1', 'private'],
  ['100.127.255.255', 'private'],
  ['169.254.169.254', 'private'],
  ['0xa9.0xfe.0xa9.0xfe', 'private'],
  ['2852039166', 'private'], // 169.254.169.254
  ['192.0.0.8', 'private'],
  ['198.18.0.1', 'private'],
  ['224.0.0.1', 'private'],
  ['255.255.255.255', 'private'],
  // Private IPv6: ULA, link-local, site-local, multicast, IPv4-compatible, NAT64, mapped private IPv4, 6to4 of a private IPv4.
  ['[fc00::1]', 'private'],
  ['[fd12:3456::1]', 'private'],
  ['[fe80::1]', 'private'],
  ['[febf::1]', 'private'],
  ['[fec0::1]', 'private'],
  ['[ff02::1]', 'private'],
  ['[::a00:1]', 'private'],
  ['[::8.8.8.8]', 'private'],
  ['[64:ff9b::808:808]', 'private'],
  ['[::ffff:10.0.0.1]', 'private'],
  ['[::ffff:169.254.169.254]', 'private'],
  ['[2002:c0a8:101::1]', 'private'],
  // Public addresses and names (a name is not resolved here: that is the connecting side's job).
  ['8.8.8.8', 'public'],
  ['172.15.255.255', 'public'],
  ['172.32.0.1', 'public'],
  ['100.63.255.255', 'public'],
  ['100.128.0.1', 'public'],
  ['169.253.255.255', 'public'],
  ['11.0.0.1', 'public'],
  ['1.1.1.1', 'public'],
  ['[2606:4700:4700::1111]', 'public'],
  ['[::ffff:8.8.8.8]', 'public'],
  ['[2002:808:808::1]', 'public'],
  ['example.com', 'public'],
  ['localhost.example.com', 'public'],
  ['mylocalhost', 'public'],
  ['127.0.0.1.example.com', 'public'],
  ['0x7f.example', 'public'],
  ['', 'public'],
]

describe('classifyHost', () => {
  it.each(HOSTS)('%s is %s', (host, kind) => {
    expect(classifyHost(host)).toBe(kind)
  })
})

describe('isPrivateUrl', () => {
  it('reads the host of a URL in every spelling browsers accept', () => {
    for (const url of [
      'http://127.0.0.2:8080/x.png',
      'http://2130706434/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
      'https://localhost/',
      'http://a.localhost:3000/',
      'http://user:pw@10.1.2.3/',
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1.:9/',
    ]) {
      expect([url, isPrivateUrl(url)]).toEqual([url, true])
    }
    for (const url of [
      'https://example.com/feed',
      'http://8.8.8.8/',
      'https://127.0.0.1.example.com/',
      'not a url',
      '',
      'mailto:a@127.0.0.1',
    ]) {
      expect([url, isPrivateUrl(url)]).toEqual([url, false])
    }
  })
})
