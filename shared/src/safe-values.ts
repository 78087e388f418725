// Zod field types for values a client sends and the server stores (shared/SPEC.md R33–R35): numbers
// SQLite keeps exactly, text that is valid Unicode. Mutation kinds build their schemas from these.
import { z } from 'zod';
import { isWellFormed } from './safe-json';

/** R35: a string of `min`–`max` UTF-16 units with no lone surrogate. */
export const safeText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine(isWellFormed, { message: 'must be valid Unicode (no lone UTF-16 surrogate)' });

/** R33: an integer SQLite stores as INTEGER and JSON round-trips exactly (at most 2^53 − 1). */
export const safeInt = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z.number().int().min(Math.max(min, Number.MIN_SAFE_INTEGER)).max(Math.min(max, Number.MAX_SAFE_INTEGER));

/** R34: a finite number within [min, max]. */
export const boundedNumber = (min: number, max: number) => z.number().finite().min(min).max(max);

/**
 * R33: a query-string integer: decimal digits only (no sign, spaces, exponent, hex or leading zeros),
 * then range-checked like `safeInt`.
 */
export const decimalInt = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a decimal integer (digits only)')
    .transform(Number)
    .pipe(safeInt(min, max));
