// One rule for an account id wherever one is made or named: `user add`, an import's annotators and the
// admin routes. Three copies had drifted (Admin refused the '@' the CLI and imports accept, so an account
// named by e-mail address could not be assigned, edited or disabled in the browser). Letters of any
// script and inner spaces are allowed: the original tool took any text as an annotator's id ('Zoë',
// 'Lab Manager'), and refusing one at import dropped that person's tasks and saved answers.
// Refused too, because they make two ids that look alike: invisible characters (a variation selector,
// the Hangul filler: Default_Ignorable_Code_Point) and letters of Latin, Greek and Cyrillic mixed in one
// id ('аlice' with a Cyrillic а beside 'alice'). Fullwidth forms are folded by normalizeUserId (NFKC).
const INVISIBLE = '(?!.*\\p{Default_Ignorable_Code_Point})';
const MIXED = ['Latin', 'Greek', 'Cyrillic'].flatMap((a, i, all) => all.slice(i + 1).map((b) => `(?!(?=.*\\p{Script=${a}}).*\\p{Script=${b}})`)).join('');
export const USER_ID = new RegExp(`^${INVISIBLE}${MIXED}[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N}._@ -]{0,62}[\\p{L}\\p{M}\\p{N}._@-])?$`, 'u');
export const USER_ID_RULE = 'letters, digits, . _ @ - and inner spaces, up to 64 characters, starting with a letter or digit; no invisible characters, no Latin, Greek and Cyrillic letters mixed';
/**
 * An account id as stored and looked up: Unicode NFKC, so 'Zoë' typed on one keyboard (e + combining
 * diaeresis) and on another (one ë), or 'ｚｏｅ' in fullwidth letters, is one account, not two that look
 * the same. Ids made before letters beyond ASCII were allowed are unchanged by it.
 */
export const normalizeUserId = (id: string): string => id.normalize('NFKC');
/** What --user-prefix (and the upload's userPrefix) may be: the start of a user id. */
export const USER_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,31}$/;
