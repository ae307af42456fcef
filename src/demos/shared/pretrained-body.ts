// The body the fine-tuning demos start from: ResNet-S pretrained on Imagenette at 64 px, committed under public/
// (npm run pretrain-body makes it again).
export const PRETRAINED_BODY = '/models/resnet-s-imagenette.petw';
