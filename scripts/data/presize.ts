// Decoding and presizing one image with sharp: any readable image becomes an RGB JPEG whose shorter side is `size`.
// What cannot be used is classified with a reason; what can be converted (greyscale, CMYK, PNG data) is, with a note.
import sharp, { type Metadata } from 'sharp';

export type SkipReason = 'empty file' | 'not an image' | 'corrupt or truncated image';

export type Presized =
  | { ok: true; data: Buffer; width: number; height: number; notes: string[] }
  | { ok: false; reason: SkipReason; detail: string };

const READABLE = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff']);

/** Whether the bytes start like an image file (JPEG, PNG, GIF, WebP, TIFF), whatever happens when decoding them. */
export function looksLikeImage(b: Uint8Array): boolean {
  const starts = (...xs: number[]) => xs.every((x, i) => b[i] === x);
  return (
    starts(0xff, 0xd8, 0xff) ||
    starts(0x89, 0x50, 0x4e, 0x47) ||
    starts(0x47, 0x49, 0x46, 0x38) ||
    (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45) ||
    starts(0x49, 0x49, 0x2a, 0x00) ||
    starts(0x4d, 0x4d, 0x00, 0x2a)
  );
}

export async function presize(input: Buffer, size: number, name: string): Promise<Presized> {
  if (input.length === 0) return { ok: false, reason: 'empty file', detail: '0 bytes' };
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (error) {
    const reason = looksLikeImage(input) ? 'corrupt or truncated image' : 'not an image';
    return { ok: false, reason, detail: (error as Error).message.split('\n')[0]! };
  }
  if (!meta.format || !READABLE.has(meta.format))
    return { ok: false, reason: 'not an image', detail: `format ${meta.format ?? 'unknown'}` };
  const notes: string[] = [];
  const ext = name.toLowerCase().split('.').pop();
  if (meta.format !== 'jpeg' && (ext === 'jpg' || ext === 'jpeg'))
    notes.push(`${meta.format.toUpperCase()} data behind a .${ext} name`);
  if (meta.space === 'cmyk') notes.push('CMYK converted to RGB');
  else if (meta.space === 'b-w' || (meta.channels ?? 3) < 3) notes.push('greyscale converted to RGB');
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w === 0 || h === 0) return { ok: false, reason: 'corrupt or truncated image', detail: 'no dimensions' };
  const scale = size / Math.min(w, h);
  const width = Math.max(size, Math.round(w * scale));
  const height = Math.max(size, Math.round(h * scale));
  try {
    const { data, info } = await sharp(input, { failOn: 'truncated', pages: 1 })
      .toColourspace('srgb')
      .removeAlpha()
      .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
      .jpeg({ quality: 90 })
      .toBuffer({ resolveWithObject: true });
    return { ok: true, data, width: info.width, height: info.height, notes };
  } catch (error) {
    return { ok: false, reason: 'corrupt or truncated image', detail: (error as Error).message.split('\n')[0]! };
  }
}
