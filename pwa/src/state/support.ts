// The support/contact link the admin sets. Read once per session; offline it is simply not shown (the
// annotate page works without it), which is why a failed read is not an error here.
import { signal } from '@preact/signals';
import { api } from './api';

export const supportUrl = signal<string | null>(null);
let asked = false;

export async function loadSupportUrl(): Promise<void> {
  if (asked) return;
  asked = true;
  try {
    supportUrl.value = (await api<{ url: string | null }>('GET', '/api/settings/support')).url;
  } catch {
    asked = false; // offline: try again next time the page opens (see above)
  }
}

export async function saveSupportUrl(url: string | null): Promise<void> {
  supportUrl.value = (await api<{ url: string | null }>('PUT', '/api/admin/settings/support', { url })).url;
}
