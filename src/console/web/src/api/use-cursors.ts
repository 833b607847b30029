import { useCallback, useEffect, useState } from 'react';

/**
 * Cursor paging as the service offers it: `nextCursor` leads forward, and the cursors already used
 * are kept so "previous" can step back; only one page is ever loaded. A change of `resetKey` (the
 * list's filters, or the position of the last command) goes back to the first page.
 */
export function useCursors(resetKey = '') {
  const [paging, setPaging] = useState<{ key: string; cursors: readonly string[] }>({
    key: resetKey,
    cursors: [],
  });
  const cursors = paging.key === resetKey ? paging.cursors : [];
  useEffect(() => {
    if (paging.key !== resetKey) setPaging({ key: resetKey, cursors: [] });
  }, [resetKey, paging.key]);
  const next = useCallback(
    (nextCursor: string) =>
      setPaging((p) => ({ key: resetKey, cursors: [...(p.key === resetKey ? p.cursors : []), nextCursor] })),
    [resetKey],
  );
  const previous = useCallback(
    () => setPaging((p) => ({ key: resetKey, cursors: (p.key === resetKey ? p.cursors : []).slice(0, -1) })),
    [resetKey],
  );
  const reset = useCallback(() => setPaging({ key: resetKey, cursors: [] }), [resetKey]);
  return {
    cursor: cursors.length > 0 ? cursors[cursors.length - 1] : undefined,
    pageNumber: cursors.length + 1,
    next,
    previous,
    reset,
  };
}

export type Cursors = ReturnType<typeof useCursors>;
