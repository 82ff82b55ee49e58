import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { es } from "./es.ts";

describeFixtureCases(es);
