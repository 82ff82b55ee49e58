// The API reference pages. Both render the same OpenAPI document, with scripts served
// from the Worker's assets (copied from swagger-ui-dist and redoc at dashboard build
// time by web/build/api-docs-assets.ts), so they need no network beyond this origin.

export function redocPage(specUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Vigil API reference</title>
  </head>
  <body>
    <redoc spec-url="${specUrl}"></redoc>
    <script src="/vendor/redoc/redoc.standalone.js"></script>
  </body>
</html>`;
}

export function swaggerPage(specUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Vigil API · Swagger UI</title>
    <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: false });
    </script>
  </body>
</html>`;
}
