import { describe, expect, it } from 'vitest';
import {
  defaultState,
  enumField,
  intField,
  numberField,
  numberListField,
  readState,
  stringField,
  writeState,
  type Schema,
} from './url-state';

interface S {
  acts: number[];
  temp: number;
  k: number;
  mode: 'a' | 'b';
}
const schema: Schema<S> = {
  acts: numberListField([1, 2], -5, 5, 2, 4),
  temp: numberField(1, 0.1, 5, 2),
  k: intField(3, 1, 9),
  mode: enumField<'a' | 'b'>('a', ['a', 'b']),
};

describe('url state', () => {
  it('reads defaults from an empty query', () => {
    expect(readState(schema, new URLSearchParams(), 'd')).toEqual({ acts: [1, 2], temp: 1, k: 3, mode: 'a' });
  });
  it('round-trips a state through the query string under its prefix', () => {
    const state: S = { acts: [0.5, -1.25, 3], temp: 2.5, k: 7, mode: 'b' };
    const params = writeState(schema, state, new URLSearchParams('other=1'), 'd');
    expect(params.get('other')).toBe('1');
    expect(params.get('d.acts')).toBe('0.5,-1.25,3');
    expect(readState(schema, new URLSearchParams(params.toString()), 'd')).toEqual(state);
  });
  it('leaves defaults out of the URL', () => {
    const params = writeState(schema, defaultState(schema), new URLSearchParams('d.temp=3'), 'd');
    expect(params.toString()).toBe('');
  });
  it('falls back to defaults for invalid values and clamps out-of-range ones', () => {
    const s = readState(schema, new URLSearchParams('d.acts=1,x&d.temp=99&d.k=2.5&d.mode=zzz'), 'd');
    expect(s).toEqual({ acts: [1, 2], temp: 5, k: 3, mode: 'a' });
    expect(readState(schema, new URLSearchParams('d.acts=1,2,3,4,5'), 'd').acts).toEqual([1, 2]);
    expect(readState(schema, new URLSearchParams('d.acts=9,-9'), 'd').acts).toEqual([5, -5]);
    expect(readState(schema, new URLSearchParams('d.temp='), 'd').temp).toBe(1);
  });
  it('keeps free text up to its length, including regex characters', () => {
    const f = stringField('(.+)_\\d+.jpg$', 20);
    const params = writeState({ re: f }, { re: '^([a-z]+)_' }, new URLSearchParams(), 'd');
    expect(readState({ re: f }, new URLSearchParams(params.toString()), 'd').re).toBe('^([a-z]+)_');
    expect(f.parse('x'.repeat(21))).toBeUndefined();
  });
  it('ignores keys of other demos', () => {
    expect(readState(schema, new URLSearchParams('e.temp=2'), 'd').temp).toBe(1);
  });
  it('hands out a fresh default array each time', () => {
    const a = defaultState(schema);
    a.acts.push(9);
    expect(defaultState(schema).acts).toEqual([1, 2]);
  });
});
