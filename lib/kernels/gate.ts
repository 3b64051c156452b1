/**
 * The wide decision of the depth-map methods, on a grid of cells: a focus
 * measure averaged over square cells, then over a square of cells around
 * each, and per cell the frame whose average is largest. Where a frame has
 * nothing to measure (a wide flat area), its local measure is no guide, and
 * this coarse view, which sees the structure around, decides instead.
 *
 * Plain loops over typed arrays; the cells are few (one per `cell x cell`
 * pixels), so the state costs a 64th of a plane at the default cell of 8.
 */

/**
 * The mean of `value` over each `cell x cell` block (the last row and
 * column of blocks may be smaller): `out[cy * cellsX + cx]`. A block where
 * the frame does not cover every pixel gets -Infinity.
 *
 * @param value - One value per pixel.
 * @param width - Width in pixels.
 * @param height - Height in pixels.
 * @param cell - Block size in pixels.
 * @param out - `ceil(width / cell) * ceil(height / cell)` values.
 * @param coverage - Where the frame has data (0: none); everywhere if omitted.
 * @returns `out`.
 */
export function cellMeans(value: Float32Array, width: number, height: number, cell: number, out: Float32Array, coverage?: Uint8Array): Float32Array {
  const cellsX = Math.ceil(width / cell);
  const cellsY = Math.ceil(height / cell);
  out.fill(0, 0, cellsX * cellsY);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / cell) * cellsX;
    for (let x = 0, p = y * width; x < width; x++, p++) {
      const c = row + Math.floor(x / cell);
      out[c] = coverage && coverage[p] === 0 ? -Infinity : out[c] + value[p];
    }
  }
  for (let cy = 0; cy < cellsY; cy++) {
    const h = Math.min(cell, height - cy * cell);
    for (let cx = 0; cx < cellsX; cx++) out[cy * cellsX + cx] /= h * Math.min(cell, width - cx * cell);
  }
  return out;
}

/**
 * The mean of the cells within `radius` cells of each (clamped at the
 * grid's edges, leaving out cells of -Infinity); -Infinity where the cell
 * itself is -Infinity, so that a frame is only ever chosen for cells it
 * covers whole.
 *
 * @param cells - Cell means, `cellsX * cellsY`.
 * @param cellsX - Cells a row.
 * @param cellsY - Rows of cells.
 * @param radius - Cells each side.
 * @param out - As long as `cells` (not `cells`).
 * @returns `out`.
 */
export function wideMeans(cells: Float32Array, cellsX: number, cellsY: number, radius: number, out: Float32Array): Float32Array {
  for (let cy = 0; cy < cellsY; cy++) {
    for (let cx = 0; cx < cellsX; cx++) {
      const c = cy * cellsX + cx;
      if (cells[c] === -Infinity) {
        out[c] = -Infinity;
        continue;
      }
      let sum = 0;
      let count = 0;
      for (let j = Math.max(0, cy - radius); j <= Math.min(cellsY - 1, cy + radius); j++) {
        for (let i = Math.max(0, cx - radius); i <= Math.min(cellsX - 1, cx + radius); i++) {
          const v = cells[j * cellsX + i];
          if (v === -Infinity) continue;
          sum += v;
          count++;
        }
      }
      out[c] = sum / count;
    }
  }
  return out;
}

/**
 * Hand the pixels whose best local measure is weak to the wide decision:
 * where `best[p] < gate * wideBest[cell of p]`, `index[p] = wideIndex[cell]`
 * (when some frame covers the cell whole).
 *
 * @param best - The best local measure per pixel.
 * @param index - The frame of `best`, per pixel; changed in place.
 * @param width - Width in pixels.
 * @param height - Height in pixels.
 * @param cell - Cell size in pixels.
 * @param wideBest - The best wide mean per cell.
 * @param wideIndex - Its frame, per cell.
 * @param gate - The share of the wide mean below which the local measure is not trusted.
 * @returns How many pixels changed frame.
 */
export function gateIndex(best: Float32Array, index: Uint16Array, width: number, height: number, cell: number, wideBest: Float32Array, wideIndex: Uint16Array, gate: number): number {
  const cellsX = Math.ceil(width / cell);
  let changed = 0;
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / cell) * cellsX;
    for (let x = 0, p = y * width; x < width; x++, p++) {
      const c = row + Math.floor(x / cell);
      const wide = wideBest[c];
      if (wide > -Infinity && best[p] < gate * wide && index[p] !== wideIndex[c]) {
        index[p] = wideIndex[c];
        changed++;
      }
    }
  }
  return changed;
}
