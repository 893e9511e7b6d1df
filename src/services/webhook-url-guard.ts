import { lookup as lookupWithCallback, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { WebhookUrlError } from '../errors/webhook-url-error.js';

/**
 * Whether events may be sent to `raw`: https only, no credentials in it, and a host that is (and
 * resolves only to) public unicast addresses, so a webhook cannot reach loopback, private,
 * link-local, carrier-grade NAT or other internal addresses. `allowPrivate` (tests, local
 * development) lets plain http and any address through. Checked when a subscription is made and
 * again before every delivery, so a name that later resolves inward is refused then too.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError(`"${raw}" is not a URL.`);
  }
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol))
    throw new WebhookUrlError(`The webhook URL must use ${schemes.join(' or ')}; it uses ${url.protocol}`);
  if (url.username || url.password) throw new WebhookUrlError('The webhook URL may not carry a user name or password.');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host) ? [host] : await resolve(host);
  const inward = addresses.find((address) => !isPublicAddress(address));
  if (inward !== undefined) throw new WebhookUrlError(`The webhook host ${host} resolves to ${inward}, which is not a public address.`);
  return url;
}

async function resolve(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw new WebhookUrlError(`The webhook host ${host} does not resolve.`);
  }
}

/** A public unicast address (IPv4-mapped IPv6 judged as the IPv4 it maps). */
export function isPublicAddress(address: string): boolean {
  return ipaddr.process(address).range() === 'unicast';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for outgoing connections that fails unless every address the name resolves to is
 * public: given to the connection itself, so a name that resolved outward when it was checked
 * cannot resolve inward when it is connected to.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookupWithCallback(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const inward = addresses.find((a) => !isPublicAddress(a.address));
    if (inward)
      return callback(
        Object.assign(new Error(`${hostname} resolves to ${inward.address}, which is not a public address`), { code: 'EADDRNOTPUBLIC' }),
        [],
      );
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}
