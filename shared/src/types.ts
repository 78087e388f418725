// Domain types shared by the server and the app. Wire shapes (JSON) use plain numbers in the units
// named on each field; the camera module brands them where the math happens.

export const ROLES = ['annotator', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Object quality, spelled as the original tool stored it (npz `object_status`). */
export const OBJECT_STATUSES = ['status_good', 'status_partially', 'status_barely', 'status_bad'] as const;
export type ObjectStatus = (typeof OBJECT_STATUSES)[number];

/** Dense scene label, spelled as the original tool stored it (npz `dense`). */
export const DENSE_VALUES = ['dense_no', 'dense_yes'] as const;
export type Dense = (typeof DENSE_VALUES)[number];

/** A pose on the wire: degrees, object units, pixels (see camera.ts). */
export interface PoseJson {
  azimuth: number;
  elevation: number;
  theta: number;
  distance: number;
  px: number;
  py: number;
}

/** The six pose parameters, in the order the app lists them. */
export const POSE_PARAM_NAMES = ['azimuth', 'elevation', 'theta', 'distance', 'px', 'py'] as const;
export type PoseParamName = (typeof POSE_PARAM_NAMES)[number];

/**
 * Categories whose guide rule says a parameter cannot be judged (SPEC R40): a new draft starts with
 * these marked ambiguous. Accordions, oboes and punching (sand) bags look the same all the way round.
 */
export const CATEGORY_AMBIGUOUS: Readonly<Record<string, readonly PoseParamName[]>> = {
  accordion: ['azimuth'],
  oboe: ['azimuth'],
  punching_bag: ['azimuth'],
  punchbag: ['azimuth'],
  sandbag: ['azimuth'],
};

/** What an annotator saves for one question. */
export interface AnnotationValues {
  pose: PoseJson;
  /** 1-based CAD subtype index, as the original's `cad_index`. */
  subtype: number;
  objectStatus: ObjectStatus;
  dense: Dense;
  /** Idle-aware time spent on the question, milliseconds. */
  activeMs: number;
  /** Parameters the annotator marked as impossible to judge from the photo (SPEC R40); absent = none. */
  ambiguous?: PoseParamName[];
}

/** One stored revision of an annotation (append-only on the server). */
export interface AnnotationRevision extends AnnotationValues {
  /** The mutation id that created it (uuid), also the revision id. */
  id: string;
  questionId: string;
  userId: string;
  clientId: string;
  baseRevisionId: string | null;
  /** Server order; the pull cursor. */
  seq: number;
  clientSavedAt: string;
  serverReceivedAt: string;
}

export interface CadModelInfo {
  category: string;
  subtype: number;
  name: string;
  vertexCount: number;
  triangleCount: number;
  /** URL of the binary mesh (shared/src/mesh/codec.ts), immutable per etag. */
  meshUrl: string;
  etag: string;
}

export interface QuestionInfo {
  id: string;
  taskId: string;
  /** 0-based position in its task. */
  index: number;
  category: string;
  imageUrl: string;
  imageWidth: number;
  imageHeight: number;
  bbox: [number, number, number, number];
  viewport: number;
  initialPose: PoseJson;
  initialSubtype: number;
}

export interface TaskSummary {
  id: string;
  name: string;
  category: string | null;
  total: number;
  done: number;
  /** Index of the first question without an annotation by this user, or null when all are done. */
  firstOpenIndex: number | null;
  /** Questions of this task a reviewer sent back to this user and not yet saved again. */
  rework?: number;
  /** Set when the task is an open qualification attempt: its saves are `qualification.answer` mutations (SPEC R21). */
  attemptId?: string;
}

export interface SessionUser {
  id: string;
  displayName: string;
  role: Role;
  qualified: boolean;
}
