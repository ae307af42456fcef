// Seeded weight initialisation, so a CPU run is the same every time: Kaiming normal for convolutions (PyTorch's
// ResNet init, fan_out), PyTorch's uniform default for the dense head.
import { seededRng, type Rng } from '../data/rng';

export function normals(n: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rng.next();
    const v = rng.next();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function uniforms(n: number, bound: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-bound, bound));
}

/** A conv kernel [kh, kw, cin, cout], Kaiming normal with fan_out = kh * kw * cout (gain for ReLU). */
export function kaimingConv(kh: number, kw: number, cin: number, cout: number, rng: Rng): Float32Array {
  return normals(kh * kw * cin * cout, Math.sqrt(2 / (kh * kw * cout)), rng);
}

export { seededRng };
