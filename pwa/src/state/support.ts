// The support/contact link the admin sets. Read once per session; offline it is simply not shown (the
// annotate page works without it), which is why a failed read is not an error here.
import { signal } from '@preact/signals';
import { apiJson, unwrap } from './review-http';

export const supportUrl = signal<string | null>(null);
let asked = false;

export async function loadSupportUrl(): Promise<void> {
  if (asked) return;
  asked = true;
  const r = await apiJson<{ url: string | null }>('GET', '/api/settings/support');
  if (r.ok) supportUrl.value = r.data.url;
  else asked = false; // try again next time the page opens
}

export async function saveSupportUrl(url: string | null): Promise<void> {
  supportUrl.value = unwrap(await apiJson<{ url: string | null }>('PUT', '/api/admin/settings/support', { url })).url;
}
