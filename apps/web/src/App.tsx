import { useEffect, useState } from 'react';
import { client, data, storeKey, storedKey, type Me } from './api.js';
import { CampaignsPage } from './pages/Campaigns.js';
import { ComparePage } from './pages/Compare.js';
import { DatasetsPage } from './pages/Datasets.js';
import { DebatePage } from './pages/Debate.js';
import { DebatesPage } from './pages/Debates.js';
import { ExperimentsPage } from './pages/Experiments.js';
import { LabelsPage } from './pages/Labels.js';
import { ModelsPage } from './pages/Models.js';
import { MyDebates } from './pages/MyDebates.js';
import { MyRecord } from './pages/MyRecord.js';
import { ProtocolsPage } from './pages/Protocols.js';
import { SeatPage } from './pages/Seat.js';
import { SignIn } from './pages/SignIn.js';

function useHash(): string {
  const [hash, setHash] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const onChange = () => setHash(location.hash.slice(1) || '/');
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

const RESEARCHER_LINKS = [
  ['/datasets', 'Datasets'],
  ['/protocols', 'Protocols'],
  ['/campaigns', 'Campaigns'],
  ['/debates', 'Debates'],
  ['/compare', 'Compare'],
  ['/labels', 'Labels'],
  ['/models', 'Models'],
  ['/experiments', 'Experiments'],
] as const;

export function App() {
  const route = useHash();
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(!!storedKey());

  useEffect(() => {
    if (!storedKey()) return;
    data(client.GET('/me'))
      .then(setMe, () => storeKey(null))
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <main className="muted">Signing in…</main>;
  if (!me) return <SignIn onSignedIn={setMe} />;

  const researcher = me.role === 'researcher' || me.role === 'admin';
  const debate = /^\/debates\/([0-9a-f-]{36})$/.exec(route);
  let page;
  if (debate && me.role === 'debater') page = <SeatPage debateId={debate[1]!} />;
  else if (debate) page = <DebatePage debateId={debate[1]!} me={me} />;
  else if (me.role === 'judge') page = route === '/record' ? <MyRecord /> : <MyDebates role="judge" />;
  else if (me.role === 'debater') page = <MyDebates role="debater" />;
  else if (!researcher) page = <p>Pipelines read labels over the API: GET /labels?after=&lt;seq&gt;.</p>;
  else if (route === '/protocols') page = <ProtocolsPage />;
  else if (route === '/campaigns') page = <CampaignsPage />;
  else if (route === '/debates') page = <DebatesPage />;
  else if (route === '/compare') page = <ComparePage />;
  else if (route === '/labels') page = <LabelsPage />;
  else if (route === '/models') page = <ModelsPage />;
  else if (route === '/experiments') page = <ExperimentsPage />;
  else page = <DatasetsPage />;

  return (
    <>
      <header>
        <strong>Tribunal</strong>
        {(me.role === 'judge' || me.role === 'debater') && <a href="#/">My debates</a>}
        {me.role === 'judge' && (
          <a href="#/record" className={route === '/record' ? 'active' : ''}>
            My record
          </a>
        )}
        {researcher &&
          RESEARCHER_LINKS.map(([path, label]) => (
            <a key={path} href={`#${path}`} className={route === path ? 'active' : ''}>
              {label}
            </a>
          ))}
        <span className="who">
          {me.name} ({me.role}){' '}
          <button
            className="secondary"
            onClick={() => {
              storeKey(null);
              location.hash = '/';
              setMe(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main>{page}</main>
    </>
  );
}
