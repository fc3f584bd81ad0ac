import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from './run-probe.ts';
import { startDnsServer, type TestDnsServer } from './test-servers.ts';
import { dnsSpec, expectEndedAtTimeout } from './test-specs.ts';

let dns: TestDnsServer;
let silent: TestDnsServer;

beforeAll(async () => {
  [dns, silent] = await Promise.all([
    startDnsServer({ 'api.ecotone.test': ['10.0.0.7', '10.0.0.8'] }),
    startDnsServer({}, { silent: true }),
  ]);
});
afterAll(() => Promise.all([dns.close(), silent.close()]));

describe('dns prober against a loopback resolver', () => {
  it('resolves A records and finds the expected answers', async () => {
    const result = await runProbe(
      dnsSpec({ name: 'api.ecotone.test', server: dns.server, expect: ['10.0.0.8'] }),
    );
    expect(result).toMatchObject({ success: true, answers: ['10.0.0.7', '10.0.0.8'] });
    expect(result.phases!.dns!).toBeLessThanOrEqual(result.phases!.total);
  });

  it('fails with condition when an expected answer is missing', async () => {
    const result = await runProbe(
      dnsSpec({ name: 'api.ecotone.test', server: dns.server, expect: ['10.0.0.7', '10.0.0.9'] }),
    );
    expect(result).toMatchObject({ success: false, answers: ['10.0.0.7', '10.0.0.8'] });
    expect(result.failure).toEqual({ class: 'condition', reason: 'missing answer 10.0.0.9' });
  });

  it('fails with dns on NXDOMAIN', async () => {
    const result = await runProbe(dnsSpec({ name: 'nowhere.invalid', server: dns.server }));
    expect(result.failure).toEqual({
      class: 'dns',
      reason: 'cannot resolve nowhere.invalid: name not found (ENOTFOUND)',
    });
  });

  it('fails with dns when the name has no record of the type', async () => {
    const result = await runProbe(
      dnsSpec({ name: 'api.ecotone.test', recordType: 'AAAA', server: dns.server }),
    );
    expect(result.failure).toEqual({
      class: 'dns',
      reason: 'cannot resolve api.ecotone.test: no records of this type (ENODATA)',
    });
  });

  it('fails with timeout at the bound when the resolver never answers', async () => {
    const result = await runProbe(dnsSpec({ name: 'api.ecotone.test', server: silent.server, timeout: 300 }));
    expectEndedAtTimeout(result, 300);
    expect(result.failure?.reason).toBe('timeout after 300ms');
  });

  it('accepts the resolver as a host name', async () => {
    const result = await runProbe(dnsSpec({ name: 'api.ecotone.test', server: `localhost:${dns.port}` }));
    expect(result).toMatchObject({ success: true, answers: ['10.0.0.7', '10.0.0.8'] });
  });
});
