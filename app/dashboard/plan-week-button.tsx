"use client";

import Link from "next/link";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions-state";
import { planWeekAction } from "./actions";

/** Starts the "Plan my week" job; the plan itself arrives on the dashboard when the job has stored it. */
export function PlanWeekButton({ planning }: { planning: boolean }) {
  const [state, action] = useActionState(planWeekAction, initialActionState);
  return (
    <form action={action} className="space-y-2">
      {planning ? (
        <p role="status" className="text-sm text-stone-700">
          Planning your week… This updates by itself when the plan is ready.
        </p>
      ) : (
        <>
          <SubmitButton variant="secondary" pendingLabel="Starting…">
            Plan my week
          </SubmitButton>
          <FormMessage state={state} />
          {state.upgrade && (
            <Link href="/pricing" className="text-sm font-medium text-emerald-800 underline">
              See plans and upgrade to Pro
            </Link>
          )}
        </>
      )}
    </form>
  );
}
