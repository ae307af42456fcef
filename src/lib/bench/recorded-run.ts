// One measured figure in benchmarks/results.json, as the Performance page shows it.
export interface RecordedRun {
  date: string;
  machine: string;
  command: string;
  metric: string;
  value: number;
  unit: string;
  backend?: string;
}
