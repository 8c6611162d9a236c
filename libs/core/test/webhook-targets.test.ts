import { describe, expect, it } from 'vitest';
import { deniedRange, hostAllowed } from '../src/webhooks/webhooks.service.js';

describe('webhook target policy', () => {
  it('names the range of every address public-only delivery refuses, IPv4 carried in IPv6 included', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['64:ff9b::a00:1', 'private'],
      ['10.0.0.1', 'private'],
      ['172.16.5.4', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.0.1', 'private'],
      ['100.64.0.1', 'private'],
      ['fd12:3456::1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['0.0.0.0', 'special-purpose'],
      ['::', 'special-purpose'],
      ['224.0.0.1', 'special-purpose'],
      ['255.255.255.255', 'special-purpose'],
      ['2001:db8::1', 'special-purpose'],
      ['not an address', 'special-purpose'],
    ];
    for (const [address, kind] of cases) expect(deniedRange(address), address).toBe(kind);
    for (const address of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(deniedRange(address), address).toBeNull();
    }
  });

  it('matches an allow-list exactly, or by subdomain for "*." entries, ignoring case and IPv6 brackets', () => {
    const hosts = ['hooks.example.com', '*.pipelines.example', '::1', '10.0.0.5'];
    for (const host of ['hooks.example.com', 'HOOKS.example.com', 'a.pipelines.example', 'a.b.pipelines.example', '[::1]', '10.0.0.5']) {
      expect(hostAllowed(hosts, host), host).toBe(true);
    }
    for (const host of [
      'example.com',
      'xhooks.example.com',
      'pipelines.example',
      'apipelines.example',
      'hooks.example.com.evil',
      '10.0.0.6',
    ]) {
      expect(hostAllowed(hosts, host), host).toBe(false);
    }
  });
});
