// The few host APIs the pure core may use. They exist in Node, in workers and in browsers alike;
// declaring them here (instead of pulling in the DOM or Node typings) keeps the core honest.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
