// Command-line options of `npm run demo`. The key comes from --key, else VIGIL_API_KEY,
// else the file `npm start` keeps the current admin key in (.data/admin-key), so the
// demo runs with no options against a local stack.
export interface DemoOptions {
  url: string;
  key: string;
  model: string;
  version: string;
  /** Events per second. */
  rate: number;
  /** Seconds from the start until two features drift. */
  onset: number;
  /** Seconds to stream; 0 = until interrupted. */
  duration: number;
  /** Seconds between a prediction and its label. */
  labelDelay: number;
  seed: number;
  /** Print the final summary as one JSON line (for tests). */
  json: boolean;
}

const USAGE = `usage: npm run demo -- [--url http://127.0.0.1:8787] [--key vgl_…] [--model credit-risk-demo] [--version v1]
                      [--rate 200] [--onset 60] [--duration 0] [--label-delay 5] [--seed 42] [--json]
The key defaults to $VIGIL_API_KEY, else to the admin key the last \`npm start\` wrote to
.data/admin-key (or $VIGIL_DATA_DIR/admin-key).`;

function positive(name: string, raw: string, allowZero = false): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name} must be a ${allowZero ? "non-negative" : "positive"} number: ${raw}\n${USAGE}`);
  return n;
}

/** `savedKey` reads the key `npm start` saved; it is asked only when no other key is given. */
export function parseDemoArgs(argv: string[], env: Record<string, string | undefined>, savedKey: () => string | undefined = () => undefined): DemoOptions {
  const o: DemoOptions = {
    url: env.VIGIL_URL ?? "http://127.0.0.1:8787", key: env.VIGIL_API_KEY ?? "", model: "credit-risk-demo", version: "v1",
    rate: 200, onset: 60, duration: 0, labelDelay: 5, seed: 42, json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--json") {
      o.json = true;
      continue;
    }
    if (flag === "--help" || flag === "-h") throw new Error(USAGE);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    switch (flag) {
      case "--url": o.url = value.replace(/\/+$/, ""); break;
      case "--key": o.key = value; break;
      case "--model": o.model = value; break;
      case "--version": o.version = value; break;
      case "--rate": o.rate = positive("rate", value); break;
      case "--onset": o.onset = positive("onset", value, true); break;
      case "--duration": o.duration = positive("duration", value, true); break;
      case "--label-delay": o.labelDelay = positive("label-delay", value, true); break;
      case "--seed": o.seed = Math.trunc(positive("seed", value, true)); break;
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!o.key) o.key = savedKey() ?? "";
  if (!o.key) throw new Error(`no API key: pass --key, set VIGIL_API_KEY, or run \`npm start\` (it saves its admin key for the demo)\n${USAGE}`);
  return o;
}
