/**
 * The page's front end: UI only. Frames are decoded, stacked and encoded in
 * the engine worker ({@link StackWorker}); this thread shows thumbnails,
 * progress and the results.
 */
import { StackWorker } from '../lib/web/client.js';
import { MAX_WEB_PIXELS } from '../lib/web/limits.js';
import { DEFAULT_STACK_METHOD, StackMethod } from '../lib/engine/options.js';
import type { WebStackResult } from '../lib/web/protocol.js';

interface Frame {
  readonly file: File;
  readonly width: number;
  readonly height: number;
  readonly thumb: HTMLCanvasElement;
}

/** What the page exposes for tests and scripts (`window.focusStacking`). */
interface PageState {
  state: 'loading' | 'ready' | 'running' | 'done' | 'error';
  result?: WebStackResult;
  error?: string;
  engine?: { ms: number; threads: number; shared: boolean };
  readyMs?: number;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const filesInput = $<HTMLInputElement>('files');
const drop = $<HTMLLabelElement>('drop');
const thumbs = $<HTMLOListElement>('thumbs');
const methodSelect = $<HTMLSelectElement>('method');
const alignBox = $<HTMLInputElement>('align');
const cropBox = $<HTMLInputElement>('crop');
const runButton = $<HTMLButtonElement>('run');
const cancelButton = $<HTMLButtonElement>('cancel');
const clearButton = $<HTMLButtonElement>('clear');
const progress = $<HTMLProgressElement>('progress');
const status = $<HTMLSpanElement>('status');
const message = $<HTMLParagraphElement>('message');
const output = $<HTMLElement>('output');
const engineLine = $<HTMLParagraphElement>('engine');

const page: PageState = { state: 'loading' };
(window as unknown as { focusStacking: PageState }).focusStacking = page;

let frames: Frame[] = [];
let running: AbortController | undefined;
let engineReady = false;
const urls: string[] = [];

for (const method of Object.values(StackMethod)) methodSelect.add(new Option(method, method, method === DEFAULT_STACK_METHOD, method === DEFAULT_STACK_METHOD));

const engine = new StackWorker({ opencvUrl: 'opencv.js' });
engine.ready.then(
  (ready) => {
    engineReady = true;
    page.engine = ready;
    page.readyMs = performance.now();
    if (page.state === 'loading') page.state = 'ready';
    engineLine.textContent = `Engine ready in ${Math.round(performance.now())} ms (OpenCV.js ${Math.round(ready.ms)} ms): ${ready.threads} thread${ready.threads > 1 ? 's' : ''}${ready.shared ? ', shared memory' : ' (the page is not cross-origin isolated: one worker)'}. Nothing leaves this machine.`;
    update();
  },
  (error: unknown) => fail(`The engine could not start: ${error instanceof Error ? error.message : String(error)}`),
);

function say(text: string, kind: 'error' | 'warning' = 'error'): void {
  message.hidden = false;
  message.className = `message ${kind}`;
  message.textContent = text;
}

function fail(text: string): void {
  page.state = 'error';
  page.error = text;
  say(text);
  update();
}

function update(): void {
  runButton.disabled = !engineReady || frames.length < 2 || running !== undefined;
  cancelButton.hidden = running === undefined;
  if (!running && page.state !== 'done') status.textContent = frames.length < 2 ? 'Add at least 2 frames.' : `${frames.length} frames, ${frames[0].width}x${frames[0].height}.`;
}

/** The problem with the frames as they are, if any. */
function checkFrames(): string | undefined {
  if (frames.length === 0) return undefined;
  const first = frames[0];
  const other = frames.find((f) => f.width !== first.width || f.height !== first.height);
  if (other) return `Frames must have the same size: ${other.file.name} is ${other.width}x${other.height} but ${first.file.name} is ${first.width}x${first.height}.`;
  if (first.width * first.height > MAX_WEB_PIXELS) {
    return `Frames of ${first.width}x${first.height} (${(first.width * first.height / 1e6).toFixed(1)} MP) are too large for this tab: at most ${MAX_WEB_PIXELS / 1e6} MP per frame (the number of frames does not matter). Use smaller frames or the command line.`;
  }
  return undefined;
}

async function addFiles(list: FileList | File[]): Promise<void> {
  message.hidden = true;
  const rejected: string[] = [];
  for (const file of Array.from(list)) {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      rejected.push(file.name);
      continue;
    }
    const thumb = document.createElement('canvas');
    const scale = Math.min(1, 264 / bitmap.width, 198 / bitmap.height);
    thumb.width = Math.max(1, Math.round(bitmap.width * scale));
    thumb.height = Math.max(1, Math.round(bitmap.height * scale));
    thumb.getContext('2d')!.drawImage(bitmap, 0, 0, thumb.width, thumb.height);
    frames.push({ file, width: bitmap.width, height: bitmap.height, thumb });
    bitmap.close();
  }
  render();
  const problem = rejected.length > 0 ? `Not an image this browser can decode: ${rejected.join(', ')} (skipped).` : checkFrames();
  if (problem) say(problem);
}

