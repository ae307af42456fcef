// Our SIMD matrix multiply against the same product in float64, with A read row by row and transposed.
import { describe, expect, it } from 'vitest';
import { gemmFits, gemmModuleBytes, gemmOn } from './gemm-simd';

function check(m: number, n: number, k: number, transposedA: boolean, kc: number, shared = false) {
  const floats = m * k + k * n + m * n + 64;
  const pages = Math.ceil((floats * 4) / 65536) + 1;
  const memory = shared
    ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
    : new WebAssembly.Memory({ initial: pages });
  const f = new Float32Array(memory.buffer);
  const A = 8; // float offsets; A at 32 bytes, then B, then C
  const B = A + m * k + 4;
  const C = B + k * n + 4;
  // A(i, kk) at A + i ra + kk ka (in floats here)
  const [ra, ka] = transposedA ? [1, m] : [k, 1];
  for (let i = 0; i < m; i++) for (let kk = 0; kk < k; kk++) f[A + i * ra + kk * ka] = Math.sin(i * 3.1 + kk * 0.7);
  for (let kk = 0; kk < k; kk++) for (let jj = 0; jj < n; jj++) f[B + kk * n + jj] = Math.cos(kk * 1.3 - jj * 0.4);
  f.fill(0.5, C, C + m * n); // C += A B
  f[C + m * n] = 7; // past C: must stay
  gemmOn(memory)!({ a: 4 * A, ra: 4 * ra, ka: 4 * ka, b: 4 * B, ldb: 4 * n, c: 4 * C, ldc: 4 * n, m, n, k, kc });
  for (let i = 0; i < m; i++)
    for (let jj = 0; jj < n; jj++) {
      let want = 0.5;
      for (let kk = 0; kk < k; kk++) want += f[A + i * ra + kk * ka]! * f[B + kk * n + jj]!;
      expect(Math.abs(f[C + i * n + jj]! - want), `C[${i}, ${jj}]`).toBeLessThanOrEqual(1e-4 * (1 + Math.sqrt(k)));
    }
  expect(f[C + m * n]).toBe(7);
}

describe('our SIMD matrix multiply', () => {
  it('is a valid module, plain and shared', () => {
    expect(WebAssembly.validate(gemmModuleBytes(false))).toBe(true);
    expect(WebAssembly.validate(gemmModuleBytes(true))).toBe(true);
  });
  it('takes rows in fours and columns in eights only', () => {
    expect(gemmFits(4, 8)).toBe(true);
    expect(gemmFits(288, 64)).toBe(true);
    expect(gemmFits(6, 16)).toBe(false);
    expect(gemmFits(4, 12)).toBe(false);
  });
  for (const [m, n, k, kc] of [
    [4, 8, 1, 1],
    [8, 24, 7, 3],
    [32, 32, 1000, 256],
    [12, 16, 50, 1000],
  ] as const) {
    it(`adds [${m} x ${k}] times [${k} x ${n}], in chunks of ${kc}, A by rows`, () => check(m, n, k, false, kc));
    it(`adds [${m} x ${k}] times [${k} x ${n}], in chunks of ${kc}, A transposed`, () => check(m, n, k, true, kc));
  }
  it('works on a shared memory', () => check(4, 32, 33, false, 8, true));
});
