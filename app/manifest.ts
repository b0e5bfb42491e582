import type { MetadataRoute } from "next";

/** The web app manifest, served at /manifest.webmanifest (App Router file convention); its icons are in public/. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Recipe Box",
    short_name: "Recipes",
    description: "Keep your recipes, publish the best ones.",
    start_url: "/dashboard",
    display: "standalone",
    background_color: "#fafaf9",
    theme_color: "#065f46",
    icons: [
      { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
