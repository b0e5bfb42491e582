import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type MagicLinkProps = { url: string };

export function MagicLink({ url }: MagicLinkProps) {
  return (
    <EmailLayout preview="Your sign-in link" heading="Sign in to Recipe Box">
      <Text>Click the button to sign in. The link works once and expires in 5 minutes.</Text>
      <Button href={url} style={buttonStyle}>
        Sign in
      </Button>
      <Text style={{ fontSize: 13, color: "#57534e" }}>If you did not ask for this, you can ignore this email.</Text>
    </EmailLayout>
  );
}
