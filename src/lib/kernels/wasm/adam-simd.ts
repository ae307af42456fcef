// Adam's update as a small WebAssembly module of our own, with 128-bit SIMD, four values at a time: about three times
// the rate of the same loop in JavaScript, which cannot use SIMD. It imports TF.js's own wasm memory (shared where
// TF.js runs threaded), so it reads and writes the parameters, gradients and averages where they already are.
// The module is written here byte by byte (./wasm-encode.ts) and compiled once per memory.

import {
  F32,
  I32,
  MEM,
  V128,
  get,
  i32,
  instanceOn,
  loopWhileBelow,
  moduleBytes,
  op,
  s,
  set,
  simd,
  tee,
} from './wasm-encode';

// The function's parameters, then its locals, by index.
const PARAMS = ['p', 'g', 'm', 'v', 'out', 'n', 'mom', 'sqrMom', 'a1', 'a2', 'stepSize', 'debias2', 'eps', 'decay'];
const P = Object.fromEntries(PARAMS.map((k, i) => [k, i])) as Record<string, number>;
const SCALARS = ['mom', 'sqrMom', 'a1', 'a2', 'stepSize', 'debias2', 'eps', 'decay'];
const L = { at: 14, end: 15, splat: 16, gi: 24, mi: 25, vi: 26, gs: 27, ms: 28, vs: 29 } as const;
const splatOf = (k: string) => L.splat + SCALARS.indexOf(k);

/** The address of element `at` (in bytes) of the array whose byte offset is parameter `base`. */
const addr = (base: string) => [...get(P[base]!), ...get(L.at), op.i32Add];

/** The update, four values at a time: [m, v, out] from [p, g, m, v]; x is the SIMD (or scalar) flavour of each op. */
function update(x: {
  load: number[];
  store: number[];
  add: number[];
  sub: number[];
  mul: number[];
  div: number[];
  sqrt: number[];
  k: (name: string) => number[];
  g: number;
  m: number;
  v: number;
}): number[] {
  return [
    // g_i
    ...addr('g'),
    ...x.load,
    ...set(x.g),
    // m_i = mom m_i + (1 - mom) g_i
    ...addr('m'),
    ...x.k('mom'),
    ...addr('m'),
    ...x.load,
    ...x.mul,
    ...x.k('a1'),
    ...get(x.g),
    ...x.mul,
    ...x.add,
    ...tee(x.m),
    ...x.store,
    // v_i = sqrMom v_i + (1 - sqrMom) g_i^2
    ...addr('v'),
    ...x.k('sqrMom'),
    ...addr('v'),
    ...x.load,
    ...x.mul,
    ...x.k('a2'),
    ...get(x.g),
    ...get(x.g),
    ...x.mul,
    ...x.mul,
    ...x.add,
    ...tee(x.v),
    ...x.store,
    // out_i = p_i decay - stepSize m_i / (sqrt(v_i / debias2) + eps)
    ...addr('out'),
    ...addr('p'),
    ...x.load,
    ...x.k('decay'),
    ...x.mul,
    ...x.k('stepSize'),
    ...get(x.m),
    ...x.mul,
    ...get(x.v),
    ...x.k('debias2'),
    ...x.div,
    ...x.sqrt,
    ...x.k('eps'),
    ...x.add,
    ...x.div,
    ...x.sub,
    ...x.store,
  ];
}

function adamCode(): number[] {
  const splats = SCALARS.flatMap((k) => [...get(P[k]!), ...s(simd.f32x4Splat), ...set(splatOf(k))]);
  const vector = update({
    load: [...s(simd.load), ...MEM],
    store: [...s(simd.store), ...MEM],
    add: s(simd.add),
    sub: s(simd.sub),
    mul: s(simd.mul),
    div: s(simd.div),
    sqrt: s(simd.sqrt),
    k: (k) => get(splatOf(k)),
    g: L.gi,
    m: L.mi,
    v: L.vi,
  });
  const scalar = update({
    load: [op.f32Load, ...MEM],
    store: [op.f32Store, ...MEM],
    add: [op.f32Add],
    sub: [op.f32Sub],
    mul: [op.f32Mul],
    div: [op.f32Div],
    sqrt: [op.f32Sqrt],
    k: (k) => get(P[k]!),
    g: L.gs,
    m: L.ms,
    v: L.vs,
  });
  return [
    ...splats,
    // at = 0 (locals start at zero); end = (n & ~3) * 4 bytes
    ...get(P['n']!),
    ...i32(-4),
    op.i32And,
    ...i32(2),
    op.i32Shl,
    ...set(L.end),
    ...loopWhileBelow(L.at, L.end, 16, vector),
    // the last n % 4 values one at a time: end = n * 4 bytes
    ...get(P['n']!),
    ...i32(2),
    op.i32Shl,
    ...set(L.end),
    ...loopWhileBelow(L.at, L.end, 4, scalar),
  ];
}

/** The module's bytes; `shared`: it imports a shared memory (TF.js's threaded build), else a plain one. */
export function adamModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const params = [...Array<number>(6).fill(I32), ...Array<number>(8).fill(F32)];
  const locals: [number, number][] = [
    [2, I32],
    [11, V128],
    [3, F32],
  ];
  return moduleBytes(shared, [{ name: 'adam', params, locals, code: adamCode() }]);
}

/** Byte offsets in the memory of each array; n values each. */
export interface AdamArrays {
  p: number;
  g: number;
  m: number;
  v: number;
  out: number;
  n: number;
}

/** The scalars of one update (../../train/optimizer.ts's AdamHyper, with the bias corrections worked out). */
export interface AdamScalars {
  mom: number;
  sqrMom: number;
  stepSize: number;
  debias2: number;
  eps: number;
  decay: number;
}

type AdamFn = (...args: number[]) => void;

/** Our SIMD update on `memory`, compiled the first time it is asked for; null where WebAssembly SIMD is missing. */
export function adamOn(memory: WebAssembly.Memory): ((a: AdamArrays, k: AdamScalars) => void) | null {
  const adam = instanceOn('adam', memory, adamModuleBytes)?.['adam'] as AdamFn | undefined;
  if (!adam) return null;
  return (a, k) =>
    adam(
      a.p,
      a.g,
      a.m,
      a.v,
      a.out,
      a.n,
      k.mom,
      k.sqrMom,
      1 - k.mom,
      1 - k.sqrMom,
      k.stepSize,
      k.debias2,
      k.eps,
      k.decay,
    );
}
