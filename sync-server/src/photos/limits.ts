/**
 * More pixels than this is a decompression bomb, not a photo (65000×65000 in a 30 KB file takes 17 GB to
 * decode): the import refuses it, and no sized copy is made of it. Its own module so the import does
 * not load sharp for a number.
 */
export const MAX_PHOTO_PIXELS = 100_000_000;
