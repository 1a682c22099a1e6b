// Label maps as the runtime and runtime/pprof print them:
//   Go 1.26 header (GODEBUG=tracebacklabels=1):  labels:{"k": "v", "k2": "v2"}   (always quoted)
//   Go 1.27 header:                              {k: v, "odd key": "v"}          (quoted when needed)
//   debug=1 record:                              # labels: {"k":"v", "k2":"v2"}  (Go %q)

/**
 * Reads a Go-quoted string starting at `text[start] === '"'`. Handles the escapes of
 * strconv.Quote and of the runtime's own quoting (`\n \r \t \\ \" \xNN \uNNNN \UNNNNNNNN`,
 * plus `\a \b \f \v` and octal `\NNN`). Returns the value and the index after the closing
 * quote, or undefined when the string does not end.
 */
export function readQuoted(
  text: string,
  start: number,
  end = text.length,
): { value: string; next: number } | undefined {
  let out = '';
  let i = start + 1;
  let runStart = i;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      out += text.slice(runStart, i);
      return { value: out, next: i + 1 };
    }
    if (c !== 0x5c /* \ */) {
      i++;
      continue;
    }
    out += text.slice(runStart, i);
    const e = text[i + 1];
    let width = 2;
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case "'":
        out += "'";
        break;
      case 'x':
      case 'u':
      case 'U': {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + digits);
        if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        out += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
        width = 2 + digits;
        break;
      }
      default: {
        const oct = text.slice(i + 1, i + 4);
        if (/^[0-7]{3}$/.test(oct)) {
          out += String.fromCharCode(parseInt(oct, 8));
          width = 4;
        } else {
          return undefined;
        }
      }
    }
    i += width;
    runStart = i;
  }
  return undefined;
}

/** A bare (unquoted) key or value in a Go 1.27 header: letters, digits, `.`, `/`, `_`. */
function readBare(
  text: string,
  start: number,
  end: number,
  stops: string,
): { value: string; next: number } {
  let i = start;
  while (i < end && !stops.includes(text[i])) i++;
  return { value: text.slice(start, i), next: i };
}

/**
 * Parses a label map starting at `text[start] === '{'` up to its closing brace. Returns the
 * pairs in printed order and the index after `}`, or undefined if it is malformed.
 */
export function readLabelMap(
  text: string,
  start: number,
  end = text.length,
): { pairs: [string, string][]; next: number } | undefined {
  if (text[start] !== '{') return undefined;
  const pairs: [string, string][] = [];
  let i = start + 1;
  if (text[i] === '}') return { pairs, next: i + 1 };
  while (i < end) {
    const key = text[i] === '"' ? readQuoted(text, i, end) : readBare(text, i, end, ':,}');
    if (!key) return undefined;
    i = key.next;
    if (text[i] !== ':') return undefined;
    i++;
    while (text[i] === ' ') i++;
    const value = text[i] === '"' ? readQuoted(text, i, end) : readBare(text, i, end, ',}');
    if (!value) return undefined;
    i = value.next;
    pairs.push([key.value, value.value]);
    if (text[i] === '}') return { pairs, next: i + 1 };
    if (text[i] !== ',') return undefined;
    i++;
    while (text[i] === ' ') i++;
  }
  return undefined;
}
