import { CSRF_HEADER, PLAIN_COOKIE } from "../users/sessions.ts";

/** The ways to authenticate, as OpenAPI security schemes (referenced by each route's `security`). */
export const securitySchemes = {
  apiKey: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "vgl_<8 hex>_<secret>",
    description: "An org API key: `Authorization: Bearer vgl_…`. Scopes: ingest, read, write, admin (admin implies all; write implies read).",
  },
  session: {
    type: "apiKey",
    in: "cookie",
    name: PLAIN_COOKIE,
    description: `Dashboard session cookie from POST /v1/sessions (named __Host-vigil_session over HTTPS). Writes must also send the CSRF token in ${CSRF_HEADER}.`,
  },
  instanceAdminToken: {
    type: "http",
    scheme: "bearer",
    description: "INSTANCE_ADMIN_TOKEN (a deployment secret; printed by `npm start`). Only for POST /v1/orgs.",
  },
} as const;
