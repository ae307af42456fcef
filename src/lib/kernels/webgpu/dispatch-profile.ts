// GPU time of every dispatch in a piece of work, TF.js's programs and our own shaders alike, from timestamp queries.
// tf.profile times TF.js kernels only, and names them by kernel, so it misses our in-place shaders (Adam, running
// statistics) and lumps our fused BatchNorm programs under the custom gradient that runs them. Here each dispatch
// gets a pass of its own with timestamps (TF.js's profiling path), named by its shader.
import type * as tf from '@tensorflow/tfjs-core';

export interface DispatchTime {
  /** The shader's key up to its first '_' (TF.js's keys go on with shape flags): 'conv2DDerInput', 'ownBnMoments'. */
  name: string;
  ms: number;
}

export interface ShaderTime {
  name: string;
  calls: number;
  ms: number;
}

interface ProfilingInternals {
  supportTimestampQuery: boolean;
  activeTimers: { name: string; query: Promise<number> }[] | null;
  recordAndSubmit(program: { shaderKey: string }, ...rest: unknown[]): void;
}

/** Short name of a shader key: 'conv2DDerInput_true_true_2' -> 'conv2DDerInput'. */
export function shaderName(key: string): string {
  return key.split('_')[0] || key;
}

/**
 * Runs `f` with every GPU dispatch timed; null when `backend` is not WebGPU or has no timestamp queries. Each
 * dispatch is submitted on its own, so `f` runs slower than usual, but the times are of the dispatches alone.
 */
export async function profileDispatches(
  backend: tf.KernelBackend,
  f: () => Promise<void>,
): Promise<DispatchTime[] | null> {
  const b = backend as unknown as Partial<ProfilingInternals>;
  if (typeof b.recordAndSubmit !== 'function' || !b.supportTimestampQuery) return null;
  if (b.activeTimers) throw new Error('A profile is already running on this backend.');
  const timers: { name: string; query: Promise<number> }[] = [];
  const record = b.recordAndSubmit;
  const ownMethod = Object.prototype.hasOwnProperty.call(b, 'recordAndSubmit');
  // TF.js names its timers by class, which a minifier renames; the shader key survives.
  b.recordAndSubmit = function (this: ProfilingInternals, program, ...rest) {
    const before = timers.length;
    record.call(this, program, ...rest);
    if (timers.length > before) timers[timers.length - 1]!.name = shaderName(program.shaderKey);
  };
  b.activeTimers = timers;
  try {
    await f();
  } finally {
    b.activeTimers = null;
    if (ownMethod) b.recordAndSubmit = record;
    else delete b.recordAndSubmit; // the prototype's method again
  }
  const ms = await Promise.all(timers.map((t) => t.query));
  return timers.map((t, i) => ({ name: shaderName(t.name), ms: ms[i]! }));
}

/** Times summed by name (a shader's, or a TF.js kernel's), most time first. */
export function byShader(times: readonly DispatchTime[]): ShaderTime[] {
  const m = new Map<string, ShaderTime>();
  for (const t of times) {
    const e = m.get(t.name) ?? { name: t.name, calls: 0, ms: 0 };
    e.calls++;
    e.ms += t.ms;
    m.set(t.name, e);
  }
  return [...m.values()].sort((a, b) => b.ms - a.ms);
}
