"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import { simulateStripeEventAction } from "./actions";

const scenarios = [
  { scenario: "checkout-completed", label: "Complete a checkout (→ Pro)", forPlan: "free" },
  { scenario: "payment-failed", label: "Fail a renewal payment (email, past due)", forPlan: "pro" },
  { scenario: "subscription-canceled", label: "Cancel the subscription (→ Free)", forPlan: "pro" },
] as const;

/** The steps of a team's billing life that apply to its plan now, each a button that plays it. */
export function SimulateButtons({ teamId, plan }: { teamId: string; plan: "free" | "pro" }) {
  const [state, action] = useActionState(simulateStripeEventAction, initialActionState);
  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap">
        {scenarios
          .filter((s) => s.forPlan === plan)
          .map((s) => (
            <form key={s.scenario} action={action}>
              <input type="hidden" name="scenario" value={s.scenario} />
              <input type="hidden" name="teamId" value={teamId} />
              <SubmitButton variant="secondary" pendingLabel="Sending…" className="w-full sm:w-auto">
                {s.label}
              </SubmitButton>
            </form>
          ))}
      </div>
      <FormMessage state={state} />
    </div>
  );
}
