import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type EmailChangeRequestedProps = { name: string; newEmail: string; url: string };

/** Step 1 of an email change, to the current address: nothing changes unless its owner approves. */
export function EmailChangeRequested({ name, newEmail, url }: EmailChangeRequestedProps) {
  return (
    <EmailLayout preview="Approve the new email address for your Recipe Box account" heading={`Hi ${name},`}>
      <Text>
        Someone signed in to your Recipe Box account asked to change its email address to <strong>{newEmail}</strong>.
        If that was you, approve it: we then send a link to the new address to confirm it.
      </Text>
      <Button href={url} style={buttonStyle}>
        Approve the change
      </Button>
      <Text style={{ fontSize: 13, color: "#57534e" }}>
        The link works for an hour. If this was not you, ignore this email, and change your password on your account
        page: your address stays as it is.
      </Text>
    </EmailLayout>
  );
}
