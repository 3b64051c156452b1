/**
 * `focus-stacking evaluate RESULT --truth TRUTH [--depth D --depth-truth DT
 * --frames N] [--band R] [--border 16] [--json]`: how good a stack is, when
 * the truth is known (a rendered ground-truth stack, see bench/render.ts).
 *
 * It prints one line a figure: PSNR, SSIM and the share of samples off by
 * more than 2 levels of the result against the truth; with a depth map and
 * the true one, the share of pixels within one frame of the true depth; with
 * `--band R` and the true depth map, PSNR and share off within R pixels of
 * the depth discontinuities (where fusion leaves halos). `--json` prints one
 * object instead. Every figure leaves out a border (16 px unless told).
 *
 * The command is yargs-independent: {@link EVALUATE_COMMAND} describes its
 * flags for the parser, {@link evaluateCommand} runs it on parsed arguments.
 */
import yargs from 'yargs';
import { CodecName } from '../codecs/index.js';
import { CliError, ExitCode, PROGRAM, fileError, usageError, type Command, type CommandContext, type TextSink } from './command.js';
import { checkRepeated, checkShortOptions, errorText, parseNumber } from './flags.js';
import { EXIT_STATUS, finishParser, parseOrHelp } from './parser.js';
import { bandAroundEdges, depthIndices, depthWithin, psnr, shareOff, ssim, SSIM_CONSTANTS } from '../evaluate/index.js';
import { maxValue, type Image } from '../image.js';
import { loadImage } from '../io.js';

/** The parsed arguments of {@link evaluateCommand}. */
export interface EvaluateArgs {
  /** The image to judge (the stacked result). */
  result: string;
  /** The all-in-focus truth. */
  truth: string;
  /** The depth map to judge (needs `depthTruth` and `frames`). */
  depth?: string;
  /** The true depth map (needs `frames`). */
  depthTruth?: string;
  /** Frames in the stack, to decode depth maps: an integer from 2 to 256 (65536 for 16-bit maps). */
  frames?: number;
  /**
   * Also measure within this many pixels of the true depth map's
   * discontinuities (needs `depthTruth` and `frames`).
   */
  band?: number;
  /**
   * Pixels to leave out along each edge.
   * @default 16
   */
  border?: number;
  /**
   * Print one JSON object instead of lines.
   * @default false
   */
  json?: boolean;
  /**
   * The codec to read with.
   * @default sharp when it loads, else jimp
   */
  codec?: CodecName;
}

/** The defaults of {@link EvaluateArgs}. */
export const EVALUATE_DEFAULTS = {
  /** The figures leave out 16 px. */
  border: 16,
  /** A sample is off when it differs by more than this many levels (0..255 scale). */
  levels: 2,
  /** A depth is right when within this many frames of the truth. */
  tolerance: 1,
} as const;

/**
 * The command and its flags, described independently of any parser; the
 * fields of each flag are those of a yargs option (`type`, `describe`,
 * `default`, `choices`, `demandOption`, `requiresArg`), so that
 * `.positional('result', EVALUATE_COMMAND.positional.result)` and
 * `.options(EVALUATE_COMMAND.flags)` wire it. Flag names in kebab case map
 * to the camel-case fields of {@link EvaluateArgs}.
 */
