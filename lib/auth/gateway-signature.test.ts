import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from './claims.js';
import {
  GATEWAY_PRINCIPAL_HEADER,
  GATEWAY_SIGNATURE_HEADER,
  GatewaySignatureError,
  signGatewayRequest,
  verifyGatewayRequest,
} from './gateway-signature.js';

const SECRET = 'gateway-signature-test-secret-0123456789';
const NOW = 1_790_000_000_000;
const REQUEST = { method: 'POST', target: '/graphql', body: '{"query":"{ customer(id: \\"cus_1\\") { name } }"}' };
const PARTNER: Principal = { authenticated: true, subject: 'partner-acme', issuer: 'commerce-graph', scopes: ['customers:read', 'orders:read'] };

const signed = (principal: Principal = PARTNER, request = REQUEST, at = NOW) => ({ ...request, headers: signGatewayRequest(SECRET, request, principal, at) });
const verify = (request: ReturnType<typeof signed>, options: { now?: number; toleranceMs?: number } = {}) =>
  verifyGatewayRequest(SECRET, request, { now: NOW, ...options });
const refusal = (request: ReturnType<typeof signed>, options: { now?: number; toleranceMs?: number } = {}) => {
  try {
    verify(request, options);
  } catch (err) {
    return err;
  }
  throw new Error('verified');
};

describe('gateway request signatures', () => {
  it('is the hex HMAC-SHA256 of "t\\nMETHOD\\ntarget\\nprincipal header\\nbody", with the principal as base64url JSON', () => {
    const headers = signGatewayRequest(SECRET, REQUEST, PARTNER, NOW);
    const principalHeader = headers[GATEWAY_PRINCIPAL_HEADER]!;
    expect(JSON.parse(Buffer.from(principalHeader, 'base64url').toString('utf8'))).toEqual(PARTNER);
    const expected = createHmac('sha256', SECRET).update(`${NOW}\nPOST\n/graphql\n${principalHeader}\n${REQUEST.body}`).digest('hex');
    expect(headers[GATEWAY_SIGNATURE_HEADER]).toBe(`t=${NOW},v1=${expected}`);
  });

  it('verifies to the principal it vouched for, anonymous and GET included', () => {
    expect(verify(signed())).toEqual(PARTNER);
    expect(verify(signed(ANONYMOUS))).toEqual({ authenticated: false, scopes: [] });
    const get = { method: 'GET', target: '/graphql?query=%7B__typename%7D', body: '' };
    expect(verify(signed(PARTNER, get))).toEqual(PARTNER);
  });

  it('carries only what authorisation reads, whatever else the principal object holds', () => {
    const withExtras = { ...PARTNER, token: 'eyJ…', expiresAt: new Date() } as Principal;
    expect(verify(signed(withExtras))).toEqual(PARTNER);
  });

  it('refuses a request without the headers', () => {
    expect(() => verifyGatewayRequest(SECRET, { ...REQUEST, headers: {} })).toThrow(GatewaySignatureError);
    const { [GATEWAY_SIGNATURE_HEADER]: _signature, ...principalOnly } = signed().headers;
    expect(refusal({ ...REQUEST, headers: principalOnly })).toBeInstanceOf(GatewaySignatureError);
    const { [GATEWAY_PRINCIPAL_HEADER]: _principal, ...signatureOnly } = signed().headers;
    expect(refusal({ ...REQUEST, headers: signatureOnly })).toBeInstanceOf(GatewaySignatureError);
  });

  it('refuses another secret, a changed body, method, target or principal', () => {
    const request = signed();
    expect(() => verifyGatewayRequest('another-secret-of-at-least-32-chars!', request, { now: NOW })).toThrow(/does not match/);
    expect(refusal({ ...request, body: request.body.replace('cus_1', 'cus_2') })).toBeInstanceOf(GatewaySignatureError);
    expect(refusal({ ...request, method: 'GET' })).toBeInstanceOf(GatewaySignatureError);
    expect(refusal({ ...request, target: '/graphql?x=1' })).toBeInstanceOf(GatewaySignatureError);
    // A caller granting itself a scope: the principal is part of what is signed.
    const escalated = Buffer.from(JSON.stringify({ ...PARTNER, scopes: [...PARTNER.scopes, 'customers:pii'] })).toString('base64url');
    expect(refusal({ ...request, headers: { ...request.headers, [GATEWAY_PRINCIPAL_HEADER]: escalated } })).toBeInstanceOf(GatewaySignatureError);
    // Another request's valid signature does not carry over.
    const other = signed(PARTNER, { ...REQUEST, body: '{"query":"{ __typename }"}' });
    expect(refusal({ ...request, headers: other.headers })).toBeInstanceOf(GatewaySignatureError);
  });

  it('refuses malformed signatures', () => {
    const request = signed();
    const signature = request.headers[GATEWAY_SIGNATURE_HEADER]!;
    for (const bad of [signature.slice(0, -2), signature.replace('v1=', 'v2='), signature.replace(/^t=\d+/, 't=soon'), 'v1=00', '', `${signature},v1=${'0'.repeat(64)}`]) {
      expect(refusal({ ...request, headers: { ...request.headers, [GATEWAY_SIGNATURE_HEADER]: bad } }), bad).toBeInstanceOf(GatewaySignatureError);
    }
  });

  it('refuses a principal of the wrong shape, even signed', () => {
    const sign = (json: string) => {
      const principalHeader = Buffer.from(json).toString('base64url');
      const mac = createHmac('sha256', SECRET).update(`${NOW}\nPOST\n/graphql\n${principalHeader}\n${REQUEST.body}`).digest('hex');
      return { ...REQUEST, headers: { [GATEWAY_PRINCIPAL_HEADER]: principalHeader, [GATEWAY_SIGNATURE_HEADER]: `t=${NOW},v1=${mac}` } };
    };
    expect(verify(sign(JSON.stringify(PARTNER)))).toEqual(PARTNER);
    // A field this version does not know (a newer gateway's) is dropped.
    expect(verify(sign('{"authenticated":true,"scopes":["ops"],"tenant":"t1"}'))).toEqual({ authenticated: true, scopes: ['ops'] });
    for (const json of ['not json', 'null', '{"authenticated":true}', '{"authenticated":"yes","scopes":[]}', '{"authenticated":true,"scopes":"ops"}', '{"authenticated":true,"scopes":[1]}']) {
      expect(() => verify(sign(json)), json).toThrow(/Malformed gateway principal/);
    }
  });

  it('refuses a signature stamped outside the tolerance, either way (a replay, or a clock far off)', () => {
    expect(verify(signed(PARTNER, REQUEST, NOW - 60_000))).toEqual(PARTNER);
    expect(refusal(signed(PARTNER, REQUEST, NOW - 60_001))).toBeInstanceOf(GatewaySignatureError);
    expect(() => verify(signed(PARTNER, REQUEST, NOW + 60_001))).toThrow(/outside the time tolerance/);
    expect(verify(signed(PARTNER, REQUEST, NOW - 120_000), { toleranceMs: 300_000 })).toEqual(PARTNER);
  });
});
