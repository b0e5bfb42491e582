"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

type TeamLink = { name: string; slug: string; personal: boolean };

/**
 * The team's bar: a switcher to the user's other teams (their personal one first) and to a new team,
 * then the team's sections; the current one is marked for screen readers too.
 */
export function TeamNav({
  current,
  teams,
  links,
}: {
  current: { name: string; slug: string };
  teams: TeamLink[];
  links: { href: string; label: string }[];
}) {
  const pathname = usePathname();
  return (
    <nav aria-label="Team" className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-stone-200 pb-3">
      <details className="relative">
        <summary className="inline-flex min-h-11 cursor-pointer items-center gap-1 rounded-md px-2 font-semibold text-stone-900 hover:bg-stone-100">
          {current.name}
          <span className="sr-only">: switch team</span>
        </summary>
        <ul
          aria-label="Your teams"
          className="absolute z-10 mt-1 w-64 rounded-md border border-stone-200 bg-white p-1 shadow-lg"
        >
          {teams.map((team) => (
            <li key={team.slug}>
              <Link
                href={`/t/${team.slug}`}
                aria-current={team.slug === current.slug ? "page" : undefined}
                className="flex min-h-11 items-center rounded px-3 text-sm hover:bg-stone-100 aria-[current=page]:font-medium"
              >
                {team.name}
                {team.personal && <span className="ml-2 text-xs text-stone-500">(personal)</span>}
              </Link>
            </li>
          ))}
          <li className="border-t border-stone-200">
            <Link href="/teams/new" className="flex min-h-11 items-center rounded px-3 text-sm hover:bg-stone-100">
              New team…
            </Link>
          </li>
        </ul>
      </details>
      <ul className="flex flex-wrap gap-1 text-sm">
        {links.map(({ href, label }) => {
          const isCurrent = href === pathname;
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={isCurrent ? "page" : undefined}
                className={`inline-flex min-h-11 items-center rounded-md px-3 ${isCurrent ? "bg-stone-200 font-medium" : "hover:bg-stone-100"}`}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
