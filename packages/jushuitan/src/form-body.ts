/** application/x-www-form-urlencoded body with every key and value percent-encoded as UTF-8 (spaces as %20). */
export function encodeForm(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}
