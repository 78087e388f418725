// Wire shapes of the quality workflows (qualification, A/B, reviews, admin dashboard), shared by the
// server routes and the app's review/admin/qualification pages. Degrees, object units and pixels.
import type { Criterion, Thresholds } from './metrics';
import type { Dense, ObjectStatus, PoseJson, PoseParamName, QuestionInfo, Role } from './types';

export interface QualificationSettings extends Thresholds {
  /** New annotators must pass before their tasks unlock. */
  required: boolean;
  /** Gold questions per attempt; 0 means all of them. */
  questionsPerAttempt: number;
}

/** The answer a question is scored against, or one side of a comparison. */
export interface ReferenceAnswer {
  pose: PoseJson;
  subtype: number;
  objectStatus: ObjectStatus | null;
  dense: Dense | null;
  /** SPEC R40: parameters this answer marks ambiguous (left out of scoring). */
  ambiguous?: PoseParamName[];
}

export interface GoldQuestion {
  questionId: string;
  category: string;
  imageId: string;
  reference: ReferenceAnswer;
  createdBy: string | null;
  createdAt: string;
}

export interface QuestionResult {
  questionId: string;
  index: number;
  revisionId: string;
  answer: ReferenceAnswer;
  /**
   * null when the annotator is not shown it: a failed attempt whose questions the next attempt may
   * draw again shows the errors alone (the server keeps the reference).
   */
  reference: ReferenceAnswer | null;
  rotationDeg: number;
  centrePx: number;
  distanceRatio: number;
  subtypeMatch: boolean;
  objectStatusMatch: boolean | null;
  denseMatch: boolean | null;
  passed: boolean;
  failed: Criterion[];
}

export interface AttemptSummary {
  id: string;
  number: number;
  taskId: string;
  startedAt: string;
  submittedAt: string | null;
  passed: boolean | null;
  questionCount: number;
  answered: number;
  passedCount: number | null;
}

export interface AttemptDetail extends AttemptSummary {
  /** Present after submission: each question with the annotator's pose, the reference and the errors. */
  results: QuestionResult[] | null;
  questions: QuestionInfo[];
  thresholds: QualificationSettings;
}

export interface QualificationStatus {
  /** 'not_required' for reviewers and admins or when the test is switched off. */
  state: 'not_required' | 'qualified' | 'no_gold' | 'not_started' | 'in_progress' | 'failed';
  qualified: boolean;
  /** Tasks that unlock once the user passes. */
  lockedTasks: number;
  goldQuestions: number;
  current: AttemptSummary | null;
  attempts: AttemptSummary[];
  thresholds: QualificationSettings;
}

export const REVIEW_VERDICTS = ['good', 'bad_cad', 'more_cads', 'bad_pose', 'bad_image'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];
/** Verdicts that send the question back to its annotator. */
export const REWORK_VERDICTS: readonly ReviewVerdict[] = ['bad_pose', 'bad_cad'];

/** What the reviewer knows of an item's last review: a reworked item shows the reviewed answer (before) and the reason kept. */
export interface PreviousReview {
  review: Review;
  /** The answer that review judged. */
  before: ReferenceAnswer;
}

/** A saved annotation waiting for (or given) a review, with what a reviewer needs to draw it. */
export interface ReviewItem {
  question: QuestionInfo;
  revisionId: string;
  revisionSeq: number;
  annotatorId: string;
  savedAt: string;
  answer: ReferenceAnswer;
  /** The latest earlier review of this question and annotator, if any (a reworked or re-saved item). */
  previous?: PreviousReview | null;
}

/** Queue filter on the previous review: its verdict, or 'none' for an item never reviewed. */
export const QUEUE_VERDICT_FILTERS = ['none', ...REVIEW_VERDICTS] as const;
export type QueueVerdictFilter = (typeof QUEUE_VERDICT_FILTERS)[number];

/** Filters of the review queue (query params of GET /api/reviews/queue); absent means any. */
export interface ReviewQueueFilter {
  category?: string;
  annotator?: string;
  task?: string;
  verdict?: QueueVerdictFilter;
}

/** Values the queue's filters can take: the categories, annotators and tasks of reviewable answers. */
export interface ReviewFacets {
  categories: string[];
  annotators: string[];
  tasks: { id: string; name: string }[];
}

/**
 * SPEC R26: a save answers a rework only when it changed what was judged: the pose, the CAD model or a
 * label. The server decides in SQL (repositories/rework.ts); the app uses this to say so before syncing.
 */
export function changedSinceReview(before: Pick<ReferenceAnswer, 'pose' | 'subtype' | 'objectStatus' | 'dense'>, after: typeof before): boolean {
  const p = before.pose;
  const q = after.pose;
  return (
    p.azimuth !== q.azimuth || p.elevation !== q.elevation || p.theta !== q.theta || p.distance !== q.distance || p.px !== q.px || p.py !== q.py ||
    before.subtype !== after.subtype || before.objectStatus !== after.objectStatus || before.dense !== after.dense
  );
}

