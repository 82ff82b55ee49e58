// The demo's business side: what a loan decision is worth, so the Analytics page has a
// KPI that answers to the model's errors and a value matrix to price them.
//
// The model predicts default (1) or not (0); a predicted non-default is an approved loan.
// An approved loan that is repaid earns its interest, one that defaults loses the
// principal's unrecovered part; a declined application earns nothing either way. When a
// label arrives the demo reports the approved loan's revenue as the KPI `loan_revenue`
// (joined to the prediction by its id), so revenue per minute falls as drift makes the
// model approve more future defaulters.

export const KPI = "loan_revenue";
export const INTEREST = 120;
export const LOSS = -300;

/** The same economics as a value matrix (positive class: default). */
export const VALUE_MATRIX = { currency: "USD", tp: 0, fp: -INTEREST, fn: LOSS, tn: INTEREST, positive_label: "1" } as const;

/** The KPI outcome of a labelled decision: an approved loan's revenue, none for a declined one. */
export function revenueOf(prediction: 0 | 1, actual: 0 | 1): number | null {
  if (prediction === 1) return null;
  return actual === 1 ? LOSS : INTEREST;
}

/** PUTs the value matrix; returns a line for the log. */
export async function setValueMatrix(url: string, key: string, model: string, version: string): Promise<string> {
  try {
    const res = await fetch(`${url}/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/value-matrix`, {
      method: "PUT",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(VALUE_MATRIX),
      signal: AbortSignal.timeout(10_000),
    });
    return res.ok ? `  value matrix set: approved and repaid +${INTEREST}, approved and defaulted ${LOSS}, declined a good customer −${INTEREST} USD` : `  value matrix not set: ${res.status} ${(await res.text()).slice(0, 200)}`;
  } catch (error) {
    return `  value matrix not set: ${(error as Error).message}`;
  }
}
