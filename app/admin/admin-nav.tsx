import Link from "next/link";

/** The admin area's bar. Each page checks the operator itself (lib/admin/guard.ts); this is only links. */
export function AdminNav({ current }: { current: "search" | "health" }) {
  const links = [
    { href: "/admin", label: "Users and teams", id: "search" },
    { href: "/admin/health", label: "Health", id: "health" },
  ] as const;
  return (
    <nav aria-label="Admin" className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-stone-200 pb-3">
      <span className="font-semibold text-stone-900">Admin</span>
      {links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={link.id === current ? "page" : undefined}
          className="inline-flex min-h-11 items-center text-sm text-stone-700 underline-offset-4 hover:underline aria-[current=page]:font-medium aria-[current=page]:text-emerald-800"
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
