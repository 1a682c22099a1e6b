// Two stacks side by side, the way a person compares them: the frames both stacks share at
// their outer end (testing.tRunner, the same caller) folded into one line, the rest in two
// columns, innermost first.
import type { FrameView } from '../goroutines/view';

export interface SideBySideRow {
  left?: FrameView;
  right?: FrameView;
}

export interface SideBySide {
  rows: SideBySideRow[];
  /** Outermost frames both stacks end with (shown once, folded). */
  common: FrameView[];
}

const same = (a: FrameView, b: FrameView) =>
  a.func === b.func && a.file === b.file && a.line === b.line;

/** Pairs two stacks (innermost first) row by row, folding their common outer frames. */
export function sideBySide(left: readonly FrameView[], right: readonly FrameView[]): SideBySide {
  let common = 0;
  while (
    common < left.length &&
    common < right.length &&
    same(left[left.length - 1 - common], right[right.length - 1 - common])
  )
    common++;
  // Keep at least one frame of each side unfolded: two identical stacks are both shown.
  if (common >= Math.min(left.length, right.length))
    common = Math.max(0, Math.min(left.length, right.length) - 1);
  const l = left.slice(0, left.length - common);
  const r = right.slice(0, right.length - common);
  const rows: SideBySideRow[] = [];
  for (let i = 0; i < Math.max(l.length, r.length); i++) rows.push({ left: l[i], right: r[i] });
  return { rows, common: left.slice(left.length - common) };
}

function cell(f: FrameView | undefined): [string, string] {
  if (!f) return ['', ''];
  const file = f.file.replace(/\\/g, '/');
  const short = file.split('/').slice(-2).join('/');
  return [f.func, f.line > 0 ? `${short}:${f.line}` : short];
}

/** The two stacks as plain text columns with headings, for a read-only document. */
export function sideBySideText(
  leftTitle: string,
  left: readonly FrameView[],
  rightTitle: string,
  right: readonly FrameView[],
): string {
  const { rows, common } = sideBySide(left, right);
  const cells = rows.map((r) => [cell(r.left), cell(r.right)]);
  const width = Math.min(
    70,
    Math.max(
      leftTitle.length,
      ...cells.map(([[fn], [file]]) => Math.max(fn.length, file.length + 4)),
    ) + 4,
  );
  const pad = (s: string) => (s.length >= width ? s.slice(0, width - 2) + '… ' : s.padEnd(width));
  const lines = [
    pad(leftTitle) + '│ ' + rightTitle,
    '─'.repeat(width) + '┼' + '─'.repeat(Math.max(20, rightTitle.length + 2)),
  ];
  for (const [[lf, lfile], [rf, rfile]] of cells) {
    lines.push(pad(lf) + '│ ' + rf);
    lines.push(pad(lfile ? '    ' + lfile : '') + '│ ' + (rfile ? '    ' + rfile : ''));
  }
  if (common.length > 0) {
    lines.push('─'.repeat(width) + '┴' + '─'.repeat(20));
    lines.push(
      `${common.length} common frame${common.length === 1 ? '' : 's'} (both stacks end the same way):`,
    );
    for (const f of common) lines.push(`    ${f.func}  ${cell(f)[1]}`);
  }
  return lines.join('\n');
}
