"use client";

import Link from "next/link";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/actions-state";

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
}: FieldProps) {
  const errors = state.fieldErrors?.[name];
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
    className:
      "mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-stone-900 shadow-sm focus:border-emerald-600 focus:outline-none focus:ring-2 focus:ring-emerald-600/30 aria-[invalid=true]:border-red-600",
  };
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      {multiline ? <textarea rows={rows} {...common} /> : <input type={type} autoComplete={autoComplete} {...common} />}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-stone-500">
          {hint}
        </p>
      )}
      {errors?.map((error) => (
        <p key={error} id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ))}
    </div>
  );
}

/** Disabled while its form's action runs, so a double click never submits twice. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
}: {
  children: React.ReactNode;
  pendingLabel?: string;
  variant?: "primary" | "secondary" | "danger";
}) {
  const { pending } = useFormStatus();
  const styles = {
    primary: "bg-emerald-700 text-white hover:bg-emerald-800",
    secondary: "border border-stone-300 bg-white text-stone-800 hover:bg-stone-50",
    danger: "border border-red-300 bg-white text-red-700 hover:bg-red-50",
  }[variant];
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={`rounded-md px-3 py-2 text-sm font-medium shadow-sm disabled:cursor-wait disabled:opacity-60 ${styles}`}
    >
      {pending ? (pendingLabel ?? "Working…") : children}
    </button>
  );
}

export function FormMessage({ state }: { state: ActionState }) {
  if (state.error) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
        {state.error}
      </p>
    );
  }
  if (state.message) {
    return (
      <p
        role="status"
        className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
      >
        {state.message}
      </p>
    );
  }
  return null;
}

/** Where a just-sent email is without RESEND_API_KEY: the dev outbox, linked. `className` sets the text colour. */
export function DevOutboxNote({ className = "text-stone-700" }: { className?: string }) {
  return (
    <p className={`text-sm ${className}`}>
      Email is not configured, so it is in the{" "}
      <Link href="/dev/emails" className="font-medium underline">
        dev outbox
      </Link>
      .
    </p>
  );
}
