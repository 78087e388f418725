// Pointer Events on the photo. Pose: one pointer drags (rotate, or roll with Shift, or move the
// centre when it starts on the centre marker), two pointers pinch (distance) and twist (theta), the
// wheel changes the distance. Photo: Ctrl/Cmd+wheel (and a trackpad pinch, which arrives as one)
// zooms about the pointer; middle-drag, the hand tool or two fingers moving together pan; with the
// hand tool a pinch zooms. Alt (or the fine toggle) makes pose gestures ten times finer, and the
// sensitivity setting scales them all. Mouse, pen and touch go through the same code.
import { useEffect, useRef } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { PoseJson } from '@in3d/shared/types';
import { angleAround, angleDelta, moveCentre, rotateByDrag, ROTATE_DEG_PER_PX, scaleDistance, twist, wheelScale } from '../state/gestures';

export interface GestureTarget {
  /** Applies a pose change; `key` groups a gesture into one undo step. */
  change(fn: (p: PoseJson) => PoseJson, key: string): void;
  setInteracting(on: boolean): void;
  /** Current photo → canvas mapping and pose, for centre drags and twists. */
  view(): { zoom: number; offset: { x: number; y: number }; pose: PoseJson } | null;
  /** Pose units per pointer unit: sensitivity times the fine factor (Alt held or the toggle). Default 1. */
  gain?(alt: boolean): number;
  /** The hand tool is on: single drags and pinches act on the photo. */
  panTool?(): boolean;
  zoomPhoto?(at: { x: number; y: number }, factor: number): void;
  panPhoto?(dx: number, dy: number): void;
}

type Mode = 'rotate' | 'twist' | 'centre' | 'pinch' | 'pan' | 'photoPinch';

export function usePoseGestures(el: RefObject<HTMLElement>, target: GestureTarget): void {
  const t = useRef(target);
  t.current = target;

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const pointers = new Map<number, { x: number; y: number }>();
    let mode: Mode | null = null;
    let gestureId = 0;
    let pinch: { span: number; angle: number; mid: { x: number; y: number } } | null = null;
    let wheelTimer: ReturnType<typeof setTimeout> | null = null;
    const gain = (alt: boolean) => t.current.gain?.(alt) ?? 1;

    const local = (e: PointerEvent | WheelEvent) => {
      const r = node.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const centreOnCanvas = () => {
      const v = t.current.view();
      return v ? { x: v.pose.px * v.zoom + v.offset.x, y: v.pose.py * v.zoom + v.offset.y } : { x: 0, y: 0 };
    };
    const twoFinger = () => {
      const [a, b] = [...pointers.values()];
      if (!a || !b) return null;
      return { span: Math.hypot(b.x - a.x, b.y - a.y), angle: angleAround(a, b), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
    };

    const down = (e: PointerEvent) => {
      const middle = e.pointerType === 'mouse' && e.button === 1;
      if (e.button !== 0 && !middle && e.pointerType === 'mouse') return;
      node.setPointerCapture(e.pointerId);
      pointers.set(e.pointerId, local(e));
      gestureId++;
      const hand = t.current.panTool?.() ?? false;
      if (pointers.size >= 2) {
        mode = hand ? 'photoPinch' : 'pinch';
        pinch = twoFinger();
      } else if (middle || hand) {
        mode = 'pan';
      } else {
        const onMarker = (e.target as Element | null)?.closest?.('[data-centre-marker]') != null;
        mode = onMarker ? 'centre' : e.shiftKey ? 'twist' : 'rotate';
      }
      if (mode !== 'pan') t.current.setInteracting(true);
      e.preventDefault();
    };

    const move = (e: PointerEvent) => {
      const prev = pointers.get(e.pointerId);
      if (!prev || !mode) return;
      const cur = local(e);
      pointers.set(e.pointerId, cur);
      const dx = cur.x - prev.x, dy = cur.y - prev.y;
      if (dx === 0 && dy === 0) return;
      const key = `${mode}:${gestureId}`;
      const g = gain(e.altKey);
      if (mode === 'pinch' || mode === 'photoPinch') {
        const now = twoFinger();
        if (!now || !pinch || pinch.span < 1) return;
        const scale = now.span / pinch.span, turn = angleDelta(pinch.angle, now.angle);
        const pan = { x: now.mid.x - pinch.mid.x, y: now.mid.y - pinch.mid.y };
        pinch = now;
        // Two fingers moving together pan the photo, in either mode.
        if (pan.x !== 0 || pan.y !== 0) t.current.panPhoto?.(pan.x, pan.y);
        if (mode === 'photoPinch') t.current.zoomPhoto?.(now.mid, scale);
        else t.current.change((p) => twist(scaleDistance(p, Math.pow(scale, g)), turn * g), key);
      } else if (mode === 'pan') {
        t.current.panPhoto?.(dx, dy);
      } else if (mode === 'centre') {
        const v = t.current.view();
        if (v) t.current.change((p) => moveCentre(p, dx * g, dy * g, v.zoom), key);
      } else if (mode === 'twist') {
        const c = centreOnCanvas();
        // Near the centre the angle is unstable: fall back to horizontal motion.
        const turn = Math.hypot(cur.x - c.x, cur.y - c.y) < 24 ? dx * 0.5 : angleDelta(angleAround(c, prev), angleAround(c, cur));
        t.current.change((p) => twist(p, turn * g), key);
      } else {
        t.current.change((p) => rotateByDrag(p, dx, dy, ROTATE_DEG_PER_PX * g), key);
      }
    };

    const up = (e: PointerEvent) => {
      if (!pointers.delete(e.pointerId)) return;
      if (node.hasPointerCapture(e.pointerId)) node.releasePointerCapture(e.pointerId);
      if (pointers.size === 1 && (mode === 'pinch' || mode === 'photoPinch')) {
        // Lifting one finger of a pinch continues as a drag of the same kind, without a jump.
        mode = mode === 'pinch' ? 'rotate' : 'pan';
        gestureId++;
        return;
      }
      if (pointers.size === 0) {
        mode = null;
        pinch = null;
        t.current.setInteracting(false);
      }
    };

    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      if (e.ctrlKey || e.metaKey) {
        // Ctrl/Cmd+wheel, and a trackpad pinch (which the browser reports as Ctrl+wheel): the photo.
        t.current.zoomPhoto?.(local(e), wheelScale(e.deltaY * 2, e.deltaMode));
        return;
      }
      const scale = Math.pow(wheelScale(e.deltaY, e.deltaMode), gain(e.altKey));
      t.current.setInteracting(true);
      t.current.change((p) => scaleDistance(p, scale), 'wheel');
      if (wheelTimer) clearTimeout(wheelTimer);
      wheelTimer = setTimeout(() => t.current.setInteracting(false), 150);
    };
    // The middle button's auto-scroll would start on the page.
    const aux = (e: MouseEvent) => e.button === 1 && e.preventDefault();

    node.addEventListener('pointerdown', down);
    node.addEventListener('pointermove', move);
    node.addEventListener('pointerup', up);
    node.addEventListener('pointercancel', up);
    node.addEventListener('wheel', wheel, { passive: false });
    node.addEventListener('mousedown', aux);
    return () => {
      node.removeEventListener('pointerdown', down);
      node.removeEventListener('pointermove', move);
      node.removeEventListener('pointerup', up);
      node.removeEventListener('pointercancel', up);
      node.removeEventListener('wheel', wheel);
      node.removeEventListener('mousedown', aux);
      if (wheelTimer) clearTimeout(wheelTimer);
    };
  }, [el]);
}
