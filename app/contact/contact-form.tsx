"use client";

import { useState } from "react";
import { z } from "zod";
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
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
          Thank you! Your message is on its way; we will reply by email.
        </p>
      )}
      {status.kind === "rate-limited" && (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          You have sent several messages in a short time. Please try again in {status.retryAfter} seconds.
        </p>
      )}
      {status.kind === "error" && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {status.message}
        </p>
      )}
      {fields.map((field) => {
        const errors = fieldErrors[field.name];
        const props = {
          id: field.name,
          name: field.name,
          "aria-invalid": errors?.length ? true : undefined,
          "aria-describedby": errors?.length ? `${field.name}-error` : undefined,
          className:
            "mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 shadow-sm focus:border-emerald-600 focus:outline-none focus:ring-2 focus:ring-emerald-600/30 aria-[invalid=true]:border-red-600",
        };
        return (
          <div key={field.name}>
            <label htmlFor={field.name} className="block text-sm font-medium text-stone-800">
              {field.label}
            </label>
            {"multiline" in field ? (
              <textarea rows={6} {...props} />
            ) : (
              <input
                type={"type" in field ? field.type : "text"}
                autoComplete={"autoComplete" in field ? field.autoComplete : undefined}
                {...props}
              />
            )}
            {errors?.map((error) => (
              <p key={error} id={`${field.name}-error`} className="mt-1 text-sm text-red-700">
                {error}
              </p>
            ))}
          </div>
        );
      })}
      {/* The honeypot: hidden from people and screen readers, irresistible to bots. */}
      <div aria-hidden="true" className="absolute left-[-10000px] h-px w-px overflow-hidden">
        <label htmlFor={HONEYPOT_FIELD}>Leave this empty</label>
        <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
      </div>
      <button
        type="submit"
        disabled={sending}
        className="rounded-md bg-emerald-700 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-emerald-800 disabled:cursor-wait disabled:opacity-60"
      >
        {sending ? "Sending…" : "Send message"}
      </button>
    </form>
  );
}
