// Pointer Events on the photo: one pointer drags (rotate, or roll with Shift, or move the centre when
// it starts on the centre marker), two pointers pinch (distance) and twist (theta); the wheel changes
// the distance. Mouse, pen and touch go through the same code.
import { useEffect, useRef } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { PoseJson } from '@in3d/shared/types';
import { angleAround, angleDelta, moveCentre, rotateByDrag, scaleDistance, twist, wheelScale } from '../state/gestures';

export interface GestureTarget {
  /** Applies a pose change; `key` groups a gesture into one undo step. */
  change(fn: (p: PoseJson) => PoseJson, key: string): void;
  setInteracting(on: boolean): void;
  /** Current photo → canvas mapping and pose, for centre drags and twists. */
  view(): { zoom: number; offset: { x: number; y: number }; pose: PoseJson } | null;
}

type Mode = 'rotate' | 'twist' | 'centre' | 'pinch';

export function usePoseGestures(el: RefObject<HTMLElement>, target: GestureTarget): void {
  const t = useRef(target);
  t.current = target;

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const pointers = new Map<number, { x: number; y: number }>();
    let mode: Mode | null = null;
    let gestureId = 0;
    let pinch: { span: number; angle: number } | null = null;
    let wheelTimer: ReturnType<typeof setTimeout> | null = null;

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
      return { span: Math.hypot(b.x - a.x, b.y - a.y), angle: angleAround(a, b) };
    };

    const down = (e: PointerEvent) => {
      if (e.button !== 0 && e.pointerType === 'mouse') return;
      node.setPointerCapture(e.pointerId);
      pointers.set(e.pointerId, local(e));
      gestureId++;
      if (pointers.size >= 2) {
        mode = 'pinch';
        pinch = twoFinger();
      } else {
        const onMarker = (e.target as Element | null)?.closest?.('[data-centre-marker]') != null;
        mode = onMarker ? 'centre' : e.shiftKey ? 'twist' : 'rotate';
      }
      t.current.setInteracting(true);
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
      if (mode === 'pinch') {
        const now = twoFinger();
        if (!now || !pinch || pinch.span < 1) return;
        const scale = now.span / pinch.span, turn = angleDelta(pinch.angle, now.angle);
        pinch = now;
        t.current.change((p) => twist(scaleDistance(p, scale), turn), key);
      } else if (mode === 'centre') {
        const v = t.current.view();
        if (v) t.current.change((p) => moveCentre(p, dx, dy, v.zoom), key);
      } else if (mode === 'twist') {
        const c = centreOnCanvas();
        // Near the centre the angle is unstable: fall back to horizontal motion.
        const turn = Math.hypot(cur.x - c.x, cur.y - c.y) < 24 ? dx * 0.5 : angleDelta(angleAround(c, prev), angleAround(c, cur));
        t.current.change((p) => twist(p, turn), key);
      } else {
        t.current.change((p) => rotateByDrag(p, dx, dy), key);
      }
    };

    const up = (e: PointerEvent) => {
      if (!pointers.delete(e.pointerId)) return;
      if (node.hasPointerCapture(e.pointerId)) node.releasePointerCapture(e.pointerId);
      if (pointers.size === 1 && mode === 'pinch') {
        // Lifting one finger of a pinch continues as a rotate drag, without a jump.
        mode = 'rotate';
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
      const scale = wheelScale(e.ctrlKey ? e.deltaY * 4 : e.deltaY, e.deltaMode); // ctrl+wheel is a trackpad pinch
      t.current.setInteracting(true);
      t.current.change((p) => scaleDistance(p, scale), 'wheel');
      if (wheelTimer) clearTimeout(wheelTimer);
      wheelTimer = setTimeout(() => t.current.setInteracting(false), 150);
    };

    node.addEventListener('pointerdown', down);
    node.addEventListener('pointermove', move);
    node.addEventListener('pointerup', up);
    node.addEventListener('pointercancel', up);
    node.addEventListener('wheel', wheel, { passive: false });
    return () => {
      node.removeEventListener('pointerdown', down);
      node.removeEventListener('pointermove', move);
      node.removeEventListener('pointerup', up);
      node.removeEventListener('pointercancel', up);
      node.removeEventListener('wheel', wheel);
      if (wheelTimer) clearTimeout(wheelTimer);
    };
  }, [el]);
}
