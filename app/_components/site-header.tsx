import Link from "next/link";
import { Button } from "@/components/ui/button";
import { AccountNav } from "./account-nav";
import { MobileMenu } from "./mobile-menu";

const nav = [
  { href: "/", label: "Recipes" },
  { href: "/pricing", label: "Pricing" },
  { href: "/contact", label: "Contact" },
];

/**
 * The one header every page shares, on one line at any width: the site's pages and the visitor's account links
 * from 640 px up, a Menu button holding both below. Rendered on the server with the signed-out links, so a
 * visitor sees Sign in at once, before any script has run (AccountNav).
 */
export function SiteHeader() {
  return (
    <header className="border-b border-border bg-card">
      <nav aria-label="Main" className="mx-auto flex h-16 max-w-4xl items-center gap-1 px-2 sm:px-4">
        <Button asChild variant="ghost" className="gap-2 px-2 text-base font-semibold text-emerald-800">
          <Link href="/">
            {/* eslint-disable-next-line @next/next/no-img-element -- a 24px SVG logo needs no image optimisation */}
            <img src="/icon.svg" alt="" width={24} height={24} />
            Recipe Box
          </Link>
        </Button>
        <ul className="hidden items-center gap-1 sm:flex">
          {nav.map((item) => (
            <li key={item.href}>
              <Button asChild variant="ghost">
                <Link href={item.href}>{item.label}</Link>
              </Button>
            </li>
          ))}
        </ul>
        <AccountNav className="ml-auto hidden sm:flex" />
        <MobileMenu links={nav} className="ml-auto sm:hidden" />
      </nav>
    </header>
  );
}
