import { Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";

export type ContactNotificationProps = { name: string; email: string; subject: string; message: string };

export function ContactNotification({ name, email, subject, message }: ContactNotificationProps) {
  return (
    <EmailLayout preview={`${name}: ${subject}`} heading="New message from the contact form">
      <Text>
        <strong>From:</strong> {name} &lt;{email}&gt;
        <br />
        <strong>Subject:</strong> {subject}
      </Text>
      <Section style={{ borderLeft: "3px solid #d6d3d1", paddingLeft: 12 }}>
        <Text style={{ whiteSpace: "pre-wrap" }}>{message}</Text>
      </Section>
      <Text style={{ fontSize: 13, color: "#57534e" }}>Reply to this email to answer {name}.</Text>
    </EmailLayout>
  );
}
