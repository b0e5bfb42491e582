import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type VerifyEmailProps = { name: string; url: string };

/** Sent on sign-up: the link confirms the address and signs the new cook in. */
export function VerifyEmail({ name, url }: VerifyEmailProps) {
  return (
    <EmailLayout preview="Confirm your email to open your recipe box" heading={`Welcome, ${name}!`}>
      <Text>Confirm that this is your email address to finish creating your Recipe Box account.</Text>
      <Button href={url} style={buttonStyle}>
        Confirm and sign in
      </Button>
      <Text style={{ fontSize: 13, color: "#57534e" }}>
        The link works for an hour. If you did not sign up, you can ignore this email: no account is opened without it.
      </Text>
    </EmailLayout>
  );
}
