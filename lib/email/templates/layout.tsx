import { Body, Container, Head, Heading, Hr, Html, Preview, Text } from "@react-email/components";

/** The frame every email shares: preview line, heading, content, footer. */
export function EmailLayout({
  preview,
  heading,
  children,
}: {
  preview: string;
  heading: string;
  children: React.ReactNode;
}) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body
        style={{ backgroundColor: "#fafaf9", fontFamily: "ui-sans-serif, system-ui, sans-serif", color: "#1c1917" }}
      >
        <Container style={{ maxWidth: 560, margin: "0 auto", padding: "32px 24px", backgroundColor: "#ffffff" }}>
          <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
            {heading}
          </Heading>
          {children}
          <Hr style={{ borderColor: "#e7e5e4", margin: "32px 0 16px" }} />
          <Text style={{ fontSize: 12, color: "#78716c" }}>Recipe Box</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const buttonStyle = {
  backgroundColor: "#047857",
  color: "#ffffff",
  padding: "10px 16px",
  borderRadius: 6,
  textDecoration: "none",
  display: "inline-block",
} as const;
