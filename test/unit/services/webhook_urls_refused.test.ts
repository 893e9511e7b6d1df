import { describe, expect, it } from 'vitest';
import { WebhookUrlError } from '../../../src/errors/webhook-url-error.js';
import { checkWebhookUrl } from '../../../src/services/webhook-url-guard.js';

describe('a webhook URL', () => {
  it.each([
    ['http://hooks.example.com/x', /must use https:/],
    ['ftp://hooks.example.com/x', /must use https:/],
    ['not a url', /is not a URL/],
    ['https://user:pw@93.184.215.14/x', /user name or password/],
    ['https://127.0.0.1/x', /127\.0\.0\.1, which is not a public address/],
    ['https://localhost:8443/x', /not a public address/],
    ['https://10.1.2.3/x', /not a public address/],
    ['https://192.168.0.10/x', /not a public address/],
    ['https://172.16.5.4/x', /not a public address/],
    ['https://169.254.169.254/latest/meta-data', /not a public address/],
    ['https://100.64.0.1/x', /not a public address/],
    ['https://0.0.0.0/x', /not a public address/],
    ['https://[::1]/x', /not a public address/],
    ['https://[fd00::1]/x', /not a public address/],
    ['https://[fe80::1]/x', /not a public address/],
    ['https://[::ffff:127.0.0.1]/x', /not a public address/],
    ['https://2130706433/x', /not a public address/],
  ])('%s is refused', async (url, message) => {
    const refusal = checkWebhookUrl(url, false);
    await expect(refusal).rejects.toBeInstanceOf(WebhookUrlError);
    await expect(refusal).rejects.toThrow(message);
  });

  it('is taken over https to a public address', async () => {
    expect((await checkWebhookUrl('https://93.184.215.14/hooks', false)).href).toBe('https://93.184.215.14/hooks');
    expect((await checkWebhookUrl('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hooks', false)).hostname).toBe(
      '[2606:2800:21f:cb07:6820:80da:af6b:8b2c]',
    );
  });

  it('may be plain http to loopback where the environment allows it (tests, local development)', async () => {
    expect((await checkWebhookUrl('http://127.0.0.1:9999/hooks', true)).port).toBe('9999');
  });
});
