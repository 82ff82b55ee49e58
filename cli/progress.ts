// Progress lines on stderr while a large input is read. Small inputs stay silent so
// that scripts and tests see clean output; past PROGRESS_MIN_CELLS a line is written
// at most once per interval, plus a final one.

export const PROGRESS_MIN_CELLS = 1_000_000;
const INTERVAL_MS = 1_000;

export interface ProgressReporter {
  update(cells: number): void;
  /** The final line, with the last count update() saw. */
  done(): void;
}

export function formatCells(cells: number): string {
  if (cells >= 1e9) return `${(cells / 1e9).toFixed(1)}G cells`;
  if (cells >= 1e6) return `${(cells / 1e6).toFixed(1)}M cells`;
  if (cells >= 1e3) return `${(cells / 1e3).toFixed(1)}k cells`;
  return `${cells} cells`;
}

export function progressReporter(label: string, write: (line: string) => void, now: () => number = Date.now): ProgressReporter {
  const started = now();
  let lastWrite = Number.NEGATIVE_INFINITY;
  let reported = false;
  let latest = 0;
  return {
    update(cells: number): void {
      latest = cells;
      if (cells <= PROGRESS_MIN_CELLS) return;
      const time = now();
      if (time - lastWrite < INTERVAL_MS) return;
      lastWrite = time;
      reported = true;
      write(`reading ${label}: ${formatCells(cells)}\n`);
    },
    done(): void {
      if (latest <= PROGRESS_MIN_CELLS && !reported) return;
      const seconds = ((now() - started) / 1000).toFixed(1);
      write(`reading ${label}: ${formatCells(latest)}, done in ${seconds} s\n`);
    },
  };
}
