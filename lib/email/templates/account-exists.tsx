import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type AccountExistsProps = { name: string; signInUrl: string };

/**
 * Sent instead of a second account when someone signs up with a registered
 * address: the sign-up page says the same either way, so only the address's
 * owner learns that the account exists.
 */
export function AccountExists({ name, signInUrl }: AccountExistsProps) {
  return (
    <EmailLayout preview="You already have a Recipe Box account" heading="You already have an account">
      <Text>
        Hi {name}, someone (hopefully you) tried to sign up for Recipe Box with this email address. You already have an
        account, so nothing was changed.
      </Text>
      <Button href={signInUrl} style={buttonStyle}>
        Sign in
      </Button>
      <Text style={{ fontSize: 13, color: "#57534e" }}>
        Forgot your password? On the sign-in page, ask for a sign-in link by email. If it was not you, you can ignore
        this email.
      </Text>
    </EmailLayout>
  );
}
