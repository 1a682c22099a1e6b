// Canvas sizing for crisp drawing on high-DPI screens, in one place.

/**
 * Sizes the canvas backing store to `width × height` CSS pixels times the device pixel ratio
 * and returns a context whose units are CSS pixels.
 */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2D context unavailable');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Caches `measureText` widths per font: names repeat across frames and redraws. */
export class TextWidthCache {
  private readonly widths = new Map<string, number>();
  private font = '';

  constructor(private readonly ctx: () => CanvasRenderingContext2D) {}

  width(text: string, font: string): number {
    if (font !== this.font) {
      this.widths.clear();
      this.font = font;
    }
    let w = this.widths.get(text);
    if (w === undefined) {
      const c = this.ctx();
      c.font = font;
      w = c.measureText(text).width;
      if (this.widths.size > 50_000) this.widths.clear();
      this.widths.set(text, w);
    }
    return w;
  }
}
