"use client";

import { ChevronDown, LoaderCircle } from "lucide-react";
import { useActionState, useTransition } from "react";
import { FormMessage } from "@/app/_components/form";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { initialActionState } from "@/lib/actions/state";
import { simulateResendEventAction } from "./actions";

const events = [
  { type: "email.delivered", label: "Delivered" },
  { type: "email.bounced", label: "Bounce" },
  { type: "email.complained", label: "Complaint" },
];

/** A menu of the Resend events to simulate for one sent email: one button per card instead of three. */
export function SimulateButtons({ emailId }: { emailId: string }) {
  const [state, action] = useActionState(simulateResendEventAction, initialActionState);
  const [pending, startTransition] = useTransition();
  const send = (type: string) => {
    const data = new FormData();
    data.set("emailId", emailId);
    data.set("type", type);
    startTransition(() => action(data));
  };
  return (
    <div className="space-y-2">
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="secondary" disabled={pending}>
            {pending && <LoaderCircle className="animate-spin" aria-hidden="true" />}
            {pending ? "Sending…" : "Simulate a Resend event"}
            <ChevronDown aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          {events.map((event) => (
            <DropdownMenuItem key={event.type} onSelect={() => send(event.type)}>
              Simulate {event.label.toLowerCase()}
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
      <FormMessage state={state} />
    </div>
  );
}
