// The terminal a traced program's own output goes to: a vscode.Pseudoterminal showing its
// stdout and the non-trace part of its stderr, and forwarding what the user types to its stdin.
//
// The program's stdin is a pipe, not a tty, so there is no kernel line discipline: this
// terminal does what one would do in cooked mode — echo, Backspace, send the line on Enter,
// Ctrl+C interrupts the program's process group, Ctrl+D closes stdin. Text written before VS
// Code opens the terminal is kept and written on open (VS Code drops writes before that).
import * as vscode from 'vscode';

export interface ProgramTerminalHandlers {
  /** A line the user typed (with its newline). */
  input(line: string): void;
  interrupt(): void;
  endOfInput(): void;
  /** The user closed the terminal. */
  closed(): void;
}

/** Output kept while the terminal is not open yet; beyond it the oldest text goes (1 MiB). */
const MAX_BUFFERED_CHARS = 1 << 20;

export class ProgramTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly terminal: vscode.Terminal;
  private opened = false;
  private buffered: string[] = [];
  private bufferedChars = 0;
  private line = '';
  private handlers: ProgramTerminalHandlers | undefined;
  private closedByUs = false;
  private closedByUser = false;
  /** Whether the last text written ended a line: keeps our own notices on a line of their own. */
  private atLineStart = true;

  constructor(name: string) {
    this.terminal = vscode.window.createTerminal({
      name,
      pty: this,
      iconPath: new vscode.ThemeIcon('pulse'),
      isTransient: true,
    });
  }

  /** Where typed input goes now (the current run of the program); undefined: nothing is running. */
  attach(handlers: ProgramTerminalHandlers | undefined): void {
    this.handlers = handlers;
    this.line = '';
  }

  open(): void {
    this.opened = true;
    for (const t of this.buffered) this.writeEmitter.fire(t);
    this.buffered = [];
    this.bufferedChars = 0;
  }

  close(): void {
    this.closedByUser = !this.closedByUs;
    if (this.closedByUser) this.handlers?.closed();
  }

  /** The user closed the terminal: a new run needs a new one. */
  get isClosed(): boolean {
    return this.closedByUser;
  }

  /** Program output: newlines become CRLF, as a terminal needs. */
  write(text: string): void {
    if (text === '') return;
    this.atLineStart = text.endsWith('\n');
    this.emit(text.replace(/\r?\n/g, '\r\n'));
  }

  /** A line of our own (build commands, exit status), dimmed and on a line of its own. */
  notice(text: string): void {
    const lead = this.atLineStart ? '' : '\r\n';
    this.atLineStart = true;
    this.emit(`${lead}\x1b[2m${text.replace(/\r?\n/g, '\r\n')}\x1b[0m\r\n`);
  }

  private emit(text: string): void {
    if (this.opened) {
      this.writeEmitter.fire(text);
      return;
    }
    this.buffered.push(text);
    this.bufferedChars += text.length;
    while (this.bufferedChars > MAX_BUFFERED_CHARS && this.buffered.length > 1)
      this.bufferedChars -= this.buffered.shift()!.length;
  }

  handleInput(data: string): void {
    const h = this.handlers;
    if (!h) return;
    // Arrow keys, Home/End and function keys arrive as escape sequences: not editing we do.
    for (const ch of data.replace(/\x1b(?:\[[0-9;?]*[@-~]|O.|.)?/g, '')) {
      switch (ch) {
        case '\r':
        case '\n':
          this.emit('\r\n');
          this.atLineStart = true;
          h.input(this.line + '\n');
          this.line = '';
          break;
        case '\x7f':
        case '\b':
          if (this.line.length > 0) {
            this.line = [...this.line].slice(0, -1).join('');
            this.emit('\b \b');
          }
          break;
        case '\x03':
          this.emit('^C\r\n');
          this.line = '';
          h.interrupt();
          break;
        case '\x04':
          if (this.line !== '') h.input(this.line);
          this.line = '';
          h.endOfInput();
          break;
        default:
          if (ch < ' ') break;
          this.line += ch;
          this.emit(ch);
      }
    }
  }

  show(preserveFocus = true): void {
    this.terminal.show(preserveFocus);
  }

  dispose(): void {
    this.closedByUs = true;
    this.terminal.dispose();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
