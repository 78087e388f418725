// One rule for an account id wherever one is made or named: `user add`, an import's annotators and the
// admin routes. Three copies had drifted (Admin refused the '@' the CLI and imports accept, so an account
// named by e-mail address could not be assigned, edited or disabled in the browser). Letters of any
// script and inner spaces are allowed: the original tool took any text as an annotator's id ('Zoë',
// 'Lab Manager'), and refusing one at import dropped that person's tasks and saved answers.
export const USER_ID = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}._@ -]{0,62}[\p{L}\p{M}\p{N}._@-])?$/u;
export const USER_ID_RULE = 'letters, digits, . _ @ - and inner spaces, up to 64 characters, starting with a letter or digit';
/**
 * An account id as stored and looked up: Unicode NFC, so 'Zoë' typed on one keyboard (e + combining
 * diaeresis) and on another (one ë) is one account, not two that look the same.
 */
export const normalizeUserId = (id: string): string => id.normalize('NFC');
/** What --user-prefix (and the upload's userPrefix) may be: the start of a user id. */
export const USER_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,31}$/;
