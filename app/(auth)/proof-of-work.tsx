"use client";

import type {} from "altcha/types/react";
import { useEffect, useRef } from "react";
import type { ActionState } from "@/lib/actions/state";

/**
 * The form's proof of work (ALTCHA), solved in the background as the page loads: while many requests
 * arrive at once, the server lets a request past its ceiling only with a solved, unused challenge
 * (lib/ratelimit/ceiling.ts), and this puts one in the form's `altcha` field. Invisible: nobody is
 * asked to do anything. After each answer (`state`) it solves a new one, since each is taken once.
 * The widget's script is part of our bundle (no CDN) and its worker runs from a blob: (the CSP's
 * `worker-src`).
 */
export function ProofOfWork({ state }: { state: ActionState }) {
  const widget = useRef<HTMLElement & { reset?: () => void; verify?: () => Promise<unknown> }>(null);
  const loaded = useRef(false);

  useEffect(() => {
    if (loaded.current) {
      // A new answer: the last solution was spent (or refused). Solve another.
      widget.current?.reset?.();
      void widget.current?.verify?.();
      return;
    }
    loaded.current = true;
    // Registers <altcha-widget>; the element then fetches a challenge and solves it (auto="onload").
    void import("altcha");
  }, [state]);

  return <altcha-widget ref={widget} challenge="/api/challenge" auto="onload" display="invisible" name="altcha" />;
}