function render(): void {
  thumbs.replaceChildren(
    ...frames.map((frame, i) => {
      const li = document.createElement('li');
      li.draggable = true;
      li.dataset.index = String(i);
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = `${i + 1}. ${frame.file.name}`;
      name.title = `${frame.file.name}, ${frame.width}x${frame.height}`;
      const tools = document.createElement('div');
      tools.className = 'tools';
      const button = (label: string, title: string, action: () => void) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = label;
        b.title = title;
        b.addEventListener('click', action);
        tools.append(b);
      };
      button('◀', 'Earlier', () => move(i, i - 1));
      button('▶', 'Later', () => move(i, i + 1));
      button('✕', 'Remove', () => {
        frames.splice(i, 1);
        render();
      });
      li.append(frame.thumb, name, tools);
      li.addEventListener('dragstart', (e) => {
        li.classList.add('dragging');
        e.dataTransfer?.setData('text/x-frame', String(i));
      });
      li.addEventListener('dragend', () => li.classList.remove('dragging'));
      li.addEventListener('dragover', (e) => {
        if (e.dataTransfer?.types.includes('text/x-frame')) e.preventDefault();
      });
      li.addEventListener('drop', (e) => {
        const from = Number(e.dataTransfer?.getData('text/x-frame'));
        if (Number.isInteger(from)) {
          e.preventDefault();
          e.stopPropagation();
          move(from, i);
        }
      });
      return li;
    }),
  );
  const problem = checkFrames();
  if (!problem && message.textContent?.startsWith('Frames')) message.hidden = true;
  update();
}

function move(from: number, to: number): void {
  if (to < 0 || to >= frames.length || from === to) return;
  const [frame] = frames.splice(from, 1);
  frames.splice(to, 0, frame);
  render();
}

function link(id: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  urls.push(url);
  const element = $<HTMLAnchorElement | HTMLImageElement>(id);
  if (element instanceof HTMLAnchorElement) element.href = url;
  else element.src = url;
}

async function run(): Promise<void> {
  const problem = checkFrames();
  if (problem) return say(problem);
  message.hidden = true;
  for (const url of urls.splice(0)) URL.revokeObjectURL(url);
  output.hidden = true;
  running = new AbortController();
  page.state = 'running';
  page.result = undefined;
  update();
  const ordered = frames.map((f) => f.file);
  const reference = Math.floor((ordered.length - 1) / 2);
  try {
    const result = await engine.stack(
      ordered,
      { method: methodSelect.value as StackMethod, align: alignBox.checked, crop: cropBox.checked },
      {
        onProgress: (p, name) => {
          progress.max = p.total + 1;
          progress.value = p.done;
          status.textContent =
            p.step === 'finish'
              ? 'Making the result…'
              : `Reading frame ${p.frame + 1} of ${p.frames} (${name})${p.passes > 1 ? `, pass ${p.pass + 1} of ${p.passes}` : ''}`;
        },
        onWarning: (text) => say(text, 'warning'),
      },
      running.signal,
    );
    progress.value = progress.max;
    link('result', result.image);
    link('depth', result.depth);
    link('before', ordered[reference]);
    link('download-image', result.image);
    link('download-depth', result.depth);
    link('download-transforms', new Blob([result.transforms], { type: 'application/json' }));
    $<HTMLAnchorElement>('download-image').download = result.image.type === 'image/jpeg' ? 'stacked.jpg' : 'stacked.png';
    const { width, height } = result.report.result;
    $<HTMLSpanElement>('timing').textContent = `${width}x${height}, ${result.report.method}, ${(result.ms / 1000).toFixed(2)} s`;
    status.textContent = `Done: ${ordered.length} frames in ${(result.ms / 1000).toFixed(2)} s.`;
    // Before / after shows the reference frame over the result: not once the result is cropped.
    const compare = $<HTMLInputElement>('compare');
    compare.disabled = result.report.crop !== undefined;
    compare.title = compare.disabled ? 'Not for a cropped result' : '';
    if (compare.disabled && compare.checked) compare.click();
    output.hidden = false;
    page.result = result;
    page.state = 'done';
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    progress.value = 0;
    status.textContent = text === 'cancelled' ? 'Cancelled.' : 'Failed.';
    if (text === 'cancelled') page.state = 'ready';
    else fail(text);
  } finally {
    running = undefined;
    update();
  }
}

filesInput.addEventListener('change', () => {
  if (filesInput.files) void addFiles(filesInput.files).then(() => (filesInput.value = ''));
});
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer?.files.length) void addFiles(e.dataTransfer.files);
});
$<HTMLFormElement>('options').addEventListener('submit', (e) => {
  e.preventDefault();
  void run();
});
cancelButton.addEventListener('click', () => running?.abort());
clearButton.addEventListener('click', () => {
  frames = [];
  message.hidden = true;
  output.hidden = true;
  render();
});
$<HTMLInputElement>('zoom').addEventListener('change', (e) => output.classList.toggle('zoomed', (e.target as HTMLInputElement).checked));
const slider = $<HTMLInputElement>('slider');
const before = $<HTMLImageElement>('before');
const clip = () => (before.style.clipPath = `inset(0 ${100 - Number(slider.value)}% 0 0)`);
slider.addEventListener('input', clip);
$<HTMLInputElement>('compare').addEventListener('change', (e) => {
  const on = (e.target as HTMLInputElement).checked;
  before.hidden = !on;
  slider.hidden = !on;
  clip();
});
update();
