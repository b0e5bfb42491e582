import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type PasswordChangedProps = { name: string; accountUrl: string };

/** A security notice after a password change: the owner learns of a change they did not make. */
export function PasswordChanged({ name, accountUrl }: PasswordChangedProps) {
  return (
    <EmailLayout preview="Your Recipe Box password was changed" heading={`Hi ${name},`}>
      <Text>
        The password of your Recipe Box account was just changed, and every other device was signed out. If that was
        you, there is nothing to do.
      </Text>
      <Text>If it was not you, reset your password now and check the sessions on your account page.</Text>
      <Button href={accountUrl} style={buttonStyle}>
        Open your account
      </Button>
    </EmailLayout>
  );
}
