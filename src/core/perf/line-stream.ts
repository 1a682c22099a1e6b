// Splits streamed text into lines for the text readers (perf script, folded stacks): pieces of any
// size, UTF-8 sequences and lines cut at piece boundaries, CRLF line ends.

export class LineStream {
  private readonly decoder = new TextDecoder('utf-8');
  private carry = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Adds UTF-8 bytes. */
  push(chunk: Uint8Array): void {
    this.pushText(this.decoder.decode(chunk, { stream: true }));
  }

  /** Adds decoded text. */
  pushText(text: string): void {
    let start = 0;
    let buffered = this.carry;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line = buffered === '' ? text.slice(start, nl) : buffered + text.slice(start, nl);
      buffered = '';
      if (line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
      this.onLine(line);
      start = nl + 1;
    }
    this.carry = buffered + text.slice(start);
  }

  /** Ends the text; returns what followed the last newline ('' when the text ended with one). */
  end(): string {
    const rest = this.carry + this.decoder.decode();
    this.carry = '';
    return rest;
  }
}
