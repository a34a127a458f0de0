import type { Placement } from '../engine/model/template.js';

/** A decoded picture: RGBA, 8 bits a channel, not premultiplied, rows top to bottom. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export const SMART_IMAGE_OPERATIONS = ['expand_image', 'lifestyle_shot_by_text'] as const;
export type SmartImageOperation = (typeof SMART_IMAGE_OPERATIONS)[number];

export interface SmartImageRequest {
  /** Encoded input bytes (PNG, JPEG, WebP, AVIF, GIF, TIFF). */
  image: Uint8Array;
  operation: SmartImageOperation;
  /** lifestyle_shot_by_text: a prompt or a #RGB / #RRGGBB colour. Ignored by expand_image. */
  input?: string;
  /** Seed for the deterministic parts of the offline generator (default 1). */
  seed?: number;
}

/** Placement with every default applied (see `resolvePlacement`). */
export type FramePlacement = Required<Placement>;

export interface FrameRequest {
  width: number;
  height: number;
  placement: FramePlacement;
}

/** Where the subject's bounding box lies in the decoded photo, in photo pixels. */
export interface SubjectBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /**
   * Sides where the subject runs into the photo's border (cut by the photo there). Placement keeps
   * such a side at the frame's edge, so the subject never floats with a flat cut side (absent: none).
   */
  cut?: PhotoSide[];
}

export type PhotoSide = 'left' | 'top' | 'right' | 'bottom';

/** The request decoded and cut out once; every scene's frame is rendered from it. */
export interface PreparedSmartImage {
  /** sha256 of the input bytes plus operation, input and seed. */
  key: string;
  /** sha256 of the input bytes alone (the cut-out cache key). */
  imageHash: string;
  operation: SmartImageOperation;
  input: string | undefined;
  seed: number;
  /** The decoded photo. */
  photo: RawImage;
  /** Cut-out matte, one byte a pixel (0 background … 255 subject), photo size. */
  alpha: Uint8Array;
  /** The subject alone: photo colours decontaminated at the edges, alpha = matte. */
  subject: RawImage;
  /** Bounding box of matte > 50 %; the whole photo when nothing was found. */
  box: SubjectBox;
  /** How the cut-out was made: 'isnet' or the remote provider's name. */
  cutoutBy: string;
  /** Milliseconds spent decoding and cutting out (0 on a cache hit). */
  prepareMs: number;
  /** Set when a remote provider was asked for the cut-out and failed (ISNet made it instead). */
  fallback?: ProviderFallback;
  /** Human-readable notes for the job record (fallbacks), empty when there is nothing to say. */
  warnings?: string[];
}

/** The operations a remote provider can be asked for. */
export type ProviderOperation = 'remove_background' | 'lifestyle_shot_by_text' | 'expand_image';

/** A remote provider failed (or was skipped) for one operation, so the offline generator made the result. */
export interface ProviderFallback {
  /** The provider that was asked, e.g. 'bria'. */
  from: string;
  operation: ProviderOperation;
  /** Why, in words for the job record, e.g. 'timed out after 30 s'. Never contains an API key. */
  reason: string;
}

/** A rendered smart-image frame and how it was made. */
export interface SmartImageFrame extends RawImage {
  /** Who made the picture: 'offline' or the remote provider's name. */
  provider: string;
  /** Present when the configured remote provider failed and offline was used instead. */
  fallback?: ProviderFallback;
  /** Warning strings for the job (one per fallback), empty when none. */
  warnings: string[];
}

export interface ServiceStatus {
  ok: boolean;
  detail: string;
}

export interface SmartImageService {
  /** Decode the bytes and cut the subject out, once per image content (cached by hash). */
  prepare(req: SmartImageRequest): Promise<PreparedSmartImage>;
  /** The finished smart-image picture for one frame size. */
  renderFrame(prepared: PreparedSmartImage, frame: FrameRequest): Promise<RawImage>;
  /** For /healthz: false when the cut-out model failed to load. */
  status(): ServiceStatus;
}

/** A remote generative service. Offline is the default; remote ones fall back to offline on failure. */
export interface SmartImageProvider {
  readonly name: string;
  /** Cut-out matte (photo size, one byte a pixel), or null when this provider does not do it. */
  removeBackground?(photo: RawImage, encoded: Uint8Array): Promise<Uint8Array | null>;
  /**
   * A background scene for `prompt` at the frame size with the subject in place, or null.
   * `place` is where the subject picture (photo-sized, alpha = matte) goes in the frame, in frame pixels.
   */
  lifestyleShot?(
    subject: RawImage,
    prompt: string,
    frame: { width: number; height: number },
    seed: number,
    place?: { x: number; y: number; width: number; height: number },
  ): Promise<RawImage | null>;
  /** The photo expanded to the frame (photo drawn at `rect`), or null. */
  expand?(photo: RawImage, frame: { width: number; height: number }, rect: { x: number; y: number; width: number; height: number }, seed: number): Promise<RawImage | null>;
}
