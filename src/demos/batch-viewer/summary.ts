// What the batch viewer says about the pack before it loads anything (computed at build time).
export interface PackSummary {
  images: number;
  classes: number;
  train: number;
  valid: number;
  size: number;
  bytes: number;
}
