"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import { replayWebhookEventAction } from "./actions";

export function ReplayButton({ id, eventId }: { id: string; eventId: string }) {
  const [state, replay] = useActionState(replayWebhookEventAction, initialActionState);
  return (
    <form action={replay} className="flex flex-col items-end gap-2">
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="secondary" pendingLabel="Replaying…">
        Replay<span className="sr-only"> event {eventId}</span>
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
