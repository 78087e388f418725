// What a backend is asked to draw for one frame, already in device pixels. The engine builds it from
// the page's SceneState; backends only draw.
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import type { OverlayMode, RendererBackend } from '../contract';
import type { Projection, Rect } from './view';

export interface Layer {
  mesh: DecodedMesh;
  projection: Projection;
  mode: OverlayMode;
  /** 0xAABBGGRR, alpha ignored. */
  color: number;
  opacity: number;
  /** For 'edges': the mesh's face normals, crease angle and line width in device pixels. */
  features?: { normals: Float32Array; creaseDeg: number; lineWidth: number };
  /** For 'shaded': device pixels a sample along each axis (default 1; 2 on dpr-2 screens: one CSS pixel). */
  fillCell?: number;
}

export interface FrameDesc {
  /** Canvas size in device pixels. */
  width: number;
  height: number;
  /** Opaque 0xAABBGGRR behind the photo. */
  background: number;
  photo: { bitmap: ImageBitmap; rect: Rect } | null;
  bbox: { rect: Rect; color: number; lineWidth: number } | null;
  /**
   * Changes whenever the photo, its placement, the bbox or the background change; a backend may keep
   * the drawn photo between frames while it stays the same.
   */
  baseKey: string;
  /** The overlay never draws outside this box (device pixels): the photo's area, or the whole frame. */
  clip: Rect;
  /** Drawn in order: the ghost first, the current pose on top. */
  layers: Layer[];
  /** Level of detail: wireframe edges shorter than this many device pixels may be skipped. */
  minEdgeLength: number;
}

export interface Backend {
  readonly kind: RendererBackend;
  resize(width: number, height: number): void;
  /** Draws the frame; returns how many edges or triangles the overlay drew. */
  draw(frame: FrameDesc): number;
  /** Lets go of GPU memory for a mesh the engine evicted. */
  forget(mesh: DecodedMesh): void;
  dispose(): void;
}
