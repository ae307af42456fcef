// The machine a benchmark ran on, as printed and recorded beside its figures.
import { cpus } from 'node:os';

/** 'Intel(R) Xeon(R) Processor, 2 cores', then '; WebGPU adapter …' when there is one. */
export function machineName(adapter = ''): string {
  return `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores${adapter ? `; WebGPU adapter ${adapter}` : ''}`;
}