export const EVALUATE_COMMAND = {
  command: 'evaluate <result>',
  describe: 'Measure a stacked result (and its depth map) against the truth: PSNR, SSIM, share off by more than 2 levels, depth within one frame',
  positional: {
    result: { type: 'string', describe: 'The stacked image to judge' },
  },
  flags: {
    truth: { type: 'string', demandOption: true, requiresArg: true, describe: 'The all-in-focus truth (same size, channels and bit depth)' },
    depth: { type: 'string', requiresArg: true, describe: 'The depth map to judge (needs --depth-truth and --frames)' },
    'depth-truth': { type: 'string', requiresArg: true, describe: 'The true depth map, frame i stored as round(255 i / (N - 1)) (or 65535 for 16-bit)' },
    // Numbers are read as strings, so that errors echo what was typed (`abc`, not `NaN`; `0x10` refused).
    frames: { type: 'string', requiresArg: true, describe: 'Frames in the stack, N, to decode the depth maps' },
    band: { type: 'string', requiresArg: true, describe: 'Also measure within this many pixels of the depth discontinuities of --depth-truth' },
    border: { type: 'string', requiresArg: true, default: EVALUATE_DEFAULTS.border, describe: 'Pixels to leave out along each edge' },
    json: { type: 'boolean', default: false, describe: 'Print one JSON object instead of lines' },
    codec: { requiresArg: true, choices: Object.values(CodecName), defaultDescription: 'sharp if it loads, else jimp', describe: 'Image codec, for reading' },
  },
  examples: [
    ['$0 evaluate out.png --truth truth.png', 'PSNR, SSIM and share off, 16 px border left out'],
    ['$0 evaluate out.png --truth truth.png --depth depth.png --depth-truth true-depth.png --frames 8 --band 24 --json', 'every figure, as JSON'],
  ],
} as const;

/** The figures {@link evaluateCommand} prints (its `--json` object). */
export interface EvaluateFigures {
  /** The files, as given. */
  result: string;
  /** The truth file, as given. */
  truth: string;
  /** Size of the images. */
  width: number;
  /** Size of the images. */
  height: number;
  /** Channels of the images. */
  channels: number;
  /** 8 or 16. */
  bits: number;
  /** Pixels left out along each edge. */
  border: number;
  /** PSNR in dB; `null` when the images are equal (infinite PSNR). */
  psnr: number | null;
  /** Mean SSIM (per channel, averaged). */
  ssim: number;
  /** Share of samples off by more than `levels` levels. */
  shareOff: number;
  /** The threshold of `shareOff`, in levels on the 0..255 scale. */
  levels: number;
  /** Frames in the stack, when depth maps were given. */
  frames?: number;
  /** Share of pixels whose depth is within `tolerance` frames of the truth. */
  depthWithin?: number;
  /** The tolerance of `depthWithin`, in frames. */
  tolerance?: number;
  /** The figures within `radius` pixels of the true depth discontinuities. */
  band?: {
    radius: number;
    /** Share of the measured pixels that lie in the band. */
    coverage: number;
    psnr: number | null;
    shareOff: number;
  };
}

/**
 * Run `focus-stacking evaluate` on parsed arguments.
 *
 * @param args - See {@link EvaluateArgs}.
 * @param stdout - Where the figures go.
 * @param stderr - Where an error goes, as one line `focus-stacking: ...`.
 * @returns The exit code: 0 when the figures were printed, 1 when a file
 *   cannot be read or the images do not match, 2 for a bad flag value.
 */
export async function evaluateCommand(args: EvaluateArgs, stdout: TextSink, stderr: TextSink = process.stderr): Promise<ExitCode> {
  try {
    printFigures(await evaluateFiles(args), args, stdout);
    return ExitCode.OK;
  } catch (error) {
    const { message, exitCode } = error instanceof CliError ? error : { message: errorText(error), exitCode: ExitCode.FAILURE };
    stderr.write(`${PROGRAM}: ${message}\n`);
    return exitCode;
  }
}

/** Print the figures: lines, or one JSON object with `--json`. */
function printFigures(figures: EvaluateFigures, args: EvaluateArgs, stdout: TextSink): void {
  stdout.write(args.json ? `${JSON.stringify(figures, null, 2)}\n` : formatFigures(figures));
}

