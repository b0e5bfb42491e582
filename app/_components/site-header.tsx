import Link from "next/link";
import { AccountNav } from "./account-nav";

const nav = [
  { href: "/", label: "Recipes" },
  { href: "/pricing", label: "Pricing" },
  { href: "/contact", label: "Contact" },
];

/** The one header every page shares: the site's pages on the left, the visitor's account links on the right. */
export function SiteHeader() {
  return (
    <header className="border-b border-stone-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 font-semibold text-emerald-800">
          {/* eslint-disable-next-line @next/next/no-img-element -- a 24px SVG logo needs no image optimisation */}
          <img src="/icon.svg" alt="" width={24} height={24} />
          Recipe Box
        </Link>
        <ul className="flex gap-4 text-sm">
          {nav.map((item) => (
            <li key={item.href}>
              <Link href={item.href} className="text-stone-700 hover:text-emerald-800 hover:underline">
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
        <AccountNav />
      </nav>
    </header>
  );
}
