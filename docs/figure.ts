/**
 * Makes docs/example.jpg, the README's picture: the 640x480 parity inputs and
 * four outputs, each scaled to 320x240, in a 3x2 grid:
 *
 *   back | front | all_channels
 *   new_method | blending_mask | direct
 *
 *   npm run build && node dist/docs/figure.js
 */
import { fileURLToPath } from 'node:url';
import { imageFromMat, loadImage, loadOpenCV, matFromImage, MatScope, resize, saveImage, stackPair, type Image } from '../lib/index.js';

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

function toRgb(image: Image): Image {
  if (image.channels === 3) return image;
  const data = new Uint8Array(image.width * image.height * 3);
  image.data.forEach((v, i) => data.fill(v, 3 * i, 3 * i + 3));
  return { width: image.width, height: image.height, channels: 3, data };
}

function half(image: Image): Image {
  using scope = new MatScope();
  return imageFromMat(scope.track(resize(scope.track(matFromImage(toRgb(image))), { dsize: [320, 240] })));
}

await loadOpenCV();
const back = await loadImage(at('fixtures/parity/pcb-640x480/input/back.png'));
const front = await loadImage(at('fixtures/parity/pcb-640x480/input/front.png'));
const out = await stackPair(back, front);
const tiles = [back, front, out.focus_stacked_all_channels!, out.focus_stacked_new_method!, out.blending_mask!, out.focus_stacked_direct!].map(half);
const [tw, th, gap] = [320, 240, 4];
const width = 3 * tw + 2 * gap;
const height = 2 * th + gap;
const data = new Uint8Array(width * height * 3).fill(255);
tiles.forEach((tile, i) => {
  const [x0, y0] = [(i % 3) * (tw + gap), Math.floor(i / 3) * (th + gap)];
  for (let y = 0; y < th; y++) data.set(tile.data.subarray(y * tw * 3, (y + 1) * tw * 3), ((y0 + y) * width + x0) * 3);
});
await saveImage({ width, height, channels: 3, data }, at('docs/example.jpg'), { quality: 85 });
