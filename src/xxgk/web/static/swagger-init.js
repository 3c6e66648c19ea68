// Swagger UI on the application's own OpenAPI description (in version 3.0, which the bundled Swagger UI 4 reads),
// with local files only.
window.addEventListener("load", function () {
  window.ui = window.SwaggerUIBundle({
    url: "/openapi-3.0.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
