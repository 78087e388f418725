// The demo's category ids: `demo-chair`, never `chair`. Real ImageNet3D categories have plain names, so
// an import of real data never lands in (or reuses the procedural meshes of) a demo category.
export const DEMO_CATEGORY_PREFIX = 'demo-';
export const demoCategoryId = (kind: string) => `${DEMO_CATEGORY_PREFIX}${kind}`;