/** Check the flags, read the files, compute the figures. */
async function evaluateFiles(args: EvaluateArgs): Promise<EvaluateFigures> {
  const { result, truth, depth, depthTruth, frames, band, border = EVALUATE_DEFAULTS.border, codec } = args;
  checkPath('RESULT', result);
  checkPath('--truth', truth);
  if (depth !== undefined) checkPath('--depth', depth);
  if (depthTruth !== undefined) checkPath('--depth-truth', depthTruth);
  checkInteger('border', border, 0);
  if (depth !== undefined && depthTruth === undefined) throw usageError('--depth: needs --depth-truth, the true depth map to compare with');
  if (band !== undefined) {
    if (typeof band !== 'number' || !(band >= 0) || band === Infinity) throw usageError(`--band: expected a number of at least 0 but received ${JSON.stringify(String(band))}`);
    if (depthTruth === undefined) throw usageError('--band: needs --depth-truth, whose discontinuities it measures around');
  }
  if (depthTruth !== undefined) {
    if (frames === undefined) throw usageError('--depth-truth: needs --frames, the number of frames in the stack');
    checkInteger('frames', frames, 2);
  }
  if (codec !== undefined && !(Object.values(CodecName) as string[]).includes(codec)) {
    throw usageError(`--codec: expected one of ${Object.values(CodecName).join(', ')} but received ${JSON.stringify(String(codec))}`);
  }

  const read = (path: string) => loadImage(path, { codec });
  const [a, b, d, dt] = await Promise.all([read(result), read(truth), depth === undefined ? undefined : read(depth), depthTruth === undefined ? undefined : read(depthTruth)]);
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels || maxValue(a) !== maxValue(b)) {
    throw fileError(`--truth ${JSON.stringify(truth)}: expected ${shape(a)} like ${JSON.stringify(result)} but received ${shape(b)}`);
  }
  const { width, height } = a;
  const { window } = SSIM_CONSTANTS;
  if (width - 2 * border < window || height - 2 * border < window) {
    throw usageError(`--border: ${border} leaves less than ${window}x${window} of the ${width}x${height} images`);
  }
  for (const [flag, path, map] of [['depth', depth, d], ['depth-truth', depthTruth, dt]] as const) {
    if (map === undefined) continue;
    if (map.width !== width || map.height !== height) throw fileError(`--${flag} ${JSON.stringify(path)}: expected ${width}x${height} like ${JSON.stringify(result)} but received ${map.width}x${map.height}`);
    if (frames !== undefined && frames > maxValue(map) + 1) throw usageError(`--frames: expected at most ${maxValue(map) + 1} for the ${maxValue(map) === 255 ? 8 : 16}-bit --${flag} but received ${frames}`);
  }

  const region = { border };
  const value = psnr(a, b, region);
  const figures: EvaluateFigures = {
    result,
    truth,
    width,
    height,
    channels: a.channels,
    bits: maxValue(a) === 255 ? 8 : 16,
    border,
    psnr: finite(value),
    ssim: ssim(a, b, region),
    shareOff: shareOff(a, b, { ...region, levels: EVALUATE_DEFAULTS.levels }),
    levels: EVALUATE_DEFAULTS.levels,
  };
  if (dt !== undefined && frames !== undefined) {
    const trueIndices = checkedDepth(dt, frames, 'depth-truth', depthTruth);
    figures.frames = frames;
    if (d !== undefined) {
      checkedDepth(d, frames, 'depth', depth);
      figures.depthWithin = depthWithin(d, dt, frames, { ...region, tolerance: EVALUATE_DEFAULTS.tolerance });
      figures.tolerance = EVALUATE_DEFAULTS.tolerance;
    }
    if (band !== undefined) {
      const mask = bandAroundEdges(trueIndices, width, height, band);
      let inside = 0;
      for (let y = border; y < height - border; y++) for (let x = border; x < width - border; x++) inside += mask[y * width + x];
      if (inside === 0) throw fileError(`--band: --depth-truth ${JSON.stringify(depthTruth)} has no depth discontinuity (a jump of more than one frame) inside the border`);
      figures.band = {
        radius: band,
        coverage: inside / ((width - 2 * border) * (height - 2 * border)),
        psnr: finite(psnr(a, b, { ...region, mask })),
        shareOff: shareOff(a, b, { ...region, mask, levels: EVALUATE_DEFAULTS.levels }),
      };
    }
  }
  return figures;
}

