import { bodyTypeVerdict, crossSiteVerdict, type CrossSiteInput } from './cross-site';

const HOST = 'sync.internal:8700';
const allowed = new Set(['https://sync.example.com']);
const req = (over: Partial<CrossSiteInput>): CrossSiteInput => ({ method: 'POST', secFetchSite: undefined, origin: undefined, host: HOST, bearer: false, ...over });

describe('crossSiteVerdict', () => {
  it.each<[string, Partial<CrossSiteInput>, boolean]>([
    ['GET from anywhere', { method: 'GET', secFetchSite: 'cross-site', origin: 'https://evil.example' }, true],
    ['HEAD from anywhere', { method: 'HEAD', secFetchSite: 'cross-site' }, true],
    ['bearer token from another site', { bearer: true, secFetchSite: 'cross-site', origin: 'https://evil.example' }, true],
    ['same-origin fetch', { secFetchSite: 'same-origin', origin: `http://${HOST}` }, true],
    ['user-typed (none)', { secFetchSite: 'none' }, true],
    ['cross-site fetch', { secFetchSite: 'cross-site', origin: 'https://evil.example' }, false],
    ['same-site (another subdomain)', { secFetchSite: 'same-site', origin: 'https://other.internal' }, false],
    ['cross-site, upper case', { secFetchSite: 'Cross-Site', origin: 'https://evil.example' }, false],
    ['allowed proxy origin, cross-site by the browser', { secFetchSite: 'cross-site', origin: 'https://sync.example.com' }, true],
    ['allowed origin written with a default port', { origin: 'https://sync.example.com:443' }, true],
    ['no Sec-Fetch-Site, Origin = own host', { origin: `http://${HOST}` }, true],
    ['no Sec-Fetch-Site, Origin = own host over https', { origin: `https://${HOST.toUpperCase()}` }, true],
    ['no Sec-Fetch-Site, other Origin', { origin: 'https://evil.example' }, false],
    ['no Sec-Fetch-Site, same host other port', { origin: 'http://sync.internal:9999' }, false],
    ['Origin null (sandboxed frame)', { origin: 'null' }, false],
    ['unparsable Origin', { origin: 'not a url' }, false],
    ['neither header (curl, CLI with Basic)', {}, true],
    ['DELETE cross-site', { method: 'DELETE', secFetchSite: 'cross-site', origin: 'https://evil.example' }, false],
    ['PUT cross-site (Bull Board API)', { method: 'PUT', secFetchSite: 'cross-site', origin: 'https://evil.example' }, false],
    ['PATCH no-cors from another origin', { method: 'PATCH', origin: 'https://evil.example' }, false],
  ])('%s → allowed %s', (_name, over, expected) => {
    const verdict = crossSiteVerdict(req(over), allowed);
    expect(verdict.allowed).toBe(expected);
    if (!verdict.allowed) expect(verdict.reason).toMatch(/origin|Sec-Fetch-Site/);
  });
});

describe('bodyTypeVerdict', () => {
  const body = (method: string, contentType?: string, contentLength?: string, transferEncoding?: string) =>
    bodyTypeVerdict({ method, contentType, contentLength, transferEncoding }).allowed;
  it.each<[string, boolean]>([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON; charset="UTF-8"', true],
    ['application/json; charset=utf-16', false],
    ['text/plain', false],
    ['text/plain;charset=UTF-8', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['application/json-patch+json', false],
    ['', false],
  ])('POST with content-type %j → allowed %s', (contentType, expected) => {
    expect(body('POST', contentType, '2')).toBe(expected);
    expect(body('POST', contentType, '0')).toBe(expected); // even an empty body: the type is what a page chose
  });
  it('allows a body-less request without a content type, refuses a body without one', () => {
    expect(body('POST')).toBe(true);
    expect(body('PUT', undefined, '0')).toBe(true);
    expect(body('POST', undefined, '5')).toBe(false);
    expect(body('DELETE', undefined, undefined, 'chunked')).toBe(false);
  });
  it('ignores safe methods', () => {
    expect(body('GET', 'text/plain', '5')).toBe(true);
  });
});
