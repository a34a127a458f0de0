/** The sizes a template starts from or is resized to: the IAB display units and the common social formats. */
export interface SizePreset {
  name: string;
  width: number;
  height: number;
  group: 'IAB' | 'Social';
}

export const PRESETS: readonly SizePreset[] = [
  { group: 'IAB', name: 'Medium rectangle', width: 300, height: 250 },
  { group: 'IAB', name: 'Leaderboard', width: 728, height: 90 },
  { group: 'IAB', name: 'Wide skyscraper', width: 160, height: 600 },
  { group: 'IAB', name: 'Half page', width: 300, height: 600 },
  { group: 'IAB', name: 'Mobile banner', width: 320, height: 50 },
  { group: 'IAB', name: 'Billboard', width: 970, height: 250 },
  { group: 'Social', name: 'Square post', width: 1080, height: 1080 },
  { group: 'Social', name: 'Portrait post', width: 1080, height: 1350 },
  { group: 'Social', name: 'Story', width: 1080, height: 1920 },
  { group: 'Social', name: 'Link ad', width: 1200, height: 628 },
  { group: 'Social', name: 'Landscape video', width: 1920, height: 1080 },
];

/** A scene name that says its size, as the public templates name theirs ("Leaderboard 728×90"). */
export function sceneName(width: number, height: number): string {
  const preset = PRESETS.find((p) => p.width === width && p.height === height);
  return `${preset ? preset.name : 'Custom'} ${width}×${height}`;
}

/** Scene sizes the schema accepts (16 to 8192 px, whole pixels); a message naming the field otherwise. */
export function checkCustomSize(width: number, height: number): string | null {
  for (const [name, v] of [['Width', width], ['Height', height]] as const) {
    if (!Number.isInteger(v)) return `${name} must be a whole number of pixels.`;
    if (v < 16 || v > 8192) return `${name} must be between 16 and 8192 pixels (it is ${v}).`;
  }
  return null;
}
