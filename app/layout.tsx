import { Analytics } from "@vercel/analytics/next";
import type { Metadata } from "next";
import { env } from "@/lib/env";
import { SiteHeader } from "./_components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Recipe Box", template: "%s · Recipe Box" },
  description:
    "A Next.js App Router backend starter: Server Components, Server Actions, Route Handlers, webhooks and jobs.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-stone-50 font-sans text-stone-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
        >
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="mx-auto max-w-4xl px-4 py-8">
          {children}
        </main>
        {/* Page views for Vercel Web Analytics; its script and beacon are same-origin (/_vercel/insights), so the CSP allows them. */}
        {env.VERCEL && <Analytics />}
      </body>
    </html>
  );
}
