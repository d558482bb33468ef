/**
 * Whether a host name or address is this machine's or the shop's own network's (so the internet
 * cannot reach it): localhost and local suffixes, loopback, private, link-local and shared
 * (carrier-grade NAT) ranges, and a bare machine name only the shop's network resolves.
 * `host` is URL.hostname: lower case, IPv6 still in brackets or not.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || /\.(?:localhost|local|lan|internal|home\.arpa)$/.test(host)) return true;
  if (host === '::1' || host === '::' || host.startsWith('fe80:') || /^f[cd][0-9a-f]{2}:/.test(host)) return true;
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (ipv4) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  // A bare machine name ("fregues", "servidor"): only the shop's network resolves it.
  return !host.includes('.') && !host.includes(':');
}
