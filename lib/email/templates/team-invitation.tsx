import { Button, Text } from "@react-email/components";
import { withArticle } from "@/lib/core/text";
import { EmailLayout, buttonStyle } from "./layout";

export type TeamInvitationProps = { inviterName: string; teamName: string; role: string; url: string };

/** Sent when a team's owner or admin invites an address: the link opens /invitations/<id>. */
export function TeamInvitation({ inviterName, teamName, role, url }: TeamInvitationProps) {
  return (
    <EmailLayout preview={`${inviterName} invited you to ${teamName} on Recipe Box`} heading="You're invited">
      <Text>
        {inviterName} invited you to join <strong>{teamName}</strong> on Recipe Box as {withArticle(role)}: you will
        share its recipes.
      </Text>
      <Button href={url} style={buttonStyle}>
        See the invitation
      </Button>
      <Text style={{ fontSize: 13, color: "#57534e" }}>
        The invitation is for this address and works for 48 hours. You can accept it once you are signed in with this
        address and have confirmed it. If you did not expect it, ignore this email.
      </Text>
    </EmailLayout>
  );
}
