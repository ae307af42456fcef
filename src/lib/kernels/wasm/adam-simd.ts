// Adam's update as a small WebAssembly module of our own, with 128-bit SIMD, four values at a time: about three times
// the rate of the same loop in JavaScript, which cannot use SIMD. It imports TF.js's own wasm memory (shared where
// TF.js runs threaded), so it reads and writes the parameters, gradients and averages where they already are.
// The module is written here byte by byte, from the opcodes below, and compiled once per memory.

/** The WebAssembly opcodes the update is written in (core and SIMD, from the WebAssembly 2.0 specification). */
const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Shl: 0x74,
  f32Sqrt: 0x91,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f32Div: 0x95,
  simd: 0xfd,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
const simd = {
  load: 0x00,
  store: 0x0b,
  f32x4Splat: 0x13,
  sqrt: 0xe3,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
} as const;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// The function's parameters, then its locals, by index.
const PARAMS = ['p', 'g', 'm', 'v', 'out', 'n', 'mom', 'sqrMom', 'a1', 'a2', 'stepSize', 'debias2', 'eps', 'decay'];
const P = Object.fromEntries(PARAMS.map((k, i) => [k, i])) as Record<string, number>;
const SCALARS = ['mom', 'sqrMom', 'a1', 'a2', 'stepSize', 'debias2', 'eps', 'decay'];
const L = { at: 14, end: 15, splat: 16, gi: 24, mi: 25, vi: 26, gs: 27, ms: 28, vs: 29 } as const;
const splatOf = (k: string) => L.splat + SCALARS.indexOf(k);

const get = (i: number) => [op.localGet, ...uleb(i)];
const set = (i: number) => [op.localSet, ...uleb(i)];
const tee = (i: number) => [op.localTee, ...uleb(i)];
const s = (code: number) => [op.simd, ...uleb(code)];
const mem = [2, 0]; // alignment hint 4 bytes, offset 0: any float32 address
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

/** A loop over L.at, by `step` bytes, until L.end: `body` each time. */
const loopTo = (step: number, body: number[]) => [
  op.block,
  0x40,
  op.loop,
  0x40,
  ...get(L.at),
  ...get(L.end),
  op.i32GeU,
  op.brIf,
  1,
  ...body,
  ...get(L.at),
  op.i32Const,
  ...uleb(step),
  op.i32Add,
  ...set(L.at),
  op.br,
  0,
  op.end,
  op.end,
];

function adamBody(): number[] {
  const splats = SCALARS.flatMap((k) => [...get(P[k]!), ...s(simd.f32x4Splat), ...set(splatOf(k))]);
  const vector = update({
    load: [...s(simd.load), ...mem],
    store: [...s(simd.store), ...mem],
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
    load: [op.f32Load, ...mem],
    store: [op.f32Store, ...mem],
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
  const code = [
    ...splats,
    // at = 0 (locals start at zero); end = (n & ~3) * 4 bytes
    ...get(P['n']!),
    op.i32Const,
    0x7c, // -4 as a signed LEB128
    op.i32And,
    op.i32Const,
    2,
    op.i32Shl,
    ...set(L.end),
    ...loopTo(16, vector),
    // the last n % 4 values one at a time: end = n * 4 bytes
    ...get(P['n']!),
    op.i32Const,
    2,
    op.i32Shl,
    ...set(L.end),
    ...loopTo(4, scalar),
    op.end,
  ];
  const locals = vec([
    [2, I32],
    [11, V128],
    [3, F32],
  ]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes; `shared`: it imports a shared memory (TF.js's threaded build), else a plain one. */
export function adamModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const params = [...Array(6).fill(I32), ...Array(8).fill(F32)];
  const memoryLimits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec(params.map((t) => [t])), 0]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...memoryLimits]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('adam'), 0x00, 0]])),
    ...section(10, vec([adamBody()])),
  ];
  return new Uint8Array(bytes);
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
const compiled = new WeakMap<WebAssembly.Memory, AdamFn>();

/** Our SIMD update on `memory`, compiled the first time it is asked for; null where WebAssembly SIMD is missing. */
export function adamOn(memory: WebAssembly.Memory): ((a: AdamArrays, k: AdamScalars) => void) | null {
  let fn = compiled.get(memory);
  if (!fn) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = adamModuleBytes(shared);
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    fn = instance.exports['adam'] as AdamFn;
    compiled.set(memory, fn);
  }
  const adam = fn;
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
