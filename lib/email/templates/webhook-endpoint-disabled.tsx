import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type WebhookEndpointDisabledProps = {
  teamName: string;
  /** The endpoint's URL without its query string (which may hold a token). */
  endpoint: string;
  /** "failing": five days of failed deliveries; "gone": it answered 410 Gone. */
  reason: "failing" | "gone";
  /** The last failure, as the deliveries page shows it. */
  lastError: string;
  manageUrl: string;
};

/** To a team's owners and admins when the app turns one of their webhook endpoints off by itself. */
export function WebhookEndpointDisabled({
  teamName,
  endpoint,
  reason,
  lastError,
  manageUrl,
}: WebhookEndpointDisabledProps) {
  const why =
    reason === "gone"
      ? "it answered 410 Gone, which says it no longer wants webhooks"
      : "every delivery to it has failed for five days";
  return (
    <EmailLayout
      preview={`A webhook endpoint of ${teamName} was turned off`}
      heading="A webhook endpoint was turned off"
    >
      <Text>
        We stopped sending webhooks of <strong>{teamName}</strong> to {endpoint}: {why}.
      </Text>
      <Text style={{ fontSize: 13, color: "#57534e" }}>Last failure: {lastError}</Text>
      <Text>
        Once it works again, turn it back on; the messages it missed stay on its deliveries page, where you can replay
        them.
      </Text>
      <Button href={manageUrl} style={buttonStyle}>
        See its deliveries
      </Button>
    </EmailLayout>
  );
}
