"use client";

import { LoaderCircle } from "lucide-react";
import { useRef } from "react";
import { useFormStatus } from "react-dom";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button, type ButtonProps } from "@/components/ui/button";

/**
 * A form's submit button for what cannot be undone: it asks first, in an alert dialog, and submits the form
 * it sits in only when the answer is `confirmLabel`. Disabled while the form's action runs.
 */
export function ConfirmSubmitButton({
  children,
  question,
  detail,
  confirmLabel,
  pendingLabel,
  variant = "destructive-outline",
  className,
}: {
  children: React.ReactNode;
  question: string;
  detail: string;
  confirmLabel: string;
  pendingLabel: string;
  variant?: ButtonProps["variant"];
  className?: string;
}) {
  const { pending } = useFormStatus();
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button ref={trigger} type="button" variant={variant} disabled={pending} className={className}>
          {pending && <LoaderCircle className="animate-spin" aria-hidden="true" />}
          {pending ? pendingLabel : children}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{question}</AlertDialogTitle>
        <AlertDialogDescription>{detail}</AlertDialogDescription>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          {/* The dialog sits outside the form (a portal): submit the form its button belongs to. */}
          <AlertDialogAction onClick={() => trigger.current?.form?.requestSubmit()}>{confirmLabel}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
