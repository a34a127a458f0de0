/** What names a scene's file: position, name, pixel size and format. */
export interface SceneFileInfo {
  index: number;
  name: string;
  width: number;
  height: number;
  /** png, jpeg, jpg or webp. */
  format: string;
}

/** `01-instagram-post-1080x1080.png`: sorted like the template, readable, the size in the name (the scene name's own "1080×1080" is dropped). */
export function sceneFileName(scene: SceneFileInfo): string {
  const slug = scene.name
    .toLowerCase()
    .replace(/\d+\s*[×x]\s*\d+/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const ext = scene.format === 'jpeg' ? 'jpg' : scene.format;
  return `${String(scene.index + 1).padStart(2, '0')}-${slug || 'scene'}-${scene.width}x${scene.height}.${ext}`;
}

/** The format of a result URL (`…/v1/results/<token>.jpg`). */
export function formatOfUrl(url: string): string {
  return /\.(png|jpe?g|webp)(?:$|\?)/i.exec(url)?.[1]?.toLowerCase() ?? 'png';
}
