import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";

interface Health {
  status: string;
  postgres: string;
  redis: string;
  kafka: string;
  version: string;
}

const health = signal<Health | undefined>(undefined);
const error = signal<string | undefined>(undefined);

async function loadHealth() {
  try {
    const res = await fetch("/v1/health");
    health.value = (await res.json()) as Health;
    error.value = undefined;
  } catch (err) {
    error.value = (err as Error).message;
  }
}

/** Placeholder dashboard: proves the assets are served and the API answers. */
export function App() {
  useEffect(() => {
    void loadHealth();
    const timer = setInterval(loadHealth, 5_000);
    return () => clearInterval(timer);
  }, []);
  const h = health.value;
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: "40rem", margin: "3rem auto" }}>
      <h1>Vigil</h1>
      <p>Edge-native ML model monitoring. The dashboard is on its way; the API is up.</p>
      {error.value && <p role="alert">Could not reach the API: {error.value}</p>}
      {h ? (
        <dl>
          <dt>Status</dt>
          <dd data-testid="status">{h.status}</dd>
          <dt>Postgres</dt>
          <dd>{h.postgres}</dd>
          <dt>Redis</dt>
          <dd>{h.redis}</dd>
          <dt>Kafka</dt>
          <dd>{h.kafka}</dd>
          <dt>Version</dt>
          <dd>{h.version}</dd>
        </dl>
      ) : (
        !error.value && <p>Checking health…</p>
      )}
      <p>
        API reference: <a href="/docs">Swagger UI</a> · <a href="/redoc">ReDoc</a>
      </p>
    </main>
  );
}
