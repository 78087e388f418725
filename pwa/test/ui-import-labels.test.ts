// The Import page's prefix field says what the importer does with it: every imported category gets the
// prefix (sync-server exchange/cad.ts targetCategory, import-identity.test.ts), not only those whose CAD
// models differ. An admin reading the old label left it blank for a dataset without clashes, or typed one
// expecting only the clashing category renamed.
import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '../src/i18n';
import { useQualityMessages } from '../src/pages/review/messages';

const before = locale.value;
afterEach(() => {
  locale.value = before;
});

describe('Import page prefix labels', () => {
  it('the category prefix applies to every imported category, in English and Chinese', () => {
    locale.value = 'en';
    const en = useQualityMessages().admin.exchange.categoryPrefix;
    expect(en).toMatch(/\bevery imported category\b/);
    expect(en).not.toMatch(/categories whose CAD models differ/);
    locale.value = 'zh';
    const zh = useQualityMessages().admin.exchange.categoryPrefix;
    expect(zh).toMatch(/每个导入类别/);
    expect(zh).not.toMatch(/^导入类别的 CAD 模型与本服务器不同时/);
  });
});
