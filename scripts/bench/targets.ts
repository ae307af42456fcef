// The speed targets (same GPU, batch 64, 96 px, fp32), checked on benchmark outputs as they come back from a
// GPU machine: training with our kernels at least 10x stock, at least 1,300 images/s, inference no slower than stock.
import type { BenchJson, TrainingJson } from './figures';

export const TARGETS = { batch: 64, size: 96, speedup: 10, imagesPerS: 1300 } as const;

export interface TargetCheck {
  target: string;
  /** The measured figure, in words. */
  measured: string;
  met: boolean;
}

export interface TargetReport {
  machine: string;
  /** The command of our kernels' run; a run with choices other than the defaults (a tiling, TF.js flags) is reported apart. */
  command: string;
  checks: TargetCheck[];
}

/** Flags that change what our kernels do: a run with any of them does not measure the engine as it ships. */
const CHOICES = ['--filter-tiling', '--forward-tiling', '--input-tiling', '--tf-flag', '--submit-batch'];

type Result = TrainingJson['results'][number] & { date: string; machine: string; command: string };

/**
 * The targets, checked for each run of our kernels at the targets' batch and size on WebGPU against the newest stock
 * run on the same machine: our defaults first, then runs with other choices. Empty when the outputs hold no such pair.
 */
export function checkTargets(outputs: readonly BenchJson[]): TargetReport[] {
  const results: Result[] = outputs
    .filter((o): o is TrainingJson => o.kind === 'training' && o.batch === TARGETS.batch && o.size === TARGETS.size)
    .flatMap((o) =>
      o.results
        .filter((r) => r.backend === 'webgpu')
        .map((r) => ({ ...r, date: o.date, machine: o.machine, command: o.command })),
    );
  const newestFirst = (a: Result, b: Result) => Date.parse(b.date) - Date.parse(a.date);
  const tuned = (r: Result) => CHOICES.some((c) => r.command.includes(c));
  const ours = results
    .filter((r) => r.kernels === 'ours')
    .sort((a, b) => Number(tuned(a)) - Number(tuned(b)) || newestFirst(a, b));
  const reports: TargetReport[] = [];
  for (const o of ours) {
    const stock = results.filter((r) => r.kernels === 'stock' && r.machine === o.machine).sort(newestFirst)[0];
    if (!stock) continue;
    const speedup = o.imagesPerS / stock.imagesPerS;
    const inference = o.inferenceImagesPerS / stock.inferenceImagesPerS;
    reports.push({
      machine: o.machine,
      command: o.command,
      checks: [
        {
          target: `training at least ${TARGETS.speedup}x stock`,
          measured: `${speedup.toFixed(2)}x (${o.imagesPerS.toFixed(1)} against ${stock.imagesPerS.toFixed(1)} images/s)`,
          met: speedup >= TARGETS.speedup,
        },
        {
          target: `training at least ${TARGETS.imagesPerS.toLocaleString('en')} images/s`,
          measured: `${o.imagesPerS.toFixed(1)} images/s (${o.msPerStep.toFixed(1)} ms per step)`,
          met: o.imagesPerS >= TARGETS.imagesPerS,
        },
        {
          target: 'inference no slower than stock',
          measured: `${inference.toFixed(2)}x (${o.inferenceImagesPerS.toFixed(0)} against ${stock.inferenceImagesPerS.toFixed(0)} images/s)`,
          met: inference >= 1,
        },
      ],
    });
  }
  return reports;
}

/** The reports as lines for a terminal (and for the issue note). */
export function formatTargets(reports: readonly TargetReport[]): string[] {
  if (!reports.length)
    return [
      `targets: no stock and ours training runs at batch ${TARGETS.batch}, ${TARGETS.size} px on WebGPU on one machine among these files`,
    ];
  return reports.flatMap((r) => [
    `targets on ${r.machine}, ours by: ${r.command}`,
    ...r.checks.map((c) => `  ${c.met ? 'met    ' : 'NOT MET'}  ${c.target}: ${c.measured}`),
  ]);
}
