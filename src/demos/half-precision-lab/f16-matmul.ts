// Times a square matrix multiply in float32 and in float16 (WebGPU's shader-f16) on the reader's own GPU. Both
// kernels tile through workgroup memory and accumulate in float32; the float16 one loads and multiplies halves, as
// mixed-precision kernels do. Browser only; loaded when the reader asks for the timing.
import { toBits } from '../../lib/maths/float16';

// The few WebGPU types used here (the project does not ship @webgpu/types).
interface GpuBuffer {
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}
interface GpuDevice {
  createBuffer(d: { size: number; usage: number; mappedAtCreation?: boolean }): GpuBuffer;
  createShaderModule(d: { code: string }): unknown;
  createComputePipeline(d: { layout: 'auto'; compute: { module: unknown; entryPoint: string } }): {
    getBindGroupLayout(i: number): unknown;
  };
  createBindGroup(d: { layout: unknown; entries: { binding: number; resource: { buffer: GpuBuffer } }[] }): unknown;
  createCommandEncoder(): {
    beginComputePass(): {
      setPipeline(p: unknown): void;
      setBindGroup(i: number, g: unknown): void;
      dispatchWorkgroups(x: number, y: number): void;
      end(): void;
    };
    copyBufferToBuffer(a: GpuBuffer, ao: number, b: GpuBuffer, bo: number, size: number): void;
    finish(): unknown;
  };
  queue: {
    writeBuffer(b: GpuBuffer, o: number, data: ArrayBufferView): void;
    submit(c: unknown[]): void;
    onSubmittedWorkDone(): Promise<void>;
  };
  destroy(): void;
}
interface GpuAdapter {
  features: { has(name: string): boolean };
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
  requestDevice(d?: { requiredFeatures?: string[] }): Promise<GpuDevice>;
}
interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<GpuAdapter | null> };
}

const STORAGE = 0x80,
  COPY_SRC = 0x4,
  COPY_DST = 0x8,
  MAP_READ = 0x1;

export type F16Support =
  | { kind: 'no-webgpu' }
  | { kind: 'no-adapter' }
  | { kind: 'no-f16'; adapter: string; software: boolean }
  | { kind: 'ok'; adapter: string; software: boolean };

function describe(a: GpuAdapter): { adapter: string; software: boolean } {
  const i = a.info ?? {};
  const adapter =
    [i.vendor, i.architecture, i.description || i.device].filter(Boolean).join(' ') || 'an unnamed adapter';
  const software = a.isFallbackAdapter === true || /swiftshader|llvmpipe|software|microsoft basic/i.test(adapter);
  return { adapter, software };
}

async function adapterOf(): Promise<GpuAdapter | null> {
  const gpu = (navigator as unknown as GpuNavigator).gpu;
  return gpu ? await gpu.requestAdapter() : null;
}

/** Whether this browser's WebGPU adapter can run float16 shaders. */
export async function f16Support(): Promise<F16Support> {
  if (!(navigator as unknown as GpuNavigator).gpu) return { kind: 'no-webgpu' };
  const a = await adapterOf();
  if (!a) return { kind: 'no-adapter' };
  return { kind: a.features.has('shader-f16') ? 'ok' : 'no-f16', ...describe(a) };
}

const TILE = 16;

function shader(half: boolean, n: number): string {
  const t = half ? 'f16' : 'f32';
  return `${half ? 'enable f16;\n' : ''}
@group(0) @binding(0) var<storage, read> a: array<${t}>;
@group(0) @binding(1) var<storage, read> b: array<${t}>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
var<workgroup> ta: array<array<${t}, ${TILE}>, ${TILE}>;
var<workgroup> tb: array<array<${t}, ${TILE}>, ${TILE}>;
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>) {
  var acc = 0.0;
  for (var t = 0u; t < ${n}u; t += ${TILE}u) {
    ta[l.y][l.x] = a[g.y * ${n}u + t + l.x];
    tb[l.y][l.x] = b[(t + l.y) * ${n}u + g.x];
    workgroupBarrier();
    for (var k = 0u; k < ${TILE}u; k++) { acc += f32(ta[l.y][k] * tb[k][l.x]); }
    workgroupBarrier();
  }
  c[g.y * ${n}u + g.x] = acc;
}`;
}

export interface MatmulTiming {
  n: number;
  repeats: number;
  f32: { ms: number; gflops: number };
  f16: { ms: number; gflops: number };
  /** Largest difference between the two results, relative to the largest entry. */
  relDiff: number;
  adapter: string;
  software: boolean;
}

/** Times n x n matrix multiplies in float32 and float16 on this browser's GPU (`repeats` of each, after a warm-up). */
export async function timeMatmul(n = 512, repeats = 20): Promise<MatmulTiming> {
  const a = await adapterOf();
  if (!a || !a.features.has('shader-f16')) throw new Error('this WebGPU adapter has no shader-f16');
  const info = describe(a);
  const device = await a.requestDevice({ requiredFeatures: ['shader-f16'] });
  try {
    const values = (seed: number) => Float32Array.from({ length: n * n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
    const A = values(1);
    const B = values(2);
    const run = async (half: boolean) => {
      const upload = (x: Float32Array) => {
        const data = half ? Uint16Array.from(x, (v) => toBits(v)) : x;
        const size = Math.ceil(data.byteLength / 4) * 4;
        const buf = device.createBuffer({ size, usage: STORAGE | COPY_DST });
        const padded = half && data.byteLength % 4 ? new Uint16Array(size / 2) : data;
        if (padded !== data) (padded as Uint16Array).set(data as Uint16Array);
        device.queue.writeBuffer(buf, 0, padded);
        return buf;
      };
      const ba = upload(A);
      const bb = upload(B);
      const bc = device.createBuffer({ size: n * n * 4, usage: STORAGE | COPY_SRC });
      const read = device.createBuffer({ size: n * n * 4, usage: MAP_READ | COPY_DST });
      const pipeline = device.createComputePipeline({
        layout: 'auto',
        compute: { module: device.createShaderModule({ code: shader(half, n) }), entryPoint: 'main' },
      });
      const group = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [ba, bb, bc].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const dispatch = (times: number) => {
        const enc = device.createCommandEncoder();
        for (let r = 0; r < times; r++) {
          const pass = enc.beginComputePass();
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(n / TILE, n / TILE);
          pass.end();
        }
        device.queue.submit([enc.finish()]);
        return device.queue.onSubmittedWorkDone();
      };
      await dispatch(2);
      const t0 = performance.now();
      await dispatch(repeats);
      const ms = (performance.now() - t0) / repeats;
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(bc, 0, read, 0, n * n * 4);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(MAP_READ);
      const out = new Float32Array(read.getMappedRange().slice(0));
      read.unmap();
      for (const b of [ba, bb, bc, read]) b.destroy();
      return { ms, gflops: (2 * n ** 3) / (ms * 1e6), out };
    };
    const f32 = await run(false);
    const f16 = await run(true);
    let maxAbs = 0;
    let maxDiff = 0;
    for (let i = 0; i < f32.out.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(f32.out[i]!));
      maxDiff = Math.max(maxDiff, Math.abs(f32.out[i]! - f16.out[i]!));
    }
    return {
      n,
      repeats,
      f32: { ms: f32.ms, gflops: f32.gflops },
      f16: { ms: f16.ms, gflops: f16.gflops },
      relDiff: maxDiff / maxAbs,
      ...info,
    };
  } finally {
    device.destroy();
  }
}