/** The lines of the figures, one a figure. */
function formatFigures(f: EvaluateFigures): string {
  const percent = (share: number) => `${(share * 100).toFixed(2)} %`;
  const db = (value: number | null) => (value === null ? 'infinite (identical)' : `${value.toFixed(2)} dB`);
  const lines = [
    `${f.result} against ${f.truth}: ${f.width}x${f.height}, ${f.channels} channel${f.channels === 1 ? '' : 's'}, ${f.bits}-bit, border ${f.border} px left out`,
    `PSNR: ${db(f.psnr)}`,
    `SSIM: ${f.ssim.toFixed(4)}`,
    `off by more than ${f.levels} levels: ${percent(f.shareOff)}`,
  ];
  if (f.depthWithin !== undefined) lines.push(`depth within ${f.tolerance} frame${f.tolerance === 1 ? '' : 's'} (of ${f.frames}): ${percent(f.depthWithin)}`);
  if (f.band !== undefined) {
    const at = `within ${f.band.radius} px of depth edges (${percent(f.band.coverage)} of pixels)`;
    lines.push(`PSNR ${at}: ${db(f.band.psnr)}`, `off by more than ${f.levels} levels ${at}: ${percent(f.band.shareOff)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Decode a depth map, its errors worded for the command line. */
function checkedDepth(map: Image, frames: number, flag: string, path: string | undefined): Uint16Array {
  const { width, height, channels, data } = map;
  if (channels === 3) {
    for (let p = 0, i = 0; p < width * height; p++, i += 3) {
      if (data[i + 1] !== data[i] || data[i + 2] !== data[i]) {
        throw fileError(`--${flag} ${JSON.stringify(path)}: expected a gray depth map but pixel (${p % width}, ${Math.floor(p / width)}) is ${data[i]},${data[i + 1]},${data[i + 2]}`);
      }
    }
  }
  return depthIndices(map, frames, flag);
}

function shape(image: Image): string {
  return `${image.width}x${image.height}, ${image.channels} channel${image.channels === 1 ? '' : 's'}, ${maxValue(image) === 255 ? 8 : 16}-bit`;
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

function checkPath(label: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw usageError(`${label}: expected a path but received ${value === undefined ? 'nothing' : JSON.stringify(String(value))}`);
}

function checkInteger(flag: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw usageError(`--${flag}: expected an integer of at least ${min} but received ${JSON.stringify(String(value))}`);
  }
}

/**
 * `focus-stacking evaluate RESULT --truth TRUTH [options]` as a command of
 * the command line: {@link EVALUATE_COMMAND}'s flags in a strict yargs
 * parser (help with examples), then {@link evaluateCommand}.
 */
export const evaluateCliCommand: Command = {
  name: 'evaluate',
  summary: 'Measure a stacked result (and its depth map) against the truth',
  async run(argv: string[], { stdout }: CommandContext): Promise<ExitCode> {
    checkShortOptions(argv, ['h']);
    const args = parseOrHelp(
      finishParser(
        yargs()
          .scriptName(PROGRAM)
          .locale('en')
          .usage(`Usage: ${PROGRAM} evaluate RESULT --truth TRUTH [options]\n\n${EVALUATE_COMMAND.describe}.`)
          .command('$0 <result>', false)
          .positional('result', EVALUATE_COMMAND.positional.result)
          .options(EVALUATE_COMMAND.flags)
          .example(EVALUATE_COMMAND.examples.map(([command, what]) => [`# ${what}\n${command.replace('$0', PROGRAM)}`, '']))
          .epilogue(EXIT_STATUS),
        false,
      ),
      argv,
      stdout,
    );
    if (args === undefined) return ExitCode.OK;
    const file = { takes: 'one file' };
    const value = { takes: 'one value' };
    checkRepeated(args, { truth: file, depth: file, 'depth-truth': file, frames: value, band: value, border: value, codec: value });
    const parsed: EvaluateArgs = {
      result: String(args.result),
      truth: args.truth,
      ...(args.depth === undefined ? {} : { depth: args.depth }),
      ...(args['depth-truth'] === undefined ? {} : { depthTruth: args['depth-truth'] }),
      ...(args.frames === undefined ? {} : { frames: parseNumber('frames', args.frames) }),
      ...(args.band === undefined ? {} : { band: parseNumber('band', args.band) }),
      border: parseNumber('border', args.border),
      json: args.json,
      ...(args.codec === undefined ? {} : { codec: args.codec as CodecName }),
    };
    // Its errors are CliErrors: main reports them like any other command's.
    printFigures(await evaluateFiles(parsed), parsed, stdout);
    return ExitCode.OK;
  },
};
