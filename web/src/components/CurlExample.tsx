/** The first ingest request, ready to paste: this origin, this key, one event. */
export function curlExample(origin: string, apiKey: string | null, model = "credit-risk", version = "v1"): string {
  const body = {
    model,
    version,
    batch_id: "first-batch",
    events: [
      {
        prediction_id: "p-1",
        timestamp: "NOW",
        features: { income: 52000, age: 37, region: "north" },
        prediction: 0,
        score: 0.12,
        latency_ms: 8,
      },
    ],
  };
  const json = JSON.stringify(body, null, 2).replace('"NOW"', `"'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'"`);
  return [
    `curl -X POST ${origin}/v1/ingest \\`,
    `  -H "Authorization: Bearer ${apiKey ?? "<your API key>"}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${json}'`,
  ].join("\n");
}

export function CurlExample({ origin, apiKey }: { origin: string; apiKey: string | null }) {
  const text = curlExample(origin, apiKey);
  return (
    <div class="stack" style={{ gap: "0.4rem" }}>
      <pre aria-label="curl command to send a first prediction" data-testid="curl-example">
        <code>{text}</code>
      </pre>
      <div>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(text)}>
          Copy command
        </button>
      </div>
    </div>
  );
}
