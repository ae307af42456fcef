// What a benchmark's JSON output says, as figures for benchmarks/results.json: the same conversion for `--record`
// at the end of a run and for `npm run bench:record` on JSON files brought back from another machine.
import type { RecordedRun } from '../../src/lib/bench/recorded-run';
import type { TrainBenchResult } from '../../src/lib/bench/train-bench';
import type { JaxPeer } from './jax-peer';
import { fastestTilings, isWrong, STOCK_ALTERNATIVES, TILED_KERNELS, type ConvBenchResult } from './conv-bench';

interface Provenance {
  date: string;
  machine: string;
  /** The command that reproduces the run. */
  command: string;
}

/** `npm run bench -- --json` output. */
export interface TrainingJson extends Provenance {
  kind: 'training';
  arch: string;
  batch: number;
  size: number;
  steps: number;
  /** ms to augment one batch, where timed. */
  augmentMs: number | null;
  results: Pick<
    TrainBenchResult,
    | 'kernels'
    | 'backend'
    | 'imagesPerS'
    | 'msPerStep'
    | 'dispatchesPerStep'
    | 'inferenceImagesPerS'
    | 'inferenceDispatches'
  >[];
  /** PyTorch eager on the same model and shape, its steps interleaved with ours (CPU backends, when torch is present). */
  peer?: {
    name: string;
    threads: number;
    /** Median over the steps interleaved with our kernels' (or the only set run). */
    msPerStep: number;
    /** The same, beside each kernel set's steps (they run one set after the other). */
    msPerStepBySet?: Record<string, number>;
    steps: number;
    ourThreads: number;
  };
  /** jax-js on the same model and shape in the same browser, after the page's run (--browser --jax). */
  browserPeer?: JaxPeer;
}

/** `npm run bench -- --host-only --json` output. */
export interface HostOnlyJson extends Provenance {
  kind: 'host-only';
  arch: string;
  batch: number;
  size: number;
  steps: number;
  results: Pick<TrainBenchResult, 'kernels' | 'backend' | 'msPerStep' | 'hostMsPerStep' | 'dispatchesPerStep'>[];
}

/** `npm run bench:conv -- --json` output. */
export interface ConvJson extends Provenance, ConvBenchResult {
  kind: 'conv';
  arch: string;
  batch: number;
  size: number;
  backend: string;
}

export type BenchJson = TrainingJson | HostOnlyJson | ConvJson;

function trainingFigures(j: TrainingJson): RecordedRun[] {
  const { date, machine, command } = j;
  const shape = `batch ${j.batch} at ${j.size} px`;
  const figure = (backend: string, metric: string, value: number, unit: string): RecordedRun => ({
    date,
    machine,
    command,
    backend,
    metric: `${j.arch} ${metric}`,
    value,
    unit,
  });
  const peer = j.peer;
  const peerFigures = peer
    ? [
        figure(
          'PyTorch',
          `training step, ${shape}, ${peer.name} (steps interleaved with ours)`,
          Number(((j.batch * 1000) / peer.msPerStep).toFixed(1)),
          `images/s (${peer.msPerStep.toFixed(1)} ms/step)`,
        ),
        ...j.results.map((r) =>
          figure(
            r.backend,
            `training step, ${shape}, ${r.kernels} kernels on ${peer.ourThreads} thread${peer.ourThreads === 1 ? '' : 's'} against ${peer.name}`,
            Number((r.msPerStep / (peer.msPerStepBySet?.[r.kernels] ?? peer.msPerStep)).toFixed(2)),
            'x its ms/step (target: at most 3x)',
          ),
        ),
      ]
    : [];
  const jax = j.browserPeer;
  const jaxFigures = jax
    ? [
        figure(
          'jax-js',
          `training step, ${shape}, ${jax.name} (in the same browser)`,
          Number(((j.batch * 1000) / jax.msPerStep).toFixed(2)),
          `images/s (${jax.msPerStep.toFixed(0)} ms/step, median of ${jax.steps})`,
        ),
        ...j.results.map((r) =>
          figure(
            r.backend,
            `training step, ${shape}, ${r.kernels} kernels against ${jax.name}`,
            Number((jax.msPerStep / r.msPerStep).toFixed(1)),
            'x its speed',
          ),
        ),
      ]
    : [];
  return j.results
    .flatMap((r) => [
      figure(
        r.backend,
        `training step, ${shape}, ${r.kernels} kernels`,
        Number(r.imagesPerS.toFixed(1)),
        `images/s (${r.msPerStep.toFixed(1)} ms/step${r.dispatchesPerStep === null ? '' : `; ${r.dispatchesPerStep.toLocaleString('en')} GPU dispatches`})`,
      ),
      figure(
        r.backend,
        `inference, ${shape}, ${r.kernels} kernels`,
        Number(r.inferenceImagesPerS.toFixed(1)),
        `images/s${r.inferenceDispatches === null ? '' : ` (${r.inferenceDispatches} GPU dispatches)`}`,
      ),
    ])
    .concat(peerFigures, jaxFigures);
}

