// Maps the inference payloads that KServe and Seldon loggers carry to Vigil's rows:
// the request's features and the response's predictions, row by row.
//   V1 (KServe, TF Serving)     request {"instances": [...]}, response {"predictions": [...]}
//   Open Inference Protocol V2  request {"inputs": [tensor...]}, response {"outputs": [tensor...]},
//                               tensor = {name, shape, datatype, data} (data flat or nested)
//   Seldon (SeldonMessage)      {"data": {"names"?, "ndarray" | "tensor": {shape, values}}}
// Feature names: an instance object's keys; V2 inputs' names when each input is one
// column; otherwise the caller's `features=a,b,c` or f0, f1, ... A row's prediction is
// its value; a vector of class probabilities (all in [0, 1]) becomes the most probable
// class (its name when the payload names them, else its index) with every class's
// probability as the score. Anything else is refused naming the path and the problem.
import { ApiError } from "../errors.ts";

export type Features = Record<string, unknown>;
export interface PredictionRow {
  prediction: string | number | boolean;
  score?: number | Record<string, number>;
}

export interface MappingOptions {
  /** Names for unnamed columns, in order. */
  featureNames?: string[];
  /** The V2 output holding the predictions (default: the first). */
  output?: string;
}

function unprocessable(field: string, error: string): never {
  throw new ApiError(422, "unmappable_payload", `${field}: ${error}`, [{ field, error }]);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function flatten(data: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else out.push(data);
  return out;
}

/** A tensor's values row by row: a scalar per row, or the row's values in order. */
function tensorRows(shape: unknown, data: unknown, field: string): unknown[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) unprocessable(`${field}.shape`, "expected an array of non-negative integers");
  const flat = flatten(data);
  const dims = shape as number[];
  const rows = dims.length === 0 ? 1 : dims[0]!;
  const per = dims.slice(1).reduce((a, b) => a * b, 1);
  if (flat.length !== rows * per) unprocessable(`${field}.data`, `${flat.length} values do not fill shape [${dims.join(", ")}]`);
  return Array.from({ length: rows }, (_, r) => (dims.length <= 1 || per === 1 ? flat[r] : flat.slice(r * per, (r + 1) * per)));
}

function columns(values: unknown[], names: string[] | undefined): Features {
  return Object.fromEntries(values.map((v, j) => [names?.[j] ?? `f${j}`, v]));
}

function instanceFeatures(instance: unknown, names: string[] | undefined, field: string): Features {
  if (isObject(instance)) return instance;
  if (Array.isArray(instance)) {
    if (instance.some((v) => Array.isArray(v) || isObject(v))) unprocessable(field, "a nested instance (an image or a sequence?) has no tabular features");
    return columns(instance, names);
  }
  return columns([instance], names);
}

/** The request's rows of features. */
export function requestFeatures(data: unknown, options: MappingOptions = {}): Features[] {
  if (!isObject(data)) return unprocessable("data", "expected a JSON object (a V1, V2 or Seldon request)");
  const names = options.featureNames;
  if (Array.isArray(data.instances)) return data.instances.map((instance, i) => instanceFeatures(instance, names, `instances[${i}]`));
  if (Array.isArray(data.inputs)) {
    const inputs = data.inputs as unknown[];
    if (inputs.length === 0) unprocessable("inputs", "empty");
    const perInput = inputs.map((input, i) => {
      if (!isObject(input)) unprocessable(`inputs[${i}]`, "expected a tensor object");
      return { name: typeof input.name === "string" ? input.name : `input_${i}`, rows: tensorRows(input.shape, input.data, `inputs[${i}]`) };
    });
    const n = perInput[0]!.rows.length;
    const odd = perInput.find((t) => t.rows.length !== n);
    if (odd) unprocessable("inputs", `inputs hold different row counts (${perInput[0]!.name}: ${n}, ${odd.name}: ${odd.rows.length})`);
    if (perInput.length === 1) return perInput[0]!.rows.map((row, r) => instanceFeatures(row, names ?? (Array.isArray(row) ? undefined : [perInput[0]!.name]), `inputs[0] row ${r}`));
    return Array.from({ length: n }, (_, r) => {
      const features: Features = {};
      for (const t of perInput) {
        const v = t.rows[r];
        if (Array.isArray(v)) v.forEach((x, j) => (features[`${t.name}_${j}`] = x));
        else features[t.name] = v;
      }
      return features;
    });
  }
  if (isObject(data.data)) {
    const { rows, names: seldonNames } = seldonRows(data.data, "data");
    return rows.map((row, i) => instanceFeatures(row, names ?? seldonNames, `data row ${i}`));
  }
  return unprocessable("data", "neither `instances` (V1), `inputs` (V2) nor `data` (Seldon)");
}

