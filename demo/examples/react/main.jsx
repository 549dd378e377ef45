// The React host: plain custom elements in JSX. Properties go in as props (React 19 sets a prop
// as a property when the element has one), `ck-…` events come back as `on<event-name>` callbacks.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { configure } from '/kit/customer-kit.js';
// Vite emits the page's stylesheet next to app.js (dist/examples/react/app.css, which index.html links).
import './app.css';

configure({
  // The host's own server mints the token (the demo's /demo/session plays that server).
  fetchSessionToken: async () => {
    const reply = await fetch('/demo/session', { cache: 'no-store' });
    if (!reply.ok) throw new Error(`session endpoint answered ${reply.status}`);
    return (await reply.json()).data.token;
  },
});

function App() {
  const [customerId, setCustomerId] = useState('');
  const [events, setEvents] = useState([]);
  const log = (event) => setEvents((list) => [...list, `${event.type} ${JSON.stringify(event.detail)}`].slice(-5));

  return (
    <main>
      <h1>Customers (React host)</h1>
      <p role="status" id="selection">{customerId ? `Selected customer: ${customerId}` : 'No customer selected'}</p>
      <div className="layout">
        <customer-list
          pageSize={10}
          selectedId={customerId}
          onck-customer-select={(event) => {
            setCustomerId(event.detail.customerId);
            log(event);
          }}
          onck-customer-created={log}
        />
        {customerId ? (
          <customer-detail
            customerId={customerId}
            onck-customer-updated={log}
            onck-credits-adjusted={log}
            onck-coupon-added={log}
            onck-coupon-removed={log}
            onck-waiver-accepted={log}
          />
        ) : null}
      </div>
      <h2>Events received</h2>
      <ol className="events">{events.map((line, i) => <li key={i}>{line}</li>)}</ol>
    </main>
  );
}

createRoot(document.getElementById('root')).render(<StrictMode><App /></StrictMode>);
