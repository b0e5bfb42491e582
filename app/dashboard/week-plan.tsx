import type { AiUsage } from "@/lib/ai/quota";
import type { WeekPlanView } from "@/lib/ai/week-plan";
import { PlanWeekButton } from "./plan-week-button";

/** The dashboard's "This week" panel: the latest plan (or its state) and the button that asks for a new one. */
export function WeekPlanPanel({ view, usage }: { view: WeekPlanView | null; usage: AiUsage }) {
  return (
    <section
      id="week-plan"
      aria-labelledby="week-plan-heading"
      className="space-y-3 rounded-lg border border-stone-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="week-plan-heading" className="text-lg font-semibold">
          This week&apos;s menu
        </h2>
        <p className="text-xs text-stone-500">
          {usage.left} of {usage.quota} week {usage.quota === 1 ? "plan" : "plans"} left today
        </p>
      </div>
      {view?.status === "succeeded" && (
        <ol aria-label="Week plan" className="divide-y divide-stone-100">
          {view.plan.days.map(({ day, dinner, note }) => (
            <li key={day} className="grid grid-cols-[7rem_1fr] gap-2 py-2 text-sm">
              <span className="font-medium text-stone-700">{day}</span>
              <span>
                {dinner}
                <span className="block text-xs text-stone-500">{note}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
      {(view?.status === "failed" || view?.status === "aborted") && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {view.timedOut
            ? "The AI model took too long to plan your week."
            : "The AI model could not plan your week this time."}{" "}
          It did not count against your quota: try again.
        </p>
      )}
      {!view && <p className="text-sm text-stone-600">Let AI plan a week of dinners from your recipes.</p>}
      <PlanWeekButton planning={view?.status === "pending"} />
    </section>
  );
}
