// Static JPEG files of the pets images the demos offer by name (see src/site/pack-previews.ts), written at build time.
import type { APIRoute, GetStaticPaths } from 'astro';
import { previews } from '../../../site/pack-previews';

export const getStaticPaths = (() =>
  previews().map((p) => ({ params: { name: p.name }, props: { bytes: p.bytes } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  new Response((props as { bytes: Uint8Array<ArrayBuffer> }).bytes, { headers: { 'content-type': 'image/jpeg' } });
