// Validate once at the edge. A malformed body is the client's fault: 400 with the path of each
// problem, never a 500. zod rejects NaN and Infinity for z.number() by default (finite numbers only).
import { type JsonParse, parseJsonLimited } from '@in3d/shared/safe-json';
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

/** How deep a JSON body may nest unless a route says otherwise: far above our shapes, far below a stack overflow. */
export const MAX_JSON_DEPTH = 64;

/** The body as JSON, or why not (not JSON, or nested deeper than `maxDepth`); never throws for bad input. */
export async function readJsonBody(c: Context, maxDepth = MAX_JSON_DEPTH): Promise<JsonParse> {
  return parseJsonLimited(await c.req.text(), maxDepth);
}

/** Parses and validates the JSON body; throws a 400 ValidationError naming every bad path. */
export async function readJson<S extends z.ZodTypeAny>(c: Context, schema: S): Promise<z.infer<S>> {
  const body = await readJsonBody(c);
  if (!body.ok) throw new ValidationError([{ path: '(body)', message: body.message }]);
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) throw new ValidationError(formatIssues(parsed.error));
  return parsed.data;
}

/** Same for query strings and route params, which arrive as strings. */
export function readInput<S extends z.ZodTypeAny>(value: unknown, schema: S, what = 'Invalid parameters'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(formatIssues(parsed.error), what);
  return parsed.data;
}