export interface Review {
  id: string;
  questionId: string;
  revisionId: string;
  annotatorId: string;
  taskId: string | null;
  reviewerId: string;
  verdict: ReviewVerdict;
  comment: string | null;
  rework: boolean;
  /** SPEC R26: true once the annotator changed the pose, CAD model or labels, or kept the answer with a reason. */
  closed: boolean;
  /** The first later revision that changed the judged answer, if any. */
  closedByRevisionId: string | null;
  /** SPEC R26: the annotator's "keep as is" answer, if any. */
  keep: { reason: string; at: string } | null;
  createdAt: string;
}

export interface ReworkItem extends Review {
  question: QuestionInfo;
  /** The answer the reviewer judged, so the fix screen can tell whether it changed. */
  answer: ReferenceAnswer;
}

export type AbSide = { kind: 'initial' } | { kind: 'annotation'; revisionId: string };

export interface AbPair {
  question: QuestionInfo;
  /** Shown left (A) and right (B); the order is random, and who made each is not shown. */
  a: AbSide & { answer: ReferenceAnswer };
  b: AbSide & { answer: ReferenceAnswer };
}

export type AbChoice = 'a' | 'b' | 'both_bad';

export interface AbJudgement {
  id: string;
  questionId: string;
  a: AbSide;
  b: AbSide;
  choice: AbChoice;
  reviewerId: string;
  createdAt: string;
}

export interface AdminUser {
  id: string;
  displayName: string;
  role: Role;
  qualified: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface AdminTask {
  id: string;
  name: string;
  kind: string;
  createdAt: string;
  total: number;
  assignees: { userId: string; done: number }[];
}

export interface AdminQuestion {
  id: string;
  category: string;
  imageId: string;
  isGold: boolean;
  /** The question has a reference pose from its source (demo or import) that can become gold. */
  hasSourceGold: boolean;
  taskIds: string[];
  /** The photo, for a thumbnail. */
  imageUrl?: string;
  /** Who has a saved answer (a head) for it. */
  annotators?: string[];
  status?: 'open' | 'annotated' | 'conflict';
}

export interface PairAgreement {
  userA: string;
  userB: string;
  /** Objects both annotated. */
  n: number;
  medianRotationDeg: number | null;
  /** Share of shared objects whose two rotations are within π/6 of each other. */
  accAtPi6: number | null;
  meanCentrePx: number | null;
  medianDistanceRatio: number | null;
  subtypeAgreement: number | null;
  kappaObjectStatus: number | null;
  kappaDense: number | null;
}

export interface GoldAccuracy {
  userId: string;
  n: number;
  accAtPi6: number | null;
  medianRotationDeg: number | null;
}

export interface WaitingAnnotator {
  userId: string;
  displayName: string;
  /** Where they are: no attempt yet, one open, or the last one failed. */
  state: 'not_started' | 'in_progress' | 'failed';
  attempts: number;
  /** The open attempt's progress (in_progress only). */
  answered: number | null;
  questionCount: number | null;
  /** Regular tasks assigned to them, locked until they pass. */
  lockedTasks: number;
  /** Their latest step (account created, attempt started, answer received, attempt submitted), ISO time. */
  lastActivity: string;
}

export interface DashboardStats {
  perTask: { taskId: string; name: string; kind: string; total: number; assignees: number; done: number; possible: number }[];
  perAnnotator: { userId: string; assigned: number; done: number; revisions: number; activeMsTotal: number }[];
  /** Saves per UTC day they were made (the device's time, unless after the server got it): revisions, and questions first annotated that day. */
  throughput: { day: string; revisions: number; newAnnotations: number }[];
  /** Active time of each current annotation (the largest activeMs among its revisions), ms. */
  activeTime: { userId: string; questionId: string; activeMs: number }[];
  agreement: { pairs: PairAgreement[]; overall: Omit<PairAgreement, 'userA' | 'userB'> };
  /** Per annotator, over gold questions hidden in regular tasks: their newest save of each. */
  gold: GoldAccuracy[];
  /** Per annotator, over the answers of their submitted qualification attempts (as scored, R40 applied). */
  qualificationGold: GoldAccuracy[];
  /** Annotators who must still pass the qualification test (empty when the test is switched off). */
  waiting: WaitingAnnotator[];
  reviews: { verdict: ReviewVerdict; count: number; openRework: number }[];
  ab: { choice: AbChoice; count: number }[];
}

/** SPEC R50: a note or problem flag an annotator sent about a question, as reviewers and admins list it. */
export interface QuestionReportInfo {
  id: string;
  questionId: string;
  taskId: string | null;
  userId: string;
  problem: 'wrong_bbox' | 'wrong_category' | 'duplicate' | 'broken_photo' | 'other' | null;
  note: string;
  createdAt: string;
  resolvedAt: string | null;
}
