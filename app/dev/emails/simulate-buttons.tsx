"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions-state";
import { simulateResendEventAction } from "./actions";

const events = [
  { type: "email.delivered", label: "Delivered" },
  { type: "email.bounced", label: "Bounce" },
  { type: "email.complained", label: "Complaint" },
];

export function SimulateButtons({ emailId }: { emailId: string }) {
  const [state, action] = useActionState(simulateResendEventAction, initialActionState);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {events.map((event) => (
          <form key={event.type} action={action}>
            <input type="hidden" name="emailId" value={emailId} />
            <input type="hidden" name="type" value={event.type} />
            <SubmitButton variant="secondary" pendingLabel="Sending…">
              Simulate {event.label.toLowerCase()}
            </SubmitButton>
          </form>
        ))}
      </div>
      <FormMessage state={state} />
    </div>
  );
}
