// The readable document Show Frame Variables opens (no vscode: unit-tested on real cores).
import type { FrameVariables } from '../worker/core-protocol';

/** The readable document of a frame's variables. */
export function frameVariablesText(v: FrameVariables, goroutine: number, core: string): string {
  const lines = [
    `// goroutine ${goroutine}, frame ${v.frame}: ${v.func}`,
    `// ${v.file}:${v.line}`,
    `// from the core ${core} (strings to 256 bytes, 32 elements, 2 levels deep)`,
    '',
  ];
  if (v.frame < 0)
    return [...lines, "// Delve did not find this frame in the goroutine's stack."].join('\n');
  const section = (title: string, list: FrameVariables['args']) => {
    lines.push(`// ${title}`);
    if (list.length === 0) lines.push('//   (none)');
    for (const x of list) lines.push(`${x.name} ${x.type} = ${x.value}`);
    lines.push('');
  };
  section('arguments', v.args);
  section('locals', v.locals);
  return lines.join('\n');
}
