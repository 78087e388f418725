// The list of migrations, in order. A static list (not a folder scan) so it works the same under
// tsx, vitest and a bundle. Names are timestamps; add new ones at the end.
import type { Migration } from 'kysely';
import * as core from './2026_11_25_0600_core';
import * as sync from './2026_11_25_0700_sync';
import * as quality from './2026_11_25_0710_quality';
import * as attemptAnswers from './2026_12_01_1000_attempt_answers';
import * as noReplace from './2026_12_01_1020_no_replace';
import * as ambiguous from './2026_12_01_1040_ambiguous';
import * as importIdentity from './2026_12_01_1100_import_identity';
import * as questionReports from './2026_12_01_1110_question_reports';
import * as adminAudit from './2026_12_01_1200_admin_audit';
import * as cleared from './2026_12_01_1330_cleared';
import * as goldReveals from './2026_12_01_1330_gold_reveals';
import * as reworkKeeps from './2026_12_01_1330_rework_keeps';

export const migrations: Record<string, Migration> = {
  '2026_11_25_0600_core': core,
  '2026_11_25_0700_sync': sync,
  '2026_11_25_0710_quality': quality,
  '2026_12_01_1000_attempt_answers': attemptAnswers,
  '2026_12_01_1020_no_replace': noReplace,
  '2026_12_01_1040_ambiguous': ambiguous,
  '2026_12_01_1100_import_identity': importIdentity,
  '2026_12_01_1110_question_reports': questionReports,
  '2026_12_01_1200_admin_audit': adminAudit,
  '2026_12_01_1330_cleared': cleared,
  '2026_12_01_1330_gold_reveals': goldReveals,
  '2026_12_01_1330_rework_keeps': reworkKeeps,
};