/** A SeldonMessage's rows: ndarray (2-D, or 1-D for one row) or tensor {shape, values}. */
function seldonRows(d: Record<string, unknown>, field: string): { rows: unknown[]; names: string[] | undefined } {
  const names = Array.isArray(d.names) && d.names.every((n) => typeof n === "string") ? (d.names as string[]) : undefined;
  if (Array.isArray(d.ndarray)) {
    const nd = d.ndarray as unknown[];
    return { rows: nd.length > 0 && nd.every((r) => Array.isArray(r)) ? nd : [nd], names };
  }
  if (isObject(d.tensor)) return { rows: tensorRows(d.tensor.shape, d.tensor.values, `${field}.tensor`), names };
  return unprocessable(field, "expected `ndarray` or `tensor`");
}

function predictionOf(value: unknown, classNames: string[] | undefined, field: string): PredictionRow {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return { prediction: value };
  if (Array.isArray(value)) {
    if (value.length === 1) return predictionOf(value[0], undefined, field);
    if (value.length > 1 && value.every((p) => typeof p === "number" && p >= 0 && p <= 1)) {
      const probs = value as number[];
      const labels = classNames && classNames.length === probs.length ? classNames : probs.map((_, j) => String(j));
      let best = 0;
      for (let j = 1; j < probs.length; j++) if (probs[j]! > probs[best]!) best = j;
      const prediction = classNames && classNames.length === probs.length ? labels[best]! : best;
      return { prediction, score: Object.fromEntries(labels.map((l, j) => [l, probs[j]!])) };
    }
    return unprocessable(field, "a vector that is not class probabilities; name the output holding the prediction with ?output=");
  }
  if (isObject(value)) {
    const p = value.prediction ?? value.label ?? value.class;
    if (p === undefined) unprocessable(field, "an object without `prediction`, `label` or `class`");
    const row = predictionOf(p, undefined, field);
    const score = value.score ?? value.probability;
    return typeof score === "number" ? { ...row, score } : row;
  }
  return unprocessable(field, value === null || value === undefined ? "no prediction" : `unexpected ${typeof value}`);
}

/** The response's rows of predictions; `rows` (the request's) settles a 1-D Seldon array. */
export function responsePredictions(data: unknown, rows: number, options: MappingOptions = {}): PredictionRow[] {
  if (!isObject(data)) return unprocessable("data", "expected a JSON object (a V1, V2 or Seldon response)");
  if (Array.isArray(data.predictions)) return data.predictions.map((p, i) => predictionOf(p, undefined, `predictions[${i}]`));
  if (Array.isArray(data.outputs)) {
    const outputs = data.outputs as unknown[];
    const index = options.output === undefined ? 0 : outputs.findIndex((o) => isObject(o) && o.name === options.output);
    if (index < 0) unprocessable("outputs", `no output named "${options.output}" (outputs: ${outputs.map((o) => (isObject(o) ? String(o.name) : "?")).join(", ")})`);
    const output = outputs[index];
    if (!isObject(output)) return unprocessable(`outputs[${index}]`, "expected a tensor object");
    return tensorRows(output.shape, output.data, `outputs[${index}]`).map((v, r) => predictionOf(v, undefined, `outputs[${index}] row ${r}`));
  }
  if (isObject(data.data)) {
    const d = data.data;
    const names = Array.isArray(d.names) && d.names.every((n) => typeof n === "string") ? (d.names as string[]) : undefined;
    let values: unknown[];
    if (Array.isArray(d.ndarray)) {
      const nd = d.ndarray as unknown[];
      values = nd.every((r) => Array.isArray(r)) ? nd : rows === 1 ? [nd] : nd;
    } else values = seldonRows(d, "data").rows;
    return values.map((v, i) => predictionOf(v, names, `data row ${i}`));
  }
  return unprocessable("data", "neither `predictions` (V1), `outputs` (V2) nor `data` (Seldon)");
}
