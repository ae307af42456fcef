// What training leaves behind, as plain numbers: one record per batch and one per epoch.
import { SmoothedLoss } from './lr-find';

export interface BatchRecord {
  /** Training step across the whole run, from 0. */
  iter: number;
  epoch: number;
  loss: number;
  smoothLoss: number;
  /** Learning rate of each parameter group. */
  lrs: number[];
  mom: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validLoss: number;
  errorRate: number;
  accuracy: number;
  seconds: number;
}

export class Recorder {
  batches: BatchRecord[] = [];
  epochs: EpochRecord[] = [];
  private smoother = new SmoothedLoss();

  /** Starts a new fit: smoothing restarts, as fastai's Recorder does in before_fit. */
  beginFit(): void {
    this.smoother = new SmoothedLoss();
  }

  addBatch(r: Omit<BatchRecord, 'smoothLoss'>): BatchRecord {
    const rec = { ...r, smoothLoss: this.smoother.add(r.loss) };
    this.batches.push(rec);
    return rec;
  }

  get smoothLoss(): number {
    return this.smoother.value;
  }

  addEpoch(r: EpochRecord): void {
    this.epochs.push(r);
  }
}

/** fastai's epoch table: epoch, train_loss, valid_loss, error_rate, time. */
export function formatEpochTable(rows: readonly EpochRecord[], header = true): string {
  const time = (s: number) =>
    `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(Math.round(s % 60)).padStart(2, '0')}`;
  const lines = header ? ['epoch  train_loss  valid_loss  error_rate  time'] : [];
  for (const r of rows) {
    lines.push(
      `${String(r.epoch).padEnd(5)}  ${r.trainLoss.toFixed(6).padEnd(10)}  ${r.validLoss.toFixed(6).padEnd(10)}  ${r.errorRate.toFixed(6).padEnd(10)}  ${time(r.seconds)}`,
    );
  }
  return lines.join('\n');
}
