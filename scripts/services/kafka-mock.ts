// librdkafka's mock Kafka cluster, started through kcat (there is no broker package
// here). kcat's consumer mode keeps the process, and so the cluster, alive; the mock
// prints its bootstrap address on stderr and creates topics on first use.
import { spawnGroup, stopGroup, type Managed } from "../lib/processes.ts";

export interface MockKafka {
  brokers: string;
  stop(): Promise<void>;
}

export async function startMockKafka(timeoutMs = 15_000): Promise<MockKafka> {
  const kcat: Managed = spawnGroup("kcat mock cluster", "kcat", [
    "-b", "127.0.0.1:1", "-X", "test.mock.num.brokers=1", "-C", "-t", "vigil.keepalive", "-o", "end", "-q",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  const brokers = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`kcat mock cluster printed no bootstrap address within ${timeoutMs} ms: ${seen}`)), timeoutMs);
    kcat.child.stderr?.on("data", (data: Buffer) => {
      seen += data.toString();
      const m = /replaced with (127\.0\.0\.1:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    kcat.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kcat exited (${code}) before the mock cluster came up: ${seen}`));
    });
  });
  return { brokers, stop: () => stopGroup(kcat, 3_000) };
}
