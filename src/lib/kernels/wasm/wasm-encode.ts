// Writing our small WebAssembly modules byte by byte: the opcodes they use (core and 128-bit SIMD, from the
// WebAssembly 2.0 specification), LEB128 numbers, sections, and a module of exported functions that imports one
// memory (TF.js's, shared where TF.js runs threaded). No assembler or build step: a module is a few hundred bytes,
// made and compiled when first wanted.

export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  i32Eq: 0x46,
  i32GtU: 0x4b,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
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
export const simd = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  f32x4Splat: 0x13,
  f32x4Gt: 0x44,
  and: 0x4e,
  sqrt: 0xe3,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
  max: 0xe9,
} as const;

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
/** A block or loop that leaves nothing on the stack. */
export const VOID = 0x40;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

export const get = (i: number): number[] => [op.localGet, ...uleb(i)];
export const set = (i: number): number[] => [op.localSet, ...uleb(i)];
export const tee = (i: number): number[] => [op.localTee, ...uleb(i)];
export const s = (code: number): number[] => [op.simd, ...uleb(code)];
/** local += what `by` pushes (an i32). */
export const addTo = (local: number, by: number[]): number[] => [...get(local), ...by, op.i32Add, ...set(local)];
export const i32 = (n: number): number[] => [op.i32Const, ...sleb(n)];
/** memory.copy (bulk memory) of the stack's (destination, source, bytes), within memory 0. */
export const MEMORY_COPY = [0xfc, ...uleb(10), 0x00, 0x00];
/** Memory access: alignment hint 4 bytes, offset 0 (any float32 address). */
export const MEM = [2, 0];
/** Memory access at `offset` bytes past the address on the stack. */
export const memAt = (offset: number): number[] => [2, ...uleb(offset)];
export const v128Load = [...s(simd.load), ...MEM];
export const v128Store = [...s(simd.store), ...MEM];
/** i8x16.shuffle of the two vectors on the stack, picking 32-bit lanes (0-3 the first's, 4-7 the second's). */
export const shuffle32 = (lanes: [number, number, number, number]): number[] => [
  ...s(simd.shuffle),
  ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]),
];
/** The all-zero vector. */
export const V128_ZERO = [...s(simd.const), ...new Array<number>(16).fill(0)];

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/**
 * A loop with the local `at` going from its value on entry, by `step`, while below the local `end` (unsigned):
 * `body` each time; `after` runs at the end of each pass, after `at` has moved on.
 */
export function loopWhileBelow(at: number, end: number, step: number, body: number[], after: number[] = []): number[] {
  return [
    op.block,
    VOID,
    op.loop,
    VOID,
    ...get(at),
    ...get(end),
    op.i32GeU,
    op.brIf,
    1,
    ...body,
    ...get(at),
    ...i32(step),
    op.i32Add,
    ...set(at),
    ...after,
    op.br,
    0,
    op.end,
    op.end,
  ];
}

export interface WasmFunction {
  name: string;
  params: number[];
  /** Runs of locals after the parameters: [count, type]. */
  locals: [number, number][];
  /** The body's instructions, without the final end. */
  code: number[];
}

/** A module that imports memory "env"."memory" (shared or not) and exports `funcs` by name. */
export function moduleBytes(shared: boolean, funcs: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const memoryLimits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const body = (f: WasmFunction) => {
    const b = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.code, op.end];
    return [...uleb(b.length), ...b];
  };
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]))),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...memoryLimits]])),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(funcs.map(body))),
  ];
  return new Uint8Array(bytes);
}

const instances = new Map<string, WeakMap<WebAssembly.Memory, WebAssembly.Exports>>();

/**
 * The exports of the module `key` (made by `make`) instantiated on `memory`, compiled once per memory; null where
 * this WebAssembly lacks what the module uses (SIMD).
 */
export function instanceOn(
  key: string,
  memory: WebAssembly.Memory,
  make: (shared: boolean) => Uint8Array<ArrayBuffer>,
): WebAssembly.Exports | null {
  let byMemory = instances.get(key);
  if (!byMemory) instances.set(key, (byMemory = new WeakMap()));
  let exports = byMemory.get(memory);
  if (!exports) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = make(shared);
    if (!WebAssembly.validate(bytes)) return null;
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
    byMemory.set(memory, exports);
  }
  return exports;
}
