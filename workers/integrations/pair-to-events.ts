// One paired inference (request and response halves) as ingest events: a row per
// instance, its prediction id the pair's id (`<id>:<row>` when the request held several),
// its timestamp the request's `ce-time` (when the model was asked), its latency the gap
// to the response's `ce-time`.
import { ApiError } from "../errors.ts";
import { requestFeatures, responsePredictions, type MappingOptions } from "./inference-payloads.ts";

export interface PairedHalves {
  pairId: string;
  request: { at: number; payload: string };
  response: { at: number; payload: string };
}

export function pairToEvents(pair: PairedHalves, options: MappingOptions): Record<string, unknown>[] {
  const features = requestFeatures(JSON.parse(pair.request.payload), options);
  const predictions = responsePredictions(JSON.parse(pair.response.payload), features.length, options);
  if (features.length !== predictions.length) {
    const error = `the request holds ${features.length} rows and the response ${predictions.length} predictions`;
    throw new ApiError(422, "unmappable_payload", error, [{ field: "data", error }]);
  }
  const latency = pair.response.at - pair.request.at;
  return features.map((f, i) => ({
    prediction_id: features.length === 1 ? pair.pairId : `${pair.pairId}:${i}`,
    timestamp: pair.request.at,
    features: f,
    ...predictions[i],
    ...(latency >= 0 && latency < 3_600_000 ? { latency_ms: latency } : {}),
  }));
}
