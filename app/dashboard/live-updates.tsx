"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Toasts, useToasts } from "@/app/_components/toasts";
import { useRealtimeEvents } from "@/app/_components/use-realtime-events";

type PlanChanged = { plan: string; planName: string };
type DraftFinished = { title?: string };

const DASHBOARD_EVENTS = ["plan.changed", "recipe.changed", "ai.draft.finished"] as const;

/**
 * The dashboard's plan badge, kept current from /api/events: it turns Pro the
 * moment the Stripe webhook is processed, with a toast, and the page's
 * server-rendered parts (limits, the recipe list) refresh without a reload.
 */
export function LivePlanBadge({ plan, planName }: PlanChanged) {
  const router = useRouter();
  const [current, setCurrent] = useState({ plan, planName });
  // A refresh that brings a different plan from the server wins over the last event.
  const [rendered, setRendered] = useState(plan);
  if (plan !== rendered) {
    setRendered(plan);
    setCurrent({ plan, planName });
  }
  const { toasts, show } = useToasts();

  useRealtimeEvents("/api/events", DASHBOARD_EVENTS, (type, data) => {
    if (type === "plan.changed") {
      const next = data as PlanChanged;
      if (next.plan !== current.plan) show(`You're on the ${next.planName} plan now.`);
      setCurrent({ plan: next.plan, planName: next.planName });
    }
    if (type === "ai.draft.finished") {
      // A job that failed announces itself without a title: the refreshed page shows what went wrong.
      const { title } = data as DraftFinished;
      if (title) show(`${title} is ready.`);
    }
    router.refresh();
  });

  return (
    <>
      <span
        data-testid="plan-badge"
        className={`rounded-full px-2 py-0.5 text-xs font-medium ${current.plan === "pro" ? "bg-emerald-100 text-emerald-800" : "bg-stone-100 text-stone-700"}`}
      >
        {current.planName}
      </span>
      <Toasts toasts={toasts} />
    </>
  );
}
