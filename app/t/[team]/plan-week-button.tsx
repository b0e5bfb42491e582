"use client";

import { Sparkles } from "lucide-react";
import Link from "next/link";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { Button } from "@/components/ui/button";
import { initialActionState } from "@/lib/actions/state";
import { planWeekAction } from "./actions";
import { TeamField, useTeam } from "./team-context";

/** Starts the "Plan my week" job; the plan itself arrives on the dashboard when the job has stored it. */
export function PlanWeekButton({ planning }: { planning: boolean }) {
  const [state, action] = useActionState(planWeekAction, initialActionState);
  const team = useTeam();
  return (
    <form action={action} className="space-y-2">
      <TeamField />
      {planning ? (
        <p role="status" className="text-sm text-stone-700">
          Planning your week… This updates by itself when the plan is ready.
        </p>
      ) : (
        <>
          <SubmitButton variant="secondary" pendingLabel="Starting…">
            <Sparkles aria-hidden="true" />
            Plan my week
          </SubmitButton>
          <FormMessage state={state} />
          {state.upgrade && (
            <Button asChild variant="link" className="px-0">
              <Link href={team.role === "owner" ? `/t/${team.slug}/billing` : "/pricing"}>
                See plans and upgrade to Pro
              </Link>
            </Button>
          )}
        </>
      )}
    </form>
  );
}
