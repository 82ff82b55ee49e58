// Path parameters shared by the registry and monitoring routes, so routes need not
// import each other for them.
import { z } from "@hono/zod-openapi";

export const ModelParams = z.object({ model: z.string().min(1).openapi({ param: { name: "model", in: "path" }, example: "credit-risk" }) });
export const VersionParams = ModelParams.extend({ version: z.string().min(1).openapi({ param: { name: "version", in: "path" }, example: "v3" }) });
