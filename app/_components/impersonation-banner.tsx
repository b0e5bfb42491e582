"use client";

import { LoaderCircle, UserRoundCheck } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useViewer } from "./use-viewer";

/** "14:05" in the browser's time zone. */
function clock(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? "" : at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/**
 * Above the header of every page while an operator impersonates someone (lib/admin/impersonation.ts): whose account
 * this is, when it ends by itself, and "Stop impersonating", which gives the operator their own session back and
 * returns to /admin. Asked in the browser like the account links (useViewer), so pages stay static.
 */
export function ImpersonationBanner() {
  const viewer = useViewer();
  const [stopping, setStopping] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!viewer.signedIn || !viewer.impersonation) return null;
  const { email, endsAt } = viewer.impersonation;

  async function stop() {
    setStopping(true);
    setFailed(false);
    // Better Auth's endpoint, like signing out: the plugin ends this session and puts the operator's back.
    const response = await fetch("/api/auth/admin/stop-impersonating", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).catch(() => null);
    if (response?.ok) {
      // A full load, not router.push: the whole page (header, banner, server components' cached renders) was the
      // user's, and every part of it must ask again who is looking now.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- see above
      window.location.assign("/admin");
      return;
    }
    setStopping(false);
    setFailed(true);
  }

  const until = clock(endsAt);
  return (
    <section
      aria-label="Impersonation"
      data-testid="impersonation-banner"
      className="border-b border-amber-300 bg-amber-100 text-amber-950"
    >
      <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-3 px-4 py-2 text-sm">
        <UserRoundCheck aria-hidden="true" className="size-5 shrink-0" />
        <p className="min-w-0 flex-1">
          You are impersonating <strong className="break-all">{email || viewer.name}</strong>
          {until && <> until {until}</>}. What you do here is recorded with you as the actor.
          {failed && <span className="block text-red-800">Stopping did not work: try again, or sign out.</span>}
        </p>
        <Button type="button" variant="secondary" onClick={stop} disabled={stopping}>
          {stopping && <LoaderCircle className="animate-spin" aria-hidden="true" />}
          Stop impersonating
        </Button>
      </div>
    </section>
  );
}
