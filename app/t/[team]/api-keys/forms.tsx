"use client";

import { useActionState } from "react";
import { ConfirmSubmitButton } from "@/app/_components/confirm-submit";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { SecretReveal } from "@/app/_components/secret-reveal";
import { initialActionState } from "@/lib/actions/state";
import { apiScopeDescriptions, apiScopes } from "@/lib/api/scopes";
import { scopeField } from "@/lib/api/schema";
import { TeamField } from "../team-context";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export function CreateApiKeyForm({ apiUrl }: { apiUrl: string }) {
  const [state, action] = useActionState(createApiKeyAction, initialActionState);
  const scopeErrors = state.fieldErrors?.scopes;
  const checked = (scope: string) =>
    state.values
      ? state.values[scopeField(scope as (typeof apiScopes)[number])] === "on"
      : scope.startsWith("recipes:");
  return (
    <div className="space-y-4">
      {state.reveal && (
        <SecretReveal label={state.reveal.label} value={state.reveal.value}>
          <p className="text-xs text-amber-900">
            Try it:{" "}
            <code className="break-all">
              curl -H &quot;Authorization: Bearer {state.reveal.value.slice(0, 9)}…&quot; {apiUrl}/recipes
            </code>
          </p>
        </SecretReveal>
      )}
      <form action={action} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4" noValidate>
        <h2 className="text-lg font-semibold">Create a key</h2>
        <TeamField />
        <FormMessage state={state} />
        <Field label="Name" name="name" state={state} hint="What uses the key, to tell keys apart." required />
        <fieldset aria-describedby={scopeErrors ? "scopes-error" : undefined}>
          <legend className="text-sm font-medium text-stone-800">Scopes</legend>
          {apiScopes.map((scope) => (
            <label key={scope} className="mt-1 flex min-h-11 items-center gap-2 text-sm">
              <input type="checkbox" name={scopeField(scope)} defaultChecked={checked(scope)} />
              <code>{scope}</code>
              <span className="text-stone-600">{apiScopeDescriptions[scope]}</span>
            </label>
          ))}
          {scopeErrors?.map((error) => (
            <p key={error} id="scopes-error" className="mt-1 text-sm text-red-700">
              {error}
            </p>
          ))}
        </fieldset>
        <div>
          <label htmlFor="key-expires" className="block text-sm font-medium text-stone-800">
            Expires
          </label>
          <select
            id="key-expires"
            name="expires"
            defaultValue={state.values?.expires ?? "90"}
            className="mt-1 block min-h-11 w-full rounded-md border border-stone-300 bg-white px-3"
          >
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="365">In a year</option>
            <option value="never">Never</option>
          </select>
        </div>
        <SubmitButton pendingLabel="Creating…">Create key</SubmitButton>
      </form>
    </div>
  );
}

export function RevokeApiKeyButton({ keyId, name }: { keyId: string; name: string }) {
  const [state, action] = useActionState(revokeApiKeyAction, initialActionState);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <TeamField />
      <input type="hidden" name="keyId" value={keyId} />
      <ConfirmSubmitButton
        question={`Revoke “${name}”?`}
        detail="Software using this key stops working at once. This cannot be undone."
        confirmLabel="Revoke"
        pendingLabel="Revoking…"
      >
        Revoke <span className="sr-only">{name}</span>
      </ConfirmSubmitButton>
      {state.error && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
    </form>
  );
}
