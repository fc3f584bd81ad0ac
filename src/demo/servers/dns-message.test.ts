import { describe, expect, it } from 'vitest';
import { buildResponse, parseQuery, RCODE } from './dns-message.ts';

/** A query as `dig api.kestrel-parcel.example A` sends it (id 0x1234, recursion desired). */
const QUERY = Buffer.from(
  '12340100000100000000000003617069' + '0e6b65737472656c2d70617263656c07' + '6578616d706c650000010001',
  'hex',
);

describe('dns messages', () => {
  it('parses a one-question query, lower-casing the name', () => {
    const upper = Buffer.from(QUERY);
    upper.write('API', 13, 'latin1');
    expect(parseQuery(upper)).toMatchObject({
      id: 0x1234,
      opcode: 0,
      recursionDesired: true,
      name: 'api.kestrel-parcel.example',
      type: 1,
      class: 1,
    });
  });

  it.each([
    ['shorter than a header', QUERY.subarray(0, 11)],
    ['a response', Buffer.concat([QUERY.subarray(0, 2), Buffer.from([0x81, 0x00]), QUERY.subarray(4)])],
    ['two questions', Buffer.concat([QUERY.subarray(0, 4), Buffer.from([0, 2]), QUERY.subarray(6)])],
    ['a truncated name', QUERY.subarray(0, 20)],
    ['a compressed name', Buffer.concat([QUERY.subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])])],
    ['no type and class', QUERY.subarray(0, QUERY.length - 2)],
  ])('ignores %s', (_, packet) => {
    expect(parseQuery(packet)).toBeUndefined();
  });

  it('answers with the question echoed and one A record per address', () => {
    const query = parseQuery(QUERY);
    if (!query) throw new Error('query did not parse');
    const response = buildResponse(query, RCODE.noError, ['127.0.0.1'], 30);
    expect(response.readUInt16BE(0)).toBe(0x1234);
    expect(response.readUInt16BE(2)).toBe(0x8500);
    expect([4, 6, 8, 10].map((offset) => response.readUInt16BE(offset))).toEqual([1, 1, 0, 0]);
    expect(response.subarray(12, QUERY.length)).toEqual(QUERY.subarray(12));
    expect(response.subarray(QUERY.length).toString('hex')).toBe(
      'c00c00010001' + '0000001e' + '0004' + '7f000001',
    );
  });

  it('sets the response code and no answers for NXDOMAIN', () => {
    const query = parseQuery(QUERY);
    if (!query) throw new Error('query did not parse');
    const response = buildResponse(query, RCODE.nameError);
    expect(response.readUInt16BE(2) & 0x0f).toBe(3);
    expect(response.readUInt16BE(6)).toBe(0);
    expect(response.length).toBe(QUERY.length);
  });
});
