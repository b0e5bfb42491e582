import { Analytics } from "@vercel/analytics/next";
import type { Metadata, Viewport } from "next";
import { SkipLink } from "@/components/ui/skip-link";
import { Toaster } from "@/components/ui/sonner";
import { env } from "@/lib/core/env";
import { ImpersonationBanner } from "./_components/impersonation-banner";
import { SiteHeader } from "./_components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Recipe Box", template: "%s · Recipe Box" },
  description:
    "A Next.js App Router backend starter: Server Components, Server Actions, Route Handlers, webhooks and jobs.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-background font-sans text-foreground antialiased">
        <SkipLink href="#main">Skip to content</SkipLink>
        <ImpersonationBanner />
        <SiteHeader />
        <main id="main" className="mx-auto max-w-4xl px-4 py-6 sm:py-8">
          {children}
        </main>
        <Toaster />
        {/* Page views for Vercel Web Analytics: its script and beacon are same-origin (/_vercel/insights), the CSP allows them. */}
        {env.VERCEL && <Analytics />}
      </body>
    </html>
  );
}
