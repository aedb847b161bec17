/* The Swagger UI page (templates/appbuilder/swagger/swagger.html): FAB's own set-up, as a
   file, with the online validator badge off (it would call validator.swagger.io). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    validatorUrl: null
  });
})();
