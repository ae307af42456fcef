// Our SIMD Adam module against the same update in float64 JavaScript, on plain and shared memories, and its use
// on TF.js's own wasm memory.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { adamModuleBytes, adamOn, type AdamScalars } from './adam-simd';
import { wasmMemoryOf } from './wasm-memory';

const K: AdamScalars = {
  mom: 0.85,
  sqrMom: 0.99,
  stepSize: 0.02 / (1 - 0.85 ** 3),
  debias2: 1 - 0.99 ** 3,
  eps: 1e-5,
  decay: 1 - 0.02 * 0.01,
};

/** n values of each array at `base` bytes (16-byte blocks apart), filled from a formula; the update by hand. */
function runOn(memory: WebAssembly.Memory, n: number, base: number) {
  const f = new Float32Array(memory.buffer);
  const stride = Math.ceil(n / 4) * 16 + 16;
  const at = { p: base, g: base + stride, m: base + 2 * stride, v: base + 3 * stride, out: base + 4 * stride, n };
  const fill = (off: number, fn: (i: number) => number) => {
    for (let i = 0; i < n; i++) f[off / 4 + i] = fn(i);
  };
  fill(at.p, (i) => Math.sin(i) * 0.3);
  fill(at.g, (i) => Math.cos(i * 1.7) * 0.1);
  fill(at.m, (i) => Math.sin(i * 0.3) * 0.01);
  fill(at.v, (i) => 1e-4 * (1 + Math.cos(i)));
  f[at.out / 4 + n] = 42; // the value after the last must stay
  const want = { m: [] as number[], v: [] as number[], out: [] as number[] };
  for (let i = 0; i < n; i++) {
    const g = f[at.g / 4 + i]!;
    const m = K.mom * f[at.m / 4 + i]! + (1 - K.mom) * g;
    const v = K.sqrMom * f[at.v / 4 + i]! + (1 - K.sqrMom) * g * g;
    want.m.push(m);
    want.v.push(v);
    want.out.push(f[at.p / 4 + i]! * K.decay - (K.stepSize * m) / (Math.sqrt(v / K.debias2) + K.eps));
  }
  adamOn(memory)!(at, K);
  const got = (off: number) => Array.from(f.subarray(off / 4, off / 4 + n));
  return { want, got: { m: got(at.m), v: got(at.v), out: got(at.out) }, after: f[at.out / 4 + n] };
}

const close = (got: number[], want: number[]) =>
  got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want[i]!))));

describe('our SIMD Adam module', () => {
  it('is a valid module, plain and shared', () => {
    expect(WebAssembly.validate(adamModuleBytes(false))).toBe(true);
    expect(WebAssembly.validate(adamModuleBytes(true))).toBe(true);
  });
  for (const n of [1, 3, 4, 7, 64, 1001]) {
    it(`updates ${n} values as float64 maths does, and nothing past them`, () => {
      const r = runOn(new WebAssembly.Memory({ initial: 2 }), n, 64);
      close(r.got.m, r.want.m);
      close(r.got.v, r.want.v);
      close(r.got.out, r.want.out);
      expect(r.after).toBe(42);
    });
  }
  it('works on a shared memory, at addresses not 16-byte aligned', () => {
    const r = runOn(new WebAssembly.Memory({ initial: 2, maximum: 16, shared: true }), 37, 68);
    close(r.got.out, r.want.out);
    close(r.got.v, r.want.v);
  });
  it("finds TF.js's wasm memory, so training takes the SIMD pass", async () => {
    await tf.setBackend('wasm');
    const memory = wasmMemoryOf(tf.backend());
    expect(memory).toBeInstanceOf(WebAssembly.Memory);
    expect(adamOn(memory!)).not.toBeNull();
  });
});
