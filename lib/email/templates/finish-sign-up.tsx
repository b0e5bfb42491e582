import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type FinishSignUpProps = { name: string; url: string };

/**
 * Sent when someone signs up again with an address whose account was never confirmed. The password of that first
 * sign-up may not be the owner's, so the owner chooses one: that confirms the address and signs out everyone else.
 */
export function FinishSignUp({ name, url }: FinishSignUpProps) {
  return (
    <EmailLayout preview="Choose your password to finish signing up" heading={`Hi ${name},`}>
      <Text>
        Someone, hopefully you, signed up for Recipe Box with this address, which already has an account that was never
        confirmed. Choose its password to confirm the address and finish signing up.
      </Text>
      <Button href={url} style={buttonStyle}>
        Choose your password
      </Button>
      <Text style={{ fontSize: 13, color: "#57534e" }}>
        The link works once and for an hour, and signs out any device signed in to that account. If you did not sign up,
        you can ignore this email.
      </Text>
    </EmailLayout>
  );
}
