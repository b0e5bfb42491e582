import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type VerifyNewEmailProps = { name: string; url: string };

/** Step 2 of an email change, to the new address: the account moves to it once this link is opened. */
export function VerifyNewEmail({ name, url }: VerifyNewEmailProps) {
  return (
    <EmailLayout preview="Confirm your new email address for Recipe Box" heading={`Hi ${name},`}>
      <Text>Confirm that this is the address you want to use for your Recipe Box account from now on.</Text>
      <Button href={url} style={buttonStyle}>
        Confirm the new address
      </Button>
      <Text style={{ fontSize: 13, color: "#57534e" }}>
        The link works for an hour. Until then, you sign in with your old address.
      </Text>
    </EmailLayout>
  );
}
