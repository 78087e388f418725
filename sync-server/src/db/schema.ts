// Kysely table types, matching the migrations. Repositories are the only users of these.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface UsersTable { id: string; display_name: string; role: 'annotator' | 'reviewer' | 'admin'; password_hash: string; qualified: number; disabled: Generated<number>; created_at: string; origin: Generated<string | null> }
export interface SessionsTable { id: string; user_id: string; created_at: string; expires_at: string }
export interface CategoriesTable { id: string; name: string }
export interface CadModelsTable { id: Generated<number>; category_id: string; subtype: number; name: string; mesh: Uint8Array; etag: string; vertex_count: number; triangle_count: number; source_sha256: Generated<string | null> }
export interface ImagesTable { id: string; category_id: string; file_path: string | null; width: number; height: number; etag: string | null; bytes: number | null }
export interface QuestionsTable {
  id: string; image_id: string; category_id: string;
  bbox_x1: number; bbox_y1: number; bbox_x2: number; bbox_y2: number;
  viewport: number;
  init_azimuth: number; init_elevation: number; init_theta: number; init_distance: number; init_px: number; init_py: number;
  init_subtype: number; source_json: string | null; created_at: string;
}
export interface TasksTable { id: string; name: string; kind: Generated<string>; created_at: string }
export interface TaskQuestionsTable { task_id: string; question_id: string; position: number }
export interface AssignmentsTable { task_id: string; user_id: string; assigned_at: string }
export interface SyncClientsTable { id: string; user_id: string; last_seq: Generated<number>; created_at: string; last_seen_at: string }
export interface AnnotationsTable {
  seq: Generated<number>; id: string; question_id: string; user_id: string; task_id: string | null;
  client_id: string; client_seq: number | null; base_revision_id: string | null;
  azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number;
  subtype: number; object_status: string; dense: string; active_ms: number; source: Generated<string>;
  client_saved_at: string; server_received_at: string;
  /** SPEC R40: JSON array of pose parameter names, NULL for none. */
  ambiguous_json: Generated<string | null>;
  /** SPEC R51: 1 for a "Clear annotation" revision: the question is not annotated while it is the head. */
  cleared: Generated<number>;
}
export interface SyncRejectionsTable { mutation_id: string; client_id: string; client_seq: number; user_id: string; reason: string; message: string; body_json: string; rejected_at: string }
export interface AnnotationHeadsTable { question_id: string; user_id: string; revision_id: string; conflict_revision_id: string | null; updated_seq: number }

export interface SettingsTable { key: string; value_json: string; updated_at: string; updated_by: string | null }
export interface GoldQuestionsTable { question_id: string; azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number; subtype: number; object_status: string | null; dense: string | null; created_by: string | null; created_at: string }
export interface QualificationAttemptsTable { id: string; user_id: string; number: number; task_id: string; started_at: string; submitted_at: string | null; passed: number | null; thresholds_json: string | null; results_json: string | null }
export interface AbJudgementsTable { id: string; question_id: string; a_kind: 'initial' | 'annotation'; a_revision_id: string | null; b_kind: 'initial' | 'annotation'; b_revision_id: string | null; choice: 'a' | 'b' | 'both_bad'; reviewer_id: string; created_at: string; client_id: string | null }
export interface ReviewsTable { id: string; question_id: string; revision_id: string; revision_seq: number; annotator_id: string; task_id: string | null; reviewer_id: string; verdict: string; comment: string | null; rework: number; created_at: string; client_id: string | null }
export interface QualificationAnswersTable {
  seq: Generated<number>; id: string; attempt_id: string; question_id: string; user_id: string; client_id: string; client_seq: number | null;
  azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number;
  subtype: number; object_status: string; dense: string; active_ms: number; ambiguous_json: string | null; client_saved_at: string; server_received_at: string;
}

/** SPEC R26: a "keep as is" answer to a rework verdict. */
export interface ReworkKeepsTable { id: string; review_id: string; user_id: string; client_id: string; reason: string; client_saved_at: string; created_at: string }

export interface QuestionReportsTable {
  id: string; question_id: string; task_id: string | null; user_id: string; client_id: string;
  problem: string | null; note: string; client_saved_at: string; created_at: string; resolved_at: string | null; resolved_by: string | null;
}

export interface GoldRevealsTable { user_id: string; question_id: string; attempt_id: string; revealed_at: string }
export interface AdminAuditTable { id: Generated<number>; at: string; actor: string; action: string; target: string; status: number }
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  categories: CategoriesTable;
  cad_models: CadModelsTable;
  images: ImagesTable;
  questions: QuestionsTable;
  tasks: TasksTable;
  task_questions: TaskQuestionsTable;
  assignments: AssignmentsTable;
  sync_clients: SyncClientsTable;
  annotations: AnnotationsTable;
  annotation_heads: AnnotationHeadsTable;
  /** SPEC R51: the heads whose revision is not cleared (a view): what "annotated" means. */
  annotated_heads: AnnotationHeadsTable;
  sync_rejections: SyncRejectionsTable;
  settings: SettingsTable;
  gold_questions: GoldQuestionsTable;
  qualification_attempts: QualificationAttemptsTable;
  ab_judgements: AbJudgementsTable;
  reviews: ReviewsTable;
  qualification_answers: QualificationAnswersTable;
  question_reports: QuestionReportsTable;
  rework_keeps: ReworkKeepsTable;
  admin_audit: AdminAuditTable;
  gold_reveals: GoldRevealsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewQuestion = Insertable<QuestionsTable>;
export type AnnotationRow = Selectable<AnnotationsTable>;
