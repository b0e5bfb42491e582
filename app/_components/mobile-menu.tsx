"use client";

import { Menu } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Separator } from "@/components/ui/separator";
import { Sheet, SheetClose, SheetContent, SheetDescription, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { AccountNav } from "./account-nav";

/**
 * The header on a phone: one Menu button that opens a sheet with the site's pages and the account's links,
 * instead of a header that wraps to two lines. Closes itself when a link navigates.
 */
export function MobileMenu({ links, className }: { links: { href: string; label: string }[]; className?: string }) {
  const [open, setOpen] = useState(false);
  // Any navigation closes it, Sign out's included (links close it themselves, through SheetClose).
  const pathname = usePathname();
  const [openedAt, setOpenedAt] = useState(pathname);
  if (openedAt !== pathname) {
    setOpenedAt(pathname);
    setOpen(false);
  }
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className={className} aria-label="Menu">
          <Menu className="size-6" aria-hidden="true" />
        </Button>
      </SheetTrigger>
      <SheetContent>
        <SheetTitle>Menu</SheetTitle>
        <SheetDescription className="sr-only">The site&apos;s pages and your account.</SheetDescription>
        <nav aria-label="Pages">
          <ul className="flex flex-col gap-1">
            {links.map((link) => (
              <li key={link.href}>
                <SheetClose asChild>
                  <Button asChild variant="ghost" className="w-full justify-start">
                    <Link href={link.href}>{link.label}</Link>
                  </Button>
                </SheetClose>
              </li>
            ))}
          </ul>
        </nav>
        <Separator />
        <AccountNav stacked />
      </SheetContent>
    </Sheet>
  );
}
