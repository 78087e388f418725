// The quality pages' hash routes (#/review, #/ab, #/rework, #/qualification, #/admin/<tab>), registered
// in the app router as one route kind so the router needs no knowledge of each page.
export const QUALITY_PAGES = ['review', 'ab', 'rework', 'qualification', 'admin'] as const;
export type QualityPage = (typeof QUALITY_PAGES)[number];

export const isQualityPage = (s: string | undefined): s is QualityPage => (QUALITY_PAGES as readonly string[]).includes(s ?? '');

export function qualityHref(page: string, rest: readonly string[] = []): string {
  return `#/${[page, ...rest].map(encodeURIComponent).join('/')}`;
}
