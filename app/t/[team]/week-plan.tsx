import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import type { AiUsage, WeekPlanView } from "@/lib/ai";
import { WeekPlanReady } from "./live-updates";
import { PlanWeekButton } from "./plan-week-button";

/** The dashboard's "This week" panel: the latest plan (or its state) and the button that asks for a new one. */
export function WeekPlanPanel({ view, usage }: { view: WeekPlanView | null; usage: AiUsage }) {
  return (
    <Card asChild className="space-y-3">
      <section id="week-plan" aria-labelledby="week-plan-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="week-plan-heading" className="text-lg font-semibold">
            This week&apos;s menu
          </h2>
          <p className="text-xs text-muted-foreground">
            {usage.left} of {usage.quota} week {usage.quota === 1 ? "plan" : "plans"} left today
          </p>
        </div>
        <WeekPlanReady />
        {view?.status === "succeeded" && (
          <ol aria-label="Week plan" className="divide-y divide-stone-100">
            {view.plan.days.map(({ day, dinner, note }) => (
              <li key={day} className="grid grid-cols-[6rem_minmax(0,1fr)] gap-2 py-2 text-sm sm:grid-cols-[7rem_1fr]">
                <span className="font-medium text-stone-700">{day}</span>
                <span className="break-words">
                  {dinner}
                  <span className="block text-xs text-muted-foreground">{note}</span>
                </span>
              </li>
            ))}
          </ol>
        )}
        {(view?.status === "failed" || view?.status === "aborted") && (
          <Alert role="alert" variant="destructive">
            {view.timedOut
              ? "The AI model took too long to plan your week."
              : "The AI model could not plan your week this time."}{" "}
            It did not count against your quota: try again.
          </Alert>
        )}
        {!view && <p className="text-sm text-muted-foreground">Let AI plan a week of dinners from your recipes.</p>}
        <PlanWeekButton planning={view?.status === "pending"} />
      </section>
    </Card>
  );
}
