import { useEffect, useState } from 'preact/hooks';
import { token } from './session.js';
import { thumbnail, type ThumbnailKind } from './thumbnails.js';

/**
 * A template's first scene or a brand's swatch card, drawn in this browser by
 * the engine. While it draws (or when it cannot) a calm placeholder keeps the
 * card's shape.
 */
export function Thumbnail({ kind, id, brandId, alt }: { kind: ThumbnailKind; id: string; brandId: string | null; alt: string }) {
  const [state, setState] = useState<{ url: string | null; failed: string | null }>({ url: null, failed: null });
  const t = token.value;
  useEffect(() => {
    if (!t) return;
    let live = true;
    setState({ url: null, failed: null });
    thumbnail(t, kind, id, brandId).then(
      (url) => live && setState({ url, failed: null }),
      (err: unknown) => live && setState({ url: null, failed: (err as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [t, kind, id, brandId]);

  return (
    <span class={`thumb thumb--${kind}`} data-state={state.url ? 'drawn' : state.failed ? 'failed' : 'drawing'} title={state.failed ?? undefined}>
      {state.url ? <img src={state.url} alt={alt} draggable={false} /> : <span class="thumb__placeholder" aria-hidden="true" />}
    </span>
  );
}
