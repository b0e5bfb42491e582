import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type ResetPasswordProps = { name: string; url: string };

/** Sent from /forgot-password, only to a registered address: the link opens /reset-password. */
export function ResetPassword({ name, url }: ResetPasswordProps) {
  return (
    <EmailLayout preview="Choose a new Recipe Box password" heading={`Hi ${name},`}>
      <Text>Someone, hopefully you, asked to reset the password of your Recipe Box account.</Text>
      <Button href={url} style={buttonStyle}>
        Choose a new password
      </Button>
      <Text style={{ fontSize: 13, color: "#57534e" }}>
        The link works once and for an hour. Choosing a new password signs every device out. If you did not ask for
        this, ignore this email: your password stays as it is.
      </Text>
    </EmailLayout>
  );
}
