// The feature-map demo's state in the URL (keys prefixed "fm.").
import { enumField, intField, stringField, type Schema } from '../../lib/url-state';

export type Body = 'pretrained' | 'random';

export interface FeatureMapState {
  /** The pets image, by file name (a name not in the pack falls back to the first choice). */
  img: string;
  body: Body;
  /** Side of the image the model sees, in pixels. */
  size: number;
  /** Channels drawn per stage. */
  top: number;
}

export const featureMapSchema: Schema<FeatureMapState> = {
  img: stringField('', 80),
  body: enumField<Body>('pretrained', ['pretrained', 'random']),
  size: intField(64, 32, 128),
  top: intField(8, 4, 16),
};

export const FM_PREFIX = 'fm';