function hostOnlyFigures(j: HostOnlyJson): RecordedRun[] {
  const { date, machine, command } = j;
  return j.results.map((r) => ({
    date,
    machine,
    command,
    backend: r.backend,
    metric: `${j.arch} training step on the CPU alone (GPU work dropped), ${r.kernels} kernels`,
    value: Number(r.msPerStep.toFixed(1)),
    unit: `ms per step (${r.hostMsPerStep.toFixed(1)} ms to record it, then its read-back; at batch ${j.batch} no GPU can beat ${((j.batch * 1000) / r.msPerStep).toFixed(0)} images/s on this CPU)`,
  }));
}

/** A conv variant in words: TF.js's kernel, one of its alternatives with the flag that picks it, or our tiling. */
function variantName(variant: string): string {
  if (variant === 'stock') return 'TF.js stock kernel';
  const alt = STOCK_ALTERNATIVES.find((a) => a.variant === variant);
  return alt
    ? `TF.js ${variant} (${alt.flag}=${alt.value})`
    : variant === 'ours'
      ? 'our kernel'
      : `our tiling ${variant}`;
}

/**
 * One figure per kernel variant: its time summed over all layers (a variant with a wrong result is left out); and,
 * where giving each filter shape its own tiling beats the one fastest tiling, that plan's time.
 */
function convFigures(j: ConvJson): RecordedRun[] {
  const { date, machine, command, backend } = j;
  const figure = (kernel: string, what: string, ms: number): RecordedRun => ({
    date,
    machine,
    command,
    backend,
    metric: `${j.arch} ${kernel} over all ${j.layers.length} convolutions, batch ${j.batch} at ${j.size} px, ${what}`,
    value: Number(ms.toFixed(2)),
    unit: `ms (${j.clock === 'gpu' ? 'GPU time' : 'wall time'}, median of its runs per layer)`,
  });
  const variants = [...new Map(j.times.map((t) => [`${t.kernel} ${t.variant}`, t])).values()];
  const figures = variants
    .filter((v) => !j.times.some((t) => t.kernel === v.kernel && t.variant === v.variant && isWrong(t)))
    .map((v) =>
      figure(
        v.kernel,
        variantName(v.variant),
        j.times.filter((t) => t.kernel === v.kernel && t.variant === v.variant).reduce((s, t) => s + t.ms, 0),
      ),
    );
  for (const kernel of TILED_KERNELS) {
    const { single, plan } = fastestTilings(j, kernel);
    if (single && plan && plan.spec !== single.spec)
      figures.push(figure(kernel, `each filter shape with its fastest tiling (plan ${plan.spec})`, plan.ms));
  }
  return figures;
}

/** The figures a benchmark's JSON output holds; throws, saying what is wrong, on anything else. */
export function figuresOf(j: unknown): RecordedRun[] {
  const o = (j ?? {}) as Partial<BenchJson>;
  if (typeof o !== 'object' || !('kind' in o))
    throw new Error(
      'not the JSON output of npm run bench or bench:conv (it has no "kind"; files from before 2026-11-29 lack it)',
    );
  for (const key of ['date', 'machine', 'command'] as const) {
    if (typeof o[key] !== 'string') throw new Error(`its "${key}" is missing`);
  }
  if (!Array.isArray(o.kind === 'conv' ? (o as ConvJson).times : (o as TrainingJson).results))
    throw new Error('its results are missing');
  switch (o.kind) {
    case 'training':
      return trainingFigures(o as TrainingJson);
    case 'host-only':
      return hostOnlyFigures(o as HostOnlyJson);
    case 'conv':
      return convFigures(o as ConvJson);
    default:
      throw new Error(`unknown kind "${String(o.kind)}"`);
  }
}
