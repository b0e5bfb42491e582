"use client";

import { useActionState } from "react";
import { ConfirmSubmitButton } from "@/app/_components/confirm-submit";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { SecretReveal } from "@/app/_components/secret-reveal";
import { initialActionState, type ActionState } from "@/lib/actions/state";
import { webhookEventCatalog, webhookEventTypes } from "@/lib/webhooks-out/catalog";
import { TeamField } from "../team-context";
import {
  createEndpointAction,
  deleteEndpointAction,
  openSvixPortalAction,
  replayAction,
  rotateSecretAction,
  sendTestAction,
  toggleEndpointAction,
  updateEndpointAction,
} from "./actions";

/** The signing secret, right after it was made: the only time it is shown. */
function Reveal({ state }: { state: ActionState }) {
  return state.reveal ? <SecretReveal label={state.reveal.label} value={state.reveal.value} /> : null;
}

type EndpointValues = { id: string; url: string; description: string; eventTypes: string[] | null };

/** Adds an endpoint, or (with `endpoint`) edits one: URL, description, and every event or the chosen ones. */
export function EndpointForm({ endpoint }: { endpoint?: EndpointValues }) {
  const [state, action] = useActionState(endpoint ? updateEndpointAction : createEndpointAction, initialActionState);
  const checked = (name: string, fallback: boolean) => (state.values ? state.values[name] === "on" : fallback);
  const all = endpoint ? endpoint.eventTypes === null : true;
  return (
    <form action={action} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4" noValidate>
      <h2 className="text-lg font-semibold">{endpoint ? "Edit the endpoint" : "Add an endpoint"}</h2>
      <TeamField />
      {endpoint && <input type="hidden" name="endpointId" value={endpoint.id} />}
      <FormMessage state={state} />
      <Reveal state={state} />
      <Field
        label="URL"
        name="url"
        type="url"
        state={state}
        defaultValue={endpoint?.url}
        hint="Where the app POSTs each event (http or https)."
        autoComplete="off"
        required
      />
      <Field label="Description" name="description" state={state} defaultValue={endpoint?.description} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-stone-800">Events</legend>
        <label className="flex min-h-11 items-center gap-2 text-sm">
          <input type="checkbox" name="allEvents" defaultChecked={checked("allEvents", all)} />
          Every event (new types included)
        </label>
        <div className="grid gap-x-4 sm:grid-cols-2">
          {webhookEventTypes.map((type) => (
            <label
              key={type}
              className="flex min-h-11 items-center gap-2 text-sm"
              title={webhookEventCatalog[type].description}
            >
              <input
                type="checkbox"
                name={`event:${type}`}
                defaultChecked={checked(`event:${type}`, endpoint?.eventTypes?.includes(type) ?? false)}
              />
              <code>{type}</code>
            </label>
          ))}
        </div>
        {state.fieldErrors?.eventTypes?.map((error) => (
          <p key={error} className="text-sm text-red-700">
            {error}
          </p>
        ))}
      </fieldset>
      <SubmitButton pendingLabel="Saving…">{endpoint ? "Save" : "Add endpoint"}</SubmitButton>
    </form>
  );
}

/** Turn on or off, rotate the secret, send a test event, delete. */
export function EndpointControls({ endpointId, enabled, url }: { endpointId: string; enabled: boolean; url: string }) {
  const [toggleState, toggle] = useActionState(toggleEndpointAction, initialActionState);
  const [rotateState, rotate] = useActionState(rotateSecretAction, initialActionState);
  const [testState, test] = useActionState(sendTestAction, initialActionState);
  const [deleteState, remove] = useActionState(deleteEndpointAction, initialActionState);
  return (
    <div className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
      <div className="flex flex-wrap items-end gap-3">
        <form action={test} className="flex flex-wrap items-end gap-2">
          <TeamField />
          <input type="hidden" name="endpointId" value={endpointId} />
          <div>
            <label htmlFor="test-type" className="block text-sm font-medium text-stone-800">
              Test event
            </label>
            <select
              id="test-type"
              name="type"
              className="mt-1 min-h-11 rounded-md border border-stone-300 bg-white px-2 text-sm"
            >
              <option value="">webhook.test</option>
              {webhookEventTypes.map((type) => (
                <option key={type} value={type}>
                  {type} (sample)
                </option>
              ))}
            </select>
          </div>
          <SubmitButton variant="secondary" pendingLabel="Sending…">
            Send test event
          </SubmitButton>
        </form>
        <form action={toggle}>
          <TeamField />
          <input type="hidden" name="endpointId" value={endpointId} />
          <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
          <SubmitButton variant="secondary" pendingLabel="Saving…">
            {enabled ? "Turn off" : "Turn on"}
          </SubmitButton>
        </form>
        <form action={rotate}>
          <TeamField />
          <input type="hidden" name="endpointId" value={endpointId} />
          <ConfirmSubmitButton
            variant="secondary"
            question="Make a new signing secret?"
            detail="Deliveries carry signatures from both secrets for 24 hours, so the receiver can switch over."
            confirmLabel="Rotate"
            pendingLabel="Rotating…"
          >
            Rotate secret
          </ConfirmSubmitButton>
        </form>
        <form action={remove}>
          <TeamField />
          <input type="hidden" name="endpointId" value={endpointId} />
          <ConfirmSubmitButton
            question={`Delete the endpoint ${url}?`}
            detail="Its delivery history goes with it. This cannot be undone."
            confirmLabel="Delete"
            pendingLabel="Deleting…"
          >
            Delete
          </ConfirmSubmitButton>
        </form>
      </div>
      {[testState, toggleState, deleteState].map((state, i) => (
        <FormMessage key={i} state={state} />
      ))}
      <FormMessage state={rotateState} />
      <Reveal state={rotateState} />
    </div>
  );
}

export function ReplayButton({ endpointId, messageId }: { endpointId: string; messageId: string }) {
  const [state, action] = useActionState(replayAction, initialActionState);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <TeamField />
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="messageId" value={messageId} />
      <SubmitButton variant="secondary" pendingLabel="Queueing…">
        <span className="sr-only">Replay {messageId}</span>
        <span aria-hidden="true">Replay</span>
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function SvixPortalButton() {
  const [state, action] = useActionState(openSvixPortalAction, initialActionState);
  return (
    <form action={action} className="space-y-2">
      <TeamField />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Opening…">Open the webhook portal</SubmitButton>
    </form>
  );
}
