// Validate once at the edge. A malformed body is the client's fault: 400 with the path of each
// problem, never a 500. zod rejects NaN and Infinity for z.number() by default (finite numbers only).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';

export interface ValidationIssue {
  path: string;
  message: string;
}

export function formatIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(body)', message: i.message }));
}

export class ValidationError extends HTTPException {
  constructor(readonly issues: ValidationIssue[], message = 'Invalid request') {
    super(400, { message: `${message}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` });
  }
}

/** Parses and validates the JSON body; throws a 400 ValidationError naming every bad path. */
export async function readJson<S extends z.ZodTypeAny>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ValidationError([{ path: '(body)', message: 'Body is not valid JSON' }]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(formatIssues(parsed.error));
  return parsed.data;
}

/** Same for query strings and route params, which arrive as strings. */
export function readInput<S extends z.ZodTypeAny>(value: unknown, schema: S, what = 'Invalid parameters'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(formatIssues(parsed.error), what);
  return parsed.data;
}
