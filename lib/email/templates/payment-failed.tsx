import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type PaymentFailedProps = { name: string; amount: string; billingUrl: string };

export function PaymentFailed({ name, amount, billingUrl }: PaymentFailedProps) {
  return (
    <EmailLayout preview="Your payment did not go through" heading="Your payment did not go through">
      <Text>
        Hi {name}, we could not collect {amount} for your Pro plan. Stripe will try again over the next days; update
        your card to keep Pro without interruption.
      </Text>
      <Button href={billingUrl} style={buttonStyle}>
        Update payment method
      </Button>
    </EmailLayout>
  );
}
