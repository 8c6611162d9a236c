import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api.js';

/**
 * Loads with a typed call of the API client (e.g. `() => data(client.GET('/datasets'))`), again every
 * `refreshMs` if given; `reload` loads at once. `key` names what is loaded: a new key loads anew, null loads nothing.
 */
export function useApi<T>(
  key: string | null,
  load: () => Promise<T>,
  refreshMs?: number,
): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => {
    if (!key) return;
    loader.current().then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, [key]);
  useEffect(() => {
    reload();
    if (!refreshMs) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [reload, refreshMs]);
  return { data, error, reload };
}
