// IEEE 754 half precision (float16, binary16): exact rounding, its bit fields, its range and spacing, and the three
// effects mixed-precision training has to deal with (gradients that underflow, loss scaling that saves them, and
// small updates that stall without a float32 master copy). Pure numbers; the browser's Math.f16round is used where
// it exists, and `f16roundFallback` (tested against it) elsewhere.

/** Largest finite float16: (2 - 2^-10) * 2^15. */
export const F16_MAX = 65504;
/** Smallest positive normal float16: 2^-14. */
export const F16_MIN_NORMAL = 2 ** -14;
/** Smallest positive float16 (subnormal): 2^-24. */
export const F16_MIN_SUBNORMAL = 2 ** -24;
/** The gap between 1 and the next float16: 2^-10 (10 fraction bits). */
export const F16_EPSILON = 2 ** -10;
/** The same for float32, for comparison: 2^-23. */
export const F32_EPSILON = 2 ** -23;

/** Round half to even of a non-negative number. */
function roundHalfEven(q: number): number {
  const f = Math.floor(q);
  const d = q - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** The exponent e with 2^e <= a < 2^(e+1), for a finite a > 0. */
function exponentOf(a: number): number {
  if (!(a > 0 && a < Infinity)) throw new RangeError(`no binary exponent for ${a}`);
  let e = Math.floor(Math.log2(a));
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  return e;
}

/** The nearest float16 to x (ties to even), overflow to ±Infinity, written without any float16 support. */
export function f16roundFallback(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const sign = x < 0 || Object.is(x, -0) ? -1 : 1;
  const a = Math.abs(x);
  if (a === Infinity) return sign * Infinity;
  let r: number;
  if (a < F16_MIN_NORMAL) {
    r = roundHalfEven(a / F16_MIN_SUBNORMAL) * F16_MIN_SUBNORMAL;
  } else {
    const ulp = 2 ** (exponentOf(a) - 10);
    r = roundHalfEven(a / ulp) * ulp;
  }
  if (r > F16_MAX) return sign * Infinity;
  return sign * r;
}

const native = (Math as { f16round?: (x: number) => number }).f16round;

/** The nearest float16 to x: the browser's Math.f16round where it has one, our fallback otherwise. */
export const f16round: (x: number) => number = typeof native === 'function' ? native : f16roundFallback;

/** Whether this JavaScript engine rounds to float16 natively (Math.f16round). */
export const hasNativeF16 = typeof native === 'function';

/** The float16 with these 16 bits. */
export function fromBits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * F16_MIN_SUBNORMAL;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** The 16 bits of the float16 nearest to x. */
export function toBits(x: number): number {
  const v = f16round(x);
  if (Number.isNaN(v)) return 0x7e00;
  const s = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return s | 0x7c00;
  if (a < F16_MIN_NORMAL) return s | (a / F16_MIN_SUBNORMAL);
  const e = exponentOf(a);
  return s | ((e + 15) << 10) | ((a / 2 ** e - 1) * 1024);
}

export interface F16Fields {
  sign: string;
  exponent: string;
  fraction: string;
  kind: 'zero' | 'subnormal' | 'normal' | 'infinity' | 'nan';
}

/** The sign, exponent and fraction bits of x's float16, as binary strings, and what kind of number it is. */
export function fields(x: number): F16Fields {
  const h = toBits(x);
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  const kind = e === 0 ? (m === 0 ? 'zero' : 'subnormal') : e === 0x1f ? (m === 0 ? 'infinity' : 'nan') : 'normal';
  return {
    sign: String(h >> 15),
    exponent: e.toString(2).padStart(5, '0'),
    fraction: m.toString(2).padStart(10, '0'),
    kind,
  };
}

/**
 * The float16 values just below and just above x's float16, and the spacing there. Beyond the range x rounds to
 * ±Infinity: its neighbour is the largest finite float16 and the spacing is NaN.
 */
export function neighbours(x: number): { below: number; value: number; above: number; spacing: number } {
  const value = f16round(x);
  if (Number.isNaN(value)) return { below: NaN, value, above: NaN, spacing: NaN };
  if (value === Infinity) return { below: F16_MAX, value, above: Infinity, spacing: NaN };
  if (value === -Infinity) return { below: -Infinity, value, above: -F16_MAX, spacing: NaN };
  const h = toBits(value);
  const up = (b: number) => fromBits(b);
  // For positive numbers the next bit pattern is the next number up; for negative ones, the next number down.
  const positive = !(h & 0x8000);
  const magUp = positive ? up(h + 1) : -up((h & 0x7fff) + 1);
  const magDown = (h & 0x7fff) === 0 ? -F16_MIN_SUBNORMAL : positive ? up(h - 1) : -up((h & 0x7fff) - 1);
  const [below, above] = positive ? [magDown, magUp] : [magUp, magDown];
  const spacing = Math.abs(value) < F16_MIN_NORMAL ? F16_MIN_SUBNORMAL : 2 ** (exponentOf(Math.abs(value)) - 10);
  return { below, value, above, spacing };
}

/** A gradient through float16 with loss scaling: multiplied by `scale`, rounded to float16, divided back in float32. */
export function scaledGradient(g: number, scale: number): { stored: number; recovered: number; overflow: boolean } {
  const stored = f16round(g * scale);
  const overflow = !Number.isFinite(stored);
  return { stored, recovered: overflow ? NaN : Math.fround(stored / scale), overflow };
}

/** Magnitudes log-evenly spaced from 10^lo to 10^hi, `n` of them: a stand-in for the spread of a model's gradients. */
export function logSpaced(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => 10 ** (lo + ((hi - lo) * i) / (n - 1)));
}

/** How many of `grads` are lost to zero and how many overflow when stored in float16 after scaling by `scale`. */
export function lossScalingCounts(
  grads: readonly number[],
  scale: number,
): { zero: number; overflow: number; kept: number } {
  let zero = 0;
  let overflow = 0;
  for (const g of grads) {
    const s = f16round(g * scale);
    if (s === 0) zero++;
    else if (!Number.isFinite(s)) overflow++;
  }
  return { zero, overflow, kept: grads.length - zero - overflow };
}

/**
 * `steps` SGD updates of size `update` applied to a weight that starts at `w0`: once kept in float16 (each sum rounded
 * to float16), once kept in float32 (a master copy, as mixed precision keeps) and only copied to float16 for use.
 */
export function accumulate(w0: number, update: number, steps: number): { f16: number[]; master: number[] } {
  const f16: number[] = [f16round(w0)];
  const master: number[] = [Math.fround(w0)];
  for (let i = 0; i < steps; i++) {
    f16.push(f16round(f16[i]! + f16round(update)));
    master.push(Math.fround(master[i]! + update));
  }
  return { f16, master };
}
