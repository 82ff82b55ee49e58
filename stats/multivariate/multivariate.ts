// The `multivariate` section of a drift report: the domain classifier and the data
// reconstruction error over the same columns (README.md describes both).

import { type DomainClassifierOptions, type DomainClassifierResult, domainClassifierDrift } from "./domain-classifier.ts";
import { type ReconstructionOptions, type ReconstructionResult, reconstructionDrift } from "./reconstruction.ts";
import type { MultivariateInput } from "./rows.ts";

export interface MultivariateReport {
  domain_classifier: DomainClassifierResult;
  reconstruction: ReconstructionResult;
}

export interface MultivariateOptions {
  domainClassifier?: DomainClassifierOptions;
  reconstruction?: ReconstructionOptions;
}

export function multivariateDrift(input: MultivariateInput, options: MultivariateOptions = {}): MultivariateReport {
  return {
    domain_classifier: domainClassifierDrift(input, options.domainClassifier),
    reconstruction: reconstructionDrift(input, options.reconstruction),
  };
}
