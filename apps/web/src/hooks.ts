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

/** Speech rounds numbered from 1, by their place in the protocol (a turn's `round`), as judges and debaters count them. */
export function speechRounds(turns: readonly { round: number }[]): Map<number, number> {
  return new Map([...new Set(turns.map((t) => t.round))].sort((a, b) => a - b).map((r, i) => [r, i + 1]));
}
