// The task payload (`GET /api/tasks/:taskId`) as one zod schema, so the server's answer and what the
// app accepts are the same definition. It carries the CAD models of the task's categories, so the app
// asks for the current question's mesh together with its photo, without a round trip for the list.
import { z } from 'zod';
import { storedPoseSchema } from './protocol';
import type { CadModelInfo, QuestionInfo, TaskSummary } from './types';

const finite = z.number().finite();
const count = z.number().int().nonnegative();
const text = z.string().min(1);

export const cadModelSchema: z.ZodType<CadModelInfo> = z.object({
  category: text,
  subtype: z.number().int(),
  name: z.string(),
  vertexCount: count,
  triangleCount: count,
  meshUrl: text,
  etag: text,
});

export const questionInfoSchema: z.ZodType<QuestionInfo> = z.object({
  id: text,
  taskId: text,
  index: count,
  category: text,
  imageUrl: text,
  imageWidth: count,
  imageHeight: count,
  bbox: z.tuple([finite, finite, finite, finite]),
  viewport: finite,
  // As stored (finite, no range checks): an imported initial pose must not block opening the task.
  initialPose: storedPoseSchema,
  initialSubtype: z.number().int(),
  imageName: z.string().optional(),
  sourcePath: z.string().optional(),
});

export const taskSummarySchema: z.ZodType<TaskSummary> = z.object({
  id: text,
  name: z.string(),
  category: z.string().nullable(),
  total: count,
  done: count,
  firstOpenIndex: count.nullable(),
  rework: count.optional(),
  attemptId: z.string().optional(),
});

export const taskPayloadSchema = z.object({
  task: taskSummarySchema,
  questions: z.array(questionInfoSchema),
  /** Every CAD model of the categories the questions belong to, by category then subtype. */
  cads: z.array(cadModelSchema),
});

export type TaskPayload = z.infer<typeof taskPayloadSchema>;
