"use client";

import dynamic from "next/dynamic";
// The viewer's own stylesheet (bundled with this page, not fetched from elsewhere).
import "@scalar/api-reference-react/style.css";

// Scalar's viewer is a bundled Vue app (no CDN): loaded in the browser only, and only on this page.
const ApiReferenceReact = dynamic(
  () => import("@scalar/api-reference-react").then((module) => module.ApiReferenceReact),
  { ssr: false, loading: () => <p className="p-6 text-sm text-stone-600">Loading the API reference…</p> },
);

/** The OpenAPI document rendered by Scalar: nothing fetched from elsewhere (no fonts, telemetry or proxy). */
export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/v1/openapi.json",
        withDefaultFonts: false,
        telemetry: false,
        hideClientButton: true,
        hideDarkModeToggle: true,
        agent: { disabled: true },
        metaData: { title: "Recipe Box API" },
      }}
    />
  );
}
