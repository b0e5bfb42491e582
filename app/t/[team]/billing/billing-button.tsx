"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import { TeamField } from "../team-context";
import { openBillingPortalAction, startCheckoutAction } from "./actions";

const actions = {
  checkout: { action: startCheckoutAction, label: "Upgrade to Pro", pending: "Opening Stripe Checkout…" },
  portal: { action: openBillingPortalAction, label: "Manage billing", pending: "Opening the billing portal…" },
};

/** One button that sends the team's owner to Stripe; if Stripe refuses, the reason appears under it. */
export function BillingButton({ kind }: { kind: keyof typeof actions }) {
  const { action, label, pending } = actions[kind];
  const [state, formAction] = useActionState(action, initialActionState);
  return (
    <form action={formAction} className="space-y-2">
      <TeamField />
      <SubmitButton variant={kind === "checkout" ? "primary" : "secondary"} pendingLabel={pending}>
        {label}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
