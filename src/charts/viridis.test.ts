import { describe, expect, it } from 'vitest';
import { interpolateViridis } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';
import { viridisPalette } from './viridis';

describe('viridis palette', () => {
  it('stays within 5/255 per channel of d3-scale-chromatic’s viridis over 256 colours', () => {
    const ours = viridisPalette(256);
    expect(ours).toHaveLength(256);
    let worst = 0;
    ours.forEach(([r, g, b], i) => {
      const c = rgb(interpolateViridis(i / 255));
      worst = Math.max(worst, Math.abs(c.r - r), Math.abs(c.g - g), Math.abs(c.b - b));
    });
    expect(worst).toBeLessThanOrEqual(5);
  });

  it('runs from dark violet to yellow, darkest to lightest', () => {
    const p = viridisPalette(3);
    expect(p[0]).toEqual([0x44, 0x01, 0x54]);
    expect(p[2]).toEqual([0xfd, 0xe7, 0x25]);
    const luma = ([r, g, b]: number[]) => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    const all = viridisPalette(32).map(luma);
    for (let i = 1; i < all.length; i++) expect(all[i]!).toBeGreaterThan(all[i - 1]!);
  });
});
