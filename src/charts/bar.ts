// Data for BarChart: one bar per label.
export interface Bar {
  label: string;
  value: number;
  /** Drawn in the accent colour (the target class, say). */
  highlight?: boolean;
}
