// The sizes ResNet-S's stem and stages produce, from the widths alone (no TF.js, so a page can draw the layout
// before the engine loads): the stem halves the image, stages 2-4 halve it again.
export const STAGE_NAMES = ['stem', 'stage 1', 'stage 2', 'stage 3', 'stage 4'] as const;

/** The sizes the stem and each stage produce for a `size` px input, without running anything (for a static page). */
export function stageShapes(
  widths: readonly number[],
  size: number,
): { name: string; height: number; width: number; channels: number }[] {
  const side = (s: number, stride: number) => Math.floor((s - 1) / stride) + 1;
  let h = side(size, 2);
  const rows: { name: string; height: number; width: number; channels: number }[] = [
    { name: STAGE_NAMES[0], height: h, width: h, channels: widths[0]! },
  ];
  widths.forEach((c, i) => {
    if (i > 0) h = side(h, 2);
    rows.push({ name: STAGE_NAMES[i + 1] ?? `stage ${i + 1}`, height: h, width: h, channels: c });
  });
  return rows;
}
