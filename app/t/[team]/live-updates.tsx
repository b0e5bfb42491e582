"use client";

import { useRouter } from "next/navigation";
import { createContext, use, useState } from "react";
import { useRealtimeEvents } from "@/app/_components/use-realtime-events";
import { Badge } from "@/components/ui/badge";
import { toast } from "@/components/ui/sonner";

type Plan = { plan: string; planName: string };
type DraftFinished = { title?: string };
/** Events sent to a team carry its id: the viewer hears all their teams' on one stream. */
type TeamEvent = { teamId?: string };

const DASHBOARD_EVENTS = ["plan.changed", "recipe.changed", "member.changed", "ai.draft.finished"] as const;

const Live = createContext<{ current: Plan; finished: string | null }>({
  current: { plan: "free", planName: "Free" },
  finished: null,
});

/**
 * A team's page, kept current from /api/events with one stream: the plan turns Pro the moment the Stripe
 * webhook is processed (with a toast), a finished week plan says so in its panel, and the page's
 * server-rendered parts (limits, the recipe list) refresh without a reload.
 */
export function LiveDashboard({
  teamId,
  plan,
  planName,
  children,
}: Plan & { teamId: string; children: React.ReactNode }) {
  const router = useRouter();
  const [current, setCurrent] = useState({ plan, planName });
  const [finished, setFinished] = useState<string | null>(null);
  // A refresh that brings a different plan from the server wins over the last event.
  const [rendered, setRendered] = useState(plan);
  if (plan !== rendered) {
    setRendered(plan);
    setCurrent({ plan, planName });
  }

  useRealtimeEvents("/api/events", DASHBOARD_EVENTS, (type, data) => {
    if ((data as TeamEvent).teamId !== teamId) return;
    if (type === "plan.changed") {
      const next = data as Plan;
      if (next.plan !== current.plan) toast(`You're on the ${next.planName} plan now.`);
      setCurrent({ plan: next.plan, planName: next.planName });
    }
    if (type === "ai.draft.finished") {
      // A job that failed announces itself without a title: the refreshed page shows what went wrong.
      const { title } = data as DraftFinished;
      setFinished(title ? `${title} is ready.` : null);
    }
    router.refresh();
  });

  return <Live value={{ current, finished }}>{children}</Live>;
}

/** The team's plan's name, as the live page knows it. */
export function LivePlanBadge() {
  const { current } = use(Live);
  return (
    <Badge data-testid="plan-badge" variant={current.plan === "pro" ? "success" : "neutral"}>
      {current.planName}
    </Badge>
  );
}

/**
 * "Your week's menu is ready." in the week plan's own panel, where the plan appears, rather than in a toast
 * over the page (one covered the first recipe's Delete button). Always rendered, so screen readers hear it.
 */
export function WeekPlanReady() {
  const { finished } = use(Live);
  return (
    <p role="status" className="text-sm font-medium text-emerald-800 empty:hidden">
      {finished}
    </p>
  );
}
