// The presizing lab's state in the URL (keys prefixed "pz.").
import { intField, numberField, stringField, type Schema } from '../../lib/url-state';

export interface PresizeState {
  /** File name of the pack image shown ('' until one is chosen). */
  image: string;
  rotate: number;
  zoom: number;
  warp: number;
  scale: number;
  size: number;
}

export const pzSchema: Schema<PresizeState> = {
  image: stringField('', 80),
  rotate: numberField(20, -45, 45, 1),
  zoom: numberField(1.2, 1, 2, 2),
  warp: numberField(0.2, 0, 0.4, 2),
  scale: numberField(0.75, 0.3, 1, 2),
  size: intField(128, 48, 160),
};

export const PZ_PREFIX = 'pz';
