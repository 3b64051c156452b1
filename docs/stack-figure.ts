/**
 * Makes docs/stack.jpg, the README's picture of `focus-stacking stack`: the
 * 7 pcb frames of fixtures' source dataset (or the 4 in fixtures/pcb),
 * aligned and stacked with the default method, in a 2x2 grid at 512x384:
 *
 *   nearest frame | farthest frame
 *   stacked       | depth map (white: the last frame)
 *
 *   npm run build && node dist/docs/stack-figure.js
 */
import { fileURLToPath } from 'node:url';
import { jpegFrames, pcbDir } from '../bench/datasets.js';
import { closeExecutors, cv, imageFromMat, loadImage, loadOpenCV, matFromImage, MatScope, resize, saveImage, stack, type Image } from '../lib/index.js';

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const frames = jpegFrames(pcbDir());

const [tw, th, gap] = [512, 384, 4];

function tile(image: Image): Image {
  const rgb: Image =
    image.channels === 3
      ? image
      : { width: image.width, height: image.height, channels: 3, data: Uint8Array.from({ length: image.width * image.height * 3 }, (_, i) => image.data[Math.floor(i / 3)]) };
  using scope = new MatScope();
  return imageFromMat(scope.track(resize(scope.track(matFromImage(rgb)), { dsize: [tw, th], interpolation: cv().INTER_AREA })));
}

await loadOpenCV();
const { image, depth } = await stack(frames, { depthMap: true });
const tiles = [await loadImage(frames[0]), await loadImage(frames[frames.length - 1]), image, depth!].map(tile);
const width = 2 * tw + gap;
const height = 2 * th + gap;
const data = new Uint8Array(width * height * 3).fill(255);
tiles.forEach((t, i) => {
  const [x0, y0] = [(i % 2) * (tw + gap), Math.floor(i / 2) * (th + gap)];
  for (let y = 0; y < th; y++) data.set(t.data.subarray(y * tw * 3, (y + 1) * tw * 3), ((y0 + y) * width + x0) * 3);
});
await saveImage({ width, height, channels: 3, data }, at('docs/stack.jpg'), { quality: 85 });
await closeExecutors();
