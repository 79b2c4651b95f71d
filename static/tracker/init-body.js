// Runs at the top of <body> (as GOV.UK Frontend requires) from a file, so the
// Content-Security-Policy needs no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
