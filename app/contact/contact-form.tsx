"use client";

import { LoaderCircle } from "lucide-react";
import { useState } from "react";
import { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { CONTACT_MAX_BYTES, HONEYPOT_FIELD, contactInput, type ContactFieldErrors } from "@/lib/contact/schema";

type Status =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "sent" }
  | { kind: "invalid"; fieldErrors: ContactFieldErrors }
  | { kind: "rate-limited"; retryAfter: number }
  | { kind: "error"; message: string };

const fields = [
  { name: "name", label: "Your name", autoComplete: "name" },
  { name: "email", label: "Your email", type: "email", autoComplete: "email" },
  { name: "subject", label: "Subject" },
  { name: "message", label: "Message", multiline: true },
] as const;

/**
 * A client component because it talks to the public JSON API, like any outside
 * caller would: the same zod schema checks the fields here first and there again.
 */
export function ContactForm() {
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const checked = contactInput.safeParse(values);
    if (!checked.success) {
      setStatus({ kind: "invalid", fieldErrors: z.flattenError(checked.error).fieldErrors });
      return;
    }
    setStatus({ kind: "sending" });
    try {
      const response = await fetch("/api/contact", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...checked.data, [HONEYPOT_FIELD]: values[HONEYPOT_FIELD] ?? "" }),
      });
      if (response.ok) {
        // Only the message is cleared: the sender is the same for a second message. On every
        // error (400, 413, 429, 5xx) nothing is cleared, so nothing typed is lost.
        (form.elements.namedItem("message") as HTMLTextAreaElement).value = "";
        setStatus({ kind: "sent" });
      } else if (response.status === 429) {
        setStatus({ kind: "rate-limited", retryAfter: Number(response.headers.get("Retry-After")) || 10 });
      } else if (response.status === 400) {
        const body = await response.json();
        setStatus({ kind: "invalid", fieldErrors: body.error?.fieldErrors ?? {} });
      } else if (response.status === 413) {
        setStatus({ kind: "error", message: `Your message is too long (at most ${CONTACT_MAX_BYTES / 1024} KiB).` });
      } else {
        setStatus({ kind: "error", message: "We could not send your message. Please try again in a minute." });
      }
    } catch {
      setStatus({ kind: "error", message: "The network failed. Check your connection and try again." });
    }
  }

  const fieldErrors = status.kind === "invalid" ? status.fieldErrors : {};
  const sending = status.kind === "sending";

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={sending}>
      {status.kind === "sent" && (
        <Alert role="status" variant="success">
          Thank you! Your message is on its way; we will reply by email.
        </Alert>
      )}
      {status.kind === "rate-limited" && (
        <Alert role="alert" variant="warning">
          You have sent several messages in a short time. Please try again in {status.retryAfter} seconds.
        </Alert>
      )}
      {status.kind === "error" && (
        <Alert role="alert" variant="destructive">
          {status.message}
        </Alert>
      )}
      {fields.map((field) => {
        const errors = fieldErrors[field.name];
        const props = {
          id: field.name,
          name: field.name,
          "aria-invalid": errors?.length ? true : undefined,
          "aria-describedby": errors?.length ? `${field.name}-error` : undefined,
          className: "mt-1",
        };
        return (
          <div key={field.name}>
            <Label htmlFor={field.name}>{field.label}</Label>
            {"multiline" in field ? (
              <Textarea rows={6} {...props} />
            ) : (
              <Input
                type={"type" in field ? field.type : "text"}
                autoComplete={"autoComplete" in field ? field.autoComplete : undefined}
                {...props}
              />
            )}
            {errors?.length ? (
              <p id={`${field.name}-error`} className="mt-1 text-sm text-destructive">
                {errors.join(" ")}
              </p>
            ) : null}
          </div>
        );
      })}
      {/* The honeypot: hidden from people and screen readers, irresistible to bots. */}
      <div aria-hidden="true" className="absolute left-[-10000px] h-px w-px overflow-hidden">
        <label htmlFor={HONEYPOT_FIELD}>Leave this empty</label>
        <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
      </div>
      <Button type="submit" disabled={sending} aria-disabled={sending}>
        {sending && <LoaderCircle className="animate-spin" aria-hidden="true" />}
        {sending ? "Sending…" : "Send message"}
      </Button>
    </form>
  );
}
