import { describe, expect, it } from 'vitest';
import type { QuestionInfo } from '@in3d/shared/types';
import { needsFullPhoto, screenPhotoWidth } from '../src/state/assets';

const q = (imageWidth: number) => ({ imageWidth, imageHeight: imageWidth * 0.75 }) as QuestionInfo;

describe('the original photo for zooming in', () => {
  it('is needed only when the view shows the photo wider than the screen-sized copy', () => {
    const sent = screenPhotoWidth(); // a multiple of 128, the server's step
    expect(sent % 128).toBe(0);
    const wide = q(sent * 4);
    expect(needsFullPhoto(wide, { kind: 'fit' })).toBe(false);
    expect(needsFullPhoto(wide, { kind: 'bbox' })).toBe(true);
    expect(needsFullPhoto(wide, { kind: 'free', zoom: 0.2, cx: 0, cy: 0 })).toBe(false); // 0.8 x the copy
    expect(needsFullPhoto(wide, { kind: 'free', zoom: 0.3, cx: 0, cy: 0 })).toBe(true); // 1.2 x the copy
    // A photo no wider than the screen was sent whole: nothing more to fetch at any zoom.
    expect(needsFullPhoto(q(sent), { kind: 'free', zoom: 8, cx: 0, cy: 0 })).toBe(false);
  });
});
