// Several trainings one after the other in the page's engine worker, each on a fresh model, reporting as they go:
// the comparison labs (fine-tuning two ways, two architectures) run on this.
import { request, StoppedError } from './engine-client';
import type { RunLifecycle } from './run-lifecycle';
import type { MessageOf, ModelRequest, TrainRequest } from '../../lib/worker/protocol';
import type { BatchRecord, EpochRecord } from '../../lib/train/recorder';

export interface PlannedRun {
  model: ModelRequest;
  train: TrainRequest;
}

export interface RunReport {
  /** The model was built (and its pretrained body loaded): what it is. */
  model(run: number, m: MessageOf<'model'>): void;
  step(run: number, record: BatchRecord, phase: string, m: MessageOf<'step'>): void;
  epoch(run: number, record: EpochRecord, phase: string): void;
}

/**
 * Trains each planned run in turn. Resolves with 'done', or with the outcome of the run that did not finish
 * ('requested' after a stop, 'diverged'); a failure (a missing file, say) rejects and stops the sequence. With
 * `life`, a Stop ends the sequence at once while a model is built, within a batch while one trains, and the next
 * run never starts.
 */
export async function runInTurn(
  plans: readonly PlannedRun[],
  report: RunReport,
  life?: RunLifecycle,
): Promise<'done' | 'requested' | 'diverged'> {
  try {
    for (const [k, plan] of plans.entries()) {
      if (life?.stopRequested) return 'requested';
      const building = request({ kind: 'new-model', ...plan.model });
      const model = await (life ? life.step(building) : building);
      report.model(k, model);
      let phase = '';
      const done = await request({ kind: 'train', ...plan.train, ...(life ? { run: life.run } : {}) }, (m) => {
        if (m.kind === 'phase') phase = m.name;
        else if (m.kind === 'step') report.step(k, m.record, phase, m);
        else if (m.kind === 'epoch') report.epoch(k, m.record, phase);
      });
      if (done.outcome !== 'done') return done.outcome;
    }
    return 'done';
  } catch (error) {
    if (error instanceof StoppedError) return 'requested';
    throw error;
  }
}
