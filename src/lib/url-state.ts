// Demo state in the URL: a typed schema per demo turns the query string into a state object and back.
// Unknown or invalid values fall back to defaults, so a damaged link never breaks a page; defaults are left out
// of the URL so links stay short. Each demo uses its own key prefix, so several demos can share one page.

export interface Field<T> {
  default: T;
  parse(raw: string): T | undefined;
  format(value: T): string;
  equals?(a: T, b: T): boolean;
}

export type Schema<S> = { [K in keyof S]: Field<S[K]> };

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** A number, clamped to [min, max] and rounded to `digits` decimals. */
export function numberField(def: number, min: number, max: number, digits = 3): Field<number> {
  const round = (x: number) => Number(x.toFixed(digits));
  return {
    default: def,
    parse: (raw) => {
      if (raw.trim() === '') return undefined;
      const x = Number(raw);
      return Number.isFinite(x) ? round(clamp(x, min, max)) : undefined;
    },
    format: (x) => String(round(x)),
  };
}

/** An integer in [min, max]. */
export function intField(def: number, min: number, max: number): Field<number> {
  return {
    default: def,
    parse: (raw) => (/^-?\d+$/.test(raw) ? clamp(Number(raw), min, max) : undefined),
    format: (x) => String(x),
  };
}

/** Free text up to maxLength characters (a regular expression, say). */
export function stringField(def: string, maxLength: number): Field<string> {
  return { default: def, parse: (raw) => (raw.length <= maxLength ? raw : undefined), format: (x) => x };
}

/** One of a fixed set of strings. */
export function enumField<T extends string>(def: T, values: readonly T[]): Field<T> {
  return {
    default: def,
    parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : undefined),
    format: (x) => x,
  };
}

/** A comma-separated list of numbers, each clamped to [min, max], of length minLen..maxLen. */
export function numberListField(
  def: readonly number[],
  min: number,
  max: number,
  minLen: number,
  maxLen: number,
  digits = 2,
): Field<number[]> {
  const item = numberField(0, min, max, digits);
  return {
    default: [...def],
    parse: (raw) => {
      const parts = raw.split(',');
      if (parts.length < minLen || parts.length > maxLen) return undefined;
      const xs = parts.map((p) => item.parse(p));
      return xs.every((x): x is number => x !== undefined) ? xs : undefined;
    },
    format: (xs) => xs.map((x) => item.format(x)).join(','),
    equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  };
}

function same<T>(field: Field<T>, a: T, b: T): boolean {
  return field.equals ? field.equals(a, b) : a === b;
}

/** The state the query string describes; every missing or invalid key takes its default. */
export function readState<S extends object>(schema: Schema<S>, params: URLSearchParams, prefix: string): S {
  const state = {} as S;
  for (const key of Object.keys(schema) as (keyof S & string)[]) {
    const field = schema[key];
    const raw = params.get(`${prefix}.${key}`);
    const parsed = raw === null ? undefined : field.parse(raw);
    (state as Record<string, unknown>)[key] =
      parsed ?? (Array.isArray(field.default) ? [...field.default] : field.default);
  }
  return state;
}

/** A copy of `params` with this demo's keys set from `state` (keys equal to their default are removed). */
export function writeState<S extends object>(
  schema: Schema<S>,
  state: S,
  params: URLSearchParams,
  prefix: string,
): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const key of Object.keys(schema) as (keyof S & string)[]) {
    const field = schema[key];
    const name = `${prefix}.${key}`;
    if (same(field, state[key], field.default)) out.delete(name);
    else out.set(name, field.format(state[key]));
  }
  return out;
}

/** The default state of a schema. */
export function defaultState<S extends object>(schema: Schema<S>): S {
  return readState(schema, new URLSearchParams(), '');
}
