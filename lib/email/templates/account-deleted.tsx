import { Text } from "@react-email/components";
import { EmailLayout } from "./layout";

export type AccountDeletedProps = { name: string; subscriptionCanceled: boolean };

/** The goodbye email, sent once the account and its data are gone. */
export function AccountDeleted({ name, subscriptionCanceled }: AccountDeletedProps) {
  return (
    <EmailLayout preview="Your Recipe Box account is deleted" heading={`Goodbye, ${name}`}>
      <Text>
        Your Recipe Box account is deleted, with your recipes, photos, sessions and AI drafts. You are signed out
        everywhere.
      </Text>
      {subscriptionCanceled && <Text>Your Pro subscription is canceled as of now: you will not be charged again.</Text>}
      <Text style={{ fontSize: 13, color: "#57534e" }}>
        We keep only the payment records the law requires, without your name or email address. Thank you for cooking
        with us; you are welcome back any time.
      </Text>
    </EmailLayout>
  );
}
