import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { z } from "./z.ts";

describeFixtureCases(z);
