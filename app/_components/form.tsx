"use client";

import { LoaderCircle } from "lucide-react";
import Link from "next/link";
import { useFormStatus } from "react-dom";
import { Alert } from "@/components/ui/alert";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionState } from "@/lib/actions/state";

type FieldProps = {
  label: string;
  name: string;
  /** Defaults to `name`; set it when two forms on one page share a field name. */
  id?: string;
  state: ActionState;
  type?: string;
  defaultValue?: string;
  /** Controlled: the form's own state holds the value (e.g. a draft filling it in); typing calls onValueChange. */
  value?: string;
  onValueChange?: (value: string) => void;
  hint?: string;
  multiline?: boolean;
  rows?: number;
  autoComplete?: string;
  required?: boolean;
  /** Errors to show instead of the server's (a form that checks in the browser first, or forgets stale ones). */
  errors?: string[];
};

/** A labelled input whose server-side errors sit right under it and are announced to screen readers. */
export function Field({
  label,
  name,
  id = name,
  state,
  type = "text",
  defaultValue,
  value: controlledValue,
  onValueChange,
  hint,
  multiline,
  rows = 4,
  autoComplete,
  required,
  errors = state.fieldErrors?.[name],
}: FieldProps) {
  const describedBy = [hint && `${id}-hint`, errors?.length && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const value =
    controlledValue !== undefined
      ? { value: controlledValue, onChange: (e: { target: { value: string } }) => onValueChange?.(e.target.value) }
      : { defaultValue: state.values?.[name] ?? defaultValue };
  const common = {
    id,
    name,
    ...value,
    required,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": describedBy,
    className: "mt-1",
  };
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      {multiline ? <Textarea rows={rows} {...common} /> : <Input type={type} autoComplete={autoComplete} {...common} />}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-destructive">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

const submitVariants = {
  primary: "default",
  secondary: "secondary",
  danger: "destructive-outline",
} as const satisfies Record<string, ButtonProps["variant"]>;

/** Disabled while its form's action runs, so a double click never submits twice. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  className,
}: {
  children: React.ReactNode;
  pendingLabel?: string;
  variant?: keyof typeof submitVariants;
  className?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <Button
      type="submit"
      variant={submitVariants[variant]}
      disabled={pending}
      aria-disabled={pending}
      className={className}
    >
      {pending && <LoaderCircle className="animate-spin" aria-hidden="true" />}
      {pending ? (pendingLabel ?? "Working…") : children}
    </Button>
  );
}

export function FormMessage({ state }: { state: ActionState }) {
  if (state.error) {
    return (
      <Alert role="alert" variant="destructive">
        {state.error}
      </Alert>
    );
  }
  if (state.message) {
    return (
      <Alert role="status" variant="success">
        {state.message}
      </Alert>
    );
  }
  return null;
}

/** Where a just-sent email is without RESEND_API_KEY: the dev outbox, linked. */
export function DevOutboxNote() {
  return (
    <p className="text-sm">
      Email is not configured, so it is in the{" "}
      <Link href="/dev/emails" className="font-medium underline">
        dev outbox
      </Link>
      .
    </p>
  );
}
