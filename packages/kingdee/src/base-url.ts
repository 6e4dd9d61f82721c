/**
 * Normalises the site URL to end with `/`; a bare host (`http://h:8702`) gets the standard `/k3cloud/` path,
 * any other path (`/k3cloud`, `/galaxyapi`) is kept. Throws on a malformed URL.
 */
export function normaliseBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  let path = url.pathname.replace(/\/+$/, '');
  if (path === '') path = '/k3cloud';
  return `${url.origin}${path}/`;
}

/** Full URL of a WebAPI service, e.g. `DynamicFormService.Save` → `{base}Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc`. */
export function serviceUrl(base: string, service: string): string {
  return `${base}Kingdee.BOS.WebApi.ServicesStub.${service}.common.kdsvc`;
}
