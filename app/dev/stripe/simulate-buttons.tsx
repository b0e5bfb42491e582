"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions-state";
import { simulateStripeEventAction } from "./actions";

const scenarios = [
  { scenario: "checkout-completed", label: "Complete a checkout (→ Pro)", forPlan: "free" },
  { scenario: "payment-failed", label: "Fail a renewal payment (email, past due)", forPlan: "pro" },
  { scenario: "subscription-canceled", label: "Cancel the subscription (→ Free)", forPlan: "pro" },
] as const;

export function SimulateButtons({ plan }: { plan: "free" | "pro" }) {
  const [state, action] = useActionState(simulateStripeEventAction, initialActionState);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {scenarios
          .filter((s) => s.forPlan === plan)
          .map((s) => (
            <form key={s.scenario} action={action}>
              <input type="hidden" name="scenario" value={s.scenario} />
              <SubmitButton variant="secondary" pendingLabel="Sending…">
                {s.label}
              </SubmitButton>
            </form>
          ))}
      </div>
      <FormMessage state={state} />
    </div>
  );
}
