// Path parameters shared by the routes, so routes need not repeat or import each other
// for them.
import { z } from "@hono/zod-openapi";

export const ModelParams = z.object({ model: z.string().min(1).openapi({ param: { name: "model", in: "path" }, example: "credit-risk" }) });
export const VersionParams = ModelParams.extend({ version: z.string().min(1).openapi({ param: { name: "version", in: "path" }, example: "v3" }) });

/** `{id}` of an alert, channel, rule or delivery: any string, so an id that is not a uuid is answered 404 like any unknown one. */
export const IdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
/** `{id}` of a key or user: a uuid (400 otherwise). */
export const UuidParams = z.object({ id: z.string().uuid().openapi({ param: { name: "id", in: "path" } }) });
