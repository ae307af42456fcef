// The progress line outside a terminal (CI logs): a line per tenth, and the 100% line once.
import { describe, expect, it } from 'vitest';
import { progressReporter } from './progress';

describe('progressReporter in a log', () => {
  it('prints each tenth once and does not repeat the 100% line when the end is forced', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const p = progressReporter('presizing', 'images', stream);
    p.update(1, 10, true);
    p.update(10, 10, true);
    p.update(10, 10, true); // the caller's final forced update
    expect(lines.map((l) => l.match(/\d+%/)?.[0])).toEqual(['10%', '100%']);
  });
});
