/**
 * The slice of the Canvas 2D API the engine uses. `@napi-rs/canvas` in Node and
 * a browser's CanvasRenderingContext2D both satisfy it, which is what lets the
 * server, the CLI, worker threads and the editor share one engine.
 */
export interface TextMetricsLike {
  width: number;
  actualBoundingBoxLeft: number;
  actualBoundingBoxRight: number;
  actualBoundingBoxAscent: number;
  actualBoundingBoxDescent: number;
  fontBoundingBoxAscent: number;
  fontBoundingBoxDescent: number;
}

/** Anything drawImage accepts: a decoded image, a bitmap or another canvas. */
export interface DrawableImage {
  readonly width: number;
  readonly height: number;
}

export interface GradientLike {
  addColorStop(offset: number, color: string): void;
}

export interface ImageDataLike {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

export interface Context2D {
  font: string;
  letterSpacing: string;
  direction: string;
  textAlign: string;
  textBaseline: string;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  globalAlpha: number;
  imageSmoothingEnabled: boolean;
  imageSmoothingQuality: string;
  save(): void;
  restore(): void;
  /** Clears the canvas and resets every setting, keeping its size (absent from older browsers). */
  reset?(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  scale(x: number, y: number): void;
  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arcTo(x1: number, y1: number, x2: number, y2: number, r: number): void;
  ellipse(x: number, y: number, rx: number, ry: number, rotation: number, start: number, end: number): void;
  rect(x: number, y: number, w: number, h: number): void;
  clip(): void;
  fill(): void;
  stroke(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): TextMetricsLike;
  createLinearGradient(x0: number, y0: number, x1: number, y1: number): GradientLike;
  createRadialGradient(x0: number, y0: number, r0: number, x1: number, y1: number, r1: number): GradientLike;
  // The engine only passes images the host loaded; each host's own type is accepted.
  drawImage(image: never, sx: number, sy: number, sw: number, sh: number, dx: number, dy: number, dw: number, dh: number): void;
  getImageData(x: number, y: number, w: number, h: number): ImageDataLike;
}

export interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
}

/** Cast a host's context to the engine's view of it. */
export function context2d(canvas: CanvasLike): Context2D {
  return canvas.getContext('2d') as Context2D;
}

/** Draw a host image; the engine never inspects image internals. */
export function drawImage(
  ctx: Context2D,
  image: DrawableImage,
  s: { x: number; y: number; w: number; h: number },
  d: { x: number; y: number; w: number; h: number },
): void {
  ctx.drawImage(image as never, s.x, s.y, s.w, s.h, d.x, d.y, d.w, d.h);
}
