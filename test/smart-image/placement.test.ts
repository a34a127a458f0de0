import { describe, expect, it } from 'vitest';
import { placeSubject, resolvePlacement, ANCHORS } from '../../src/smart-image/placement.js';

const box = { x: 100, y: 50, width: 300, height: 600 };

describe('placeSubject', () => {
  it('applies the defaults: bottom, 6 % padding, scale 1, no crop', () => {
    expect(resolvePlacement(undefined)).toEqual({ anchor: 'bottom', padding: 0.06, scale: 1, allow_crop: false });
  });

  for (const frame of [{ width: 1920, height: 1080 }, { width: 1080, height: 1920 }, { width: 300, height: 250 }]) {
    for (const anchor of ANCHORS) {
      it(`keeps the subject inside the padded ${frame.width}×${frame.height} frame at ${anchor}`, () => {
        const p = { ...resolvePlacement({}), anchor, padding: 0.1, scale: 0.8 };
        const t = placeSubject(box, frame, p);
        const x0 = t.x + box.x * t.scale, y0 = t.y + box.y * t.scale;
        const x1 = x0 + box.width * t.scale, y1 = y0 + box.height * t.scale;
        const eps = 1e-6;
        expect(x0).toBeGreaterThanOrEqual(frame.width * 0.1 - eps);
        expect(y0).toBeGreaterThanOrEqual(frame.height * 0.1 - eps);
        expect(x1).toBeLessThanOrEqual(frame.width * 0.9 + eps);
        expect(y1).toBeLessThanOrEqual(frame.height * 0.9 + eps);
        // scale 0.8 of the largest fit: one side is 80 % of the padded side.
        const fill = Math.max((x1 - x0) / (frame.width * 0.8), (y1 - y0) / (frame.height * 0.8));
        expect(fill).toBeCloseTo(0.8, 5);
        if (anchor.includes('bottom')) expect(y1).toBeCloseTo(frame.height * 0.9, 5);
        if (anchor.includes('left')) expect(x0).toBeCloseTo(frame.width * 0.1, 5);
      });
    }
  }

  describe('a subject cut by the photo border keeps that border at the frame edge', () => {
    const frame = { width: 480, height: 560 };
    const place = (b: typeof box & { cut?: Array<'left' | 'top' | 'right' | 'bottom'> }, anchor: (typeof ANCHORS)[number] = 'bottom') => {
      const t = placeSubject(b, frame, { ...resolvePlacement({}), anchor });
      const x0 = t.x + b.x * t.scale, y0 = t.y + b.y * t.scale;
      return { x0, y0, x1: x0 + b.width * t.scale, y1: y0 + b.height * t.scale };
    };
    it('cut at the bottom: on the frame bottom, padded elsewhere, whatever the anchor', () => {
      for (const anchor of ['bottom', 'top', 'center'] as const) {
        const r = place({ ...box, cut: ['bottom'] }, anchor);
        expect(r.y1).toBeCloseTo(560, 5);
        expect(r.y0).toBeGreaterThanOrEqual(560 * 0.06 - 1e-6);
        expect(r.x0).toBeGreaterThanOrEqual(480 * 0.06 - 1e-6);
        expect(r.x1).toBeLessThanOrEqual(480 * 0.94 + 1e-6);
      }
    });
    it('cut at the left: on the frame left', () => {
      expect(place({ ...box, cut: ['left'] }, 'right').x0).toBeCloseTo(0, 5);
    });
    it('cut left and right: spans the frame width, top on the frame top when cut there too', () => {
      const r = place({ x: 0, y: 0, width: 600, height: 300, cut: ['left', 'top', 'right'] });
      expect([r.x0, r.x1, r.y0]).toEqual([0, 480, 0]);
      expect(r.y1).toBeLessThanOrEqual(560);
    });
    it('cut on all four sides (the subject is the photo): the photo covers the frame', () => {
      const r = place({ x: 0, y: 0, width: 512, height: 340, cut: ['left', 'top', 'right', 'bottom'] });
      expect(r.x0).toBeLessThanOrEqual(0);
      expect(r.y0).toBeCloseTo(0, 5);
      expect(r.x1).toBeGreaterThanOrEqual(480);
      expect(r.y1).toBeCloseTo(560, 5);
    });
  });

  it('covers the padded area only with allow_crop', () => {
    const frame = { width: 1920, height: 1080 };
    const t = placeSubject(box, frame, { anchor: 'center', padding: 0, scale: 1, allow_crop: true });
    expect(box.width * t.scale).toBeCloseTo(1920, 5);
    expect(box.height * t.scale).toBeGreaterThan(1080);
  });
});
