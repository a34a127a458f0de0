import { describe, expect, it } from 'vitest';
import { embeddedIpv4, forbiddenHostname, forbiddenReason, isForbiddenAddress } from '../../src/net/address.js';

// Pure unit tests: nothing here opens a connection.
describe('address checks', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1',
    '169.254.169.254', '169.254.0.1', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
    '::ffff:169.254.169.254', '::ffff:10.1.2.3', '64:ff9b::a9fe:a9fe', '2002:c0a8:0101::1', '::127.0.0.1', 'fe80::1%eth0',
  ])('refuses %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '172.15.255.255', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8'])(
    'allows public %s',
    (ip) => {
      expect(isForbiddenAddress(ip)).toBe(false);
    },
  );

  it('names the reason', () => {
    expect(forbiddenReason('169.254.169.254')).toMatch(/metadata/);
    expect(forbiddenReason('::ffff:127.0.0.1')).toMatch(/loopback.*inside IPv6/);
    expect(forbiddenReason('not-an-ip')).toBe('not an IP address');
  });

  it('extracts IPv4 embedded in IPv6', () => {
    expect(embeddedIpv4('::ffff:192.168.0.1')).toBe('192.168.0.1');
    expect(embeddedIpv4('64:ff9b::0808:0808')).toBe('8.8.8.8');
    expect(embeddedIpv4('2002:0a00:0001::')).toBe('10.0.0.1');
    expect(embeddedIpv4('2606:4700::1')).toBeNull();
  });

  it('refuses loopback and metadata names before DNS', () => {
    expect(forbiddenHostname('localhost')).not.toBeNull();
    expect(forbiddenHostname('foo.localhost.')).not.toBeNull();
    expect(forbiddenHostname('metadata.google.internal')).not.toBeNull();
    expect(forbiddenHostname('example.com')).toBeNull();
  });
});
