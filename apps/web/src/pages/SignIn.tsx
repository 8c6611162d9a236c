import { useState } from 'react';
import { ApiError, client, data, storeKey, type Me } from '../api.js';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <main>
      <section className="card" style={{ maxWidth: 520, margin: '4rem auto' }}>
        <h1>Tribunal</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            storeKey(key.trim());
            data(client.GET('/me')).then(
              (me: Me) => onSignedIn(me),
              (err: unknown) => {
                storeKey(null);
                setError(err instanceof ApiError ? err.message : 'cannot reach the server');
              },
            );
          }}
        >
          <label>
            API key
            <br />
            <input
              name="key"
              type="password"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              style={{ width: '100%' }}
              placeholder="trb_…"
            />
          </label>
          <p>
            <button type="submit" disabled={!key.trim()}>
              Sign in
            </button>
          </p>
          {error && <p className="problems">{error}</p>}
        </form>
      </section>
    </main>
  );
}
