import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle } from "./layout";

export type WelcomeProps = { name: string; dashboardUrl: string };

export function Welcome({ name, dashboardUrl }: WelcomeProps) {
  return (
    <EmailLayout preview="Your recipe box is ready" heading={`Welcome, ${name}!`}>
      <Text>Your recipe box is ready. Write your first recipe and publish it when you are happy with it.</Text>
      <Button href={dashboardUrl} style={buttonStyle}>
        Open your dashboard
      </Button>
    </EmailLayout>
  );
}
