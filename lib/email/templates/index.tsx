import { plainTextSelectors, render } from "@react-email/render";
import { compile } from "html-to-text";
import { AccountDeleted, type AccountDeletedProps } from "./account-deleted";
import { AccountExists, type AccountExistsProps } from "./account-exists";
import { ContactNotification, type ContactNotificationProps } from "./contact-notification";
import { EmailChangeRequested, type EmailChangeRequestedProps } from "./email-change-requested";
import { FinishSignUp, type FinishSignUpProps } from "./finish-sign-up";
import { MagicLink, type MagicLinkProps } from "./magic-link";
import { PasswordChanged, type PasswordChangedProps } from "./password-changed";
import { PaymentFailed, type PaymentFailedProps } from "./payment-failed";
import { ResetPassword, type ResetPasswordProps } from "./reset-password";
import { TeamInvitation, type TeamInvitationProps } from "./team-invitation";
import { VerifyEmail, type VerifyEmailProps } from "./verify-email";
import { VerifyNewEmail, type VerifyNewEmailProps } from "./verify-new-email";
import { WebhookEndpointDisabled, type WebhookEndpointDisabledProps } from "./webhook-endpoint-disabled";
import { Welcome, type WelcomeProps } from "./welcome";

/** One template; `preview` must be valid props for its component. */
function defineTemplate<P>(template: {
  subject: (props: P) => string;
  component: (props: P) => React.ReactElement;
  preview: P;
}) {
  return template;
}

/**
 * Every email the app sends, by template name: its subject, its React Email
 * component, and sample props that /dev/emails renders as a preview.
 */
export const templates = {
  "team-invitation": defineTemplate({
    subject: (props: TeamInvitationProps) => `${props.inviterName} invited you to ${props.teamName} on Recipe Box`,
    component: (props: TeamInvitationProps) => <TeamInvitation {...props} />,
    preview: {
      inviterName: "Ada Cook",
      teamName: "Ada's Kitchen",
      role: "member",
      url: "http://localhost:3000/invitations/preview",
    },
  }),
  "contact-notification": defineTemplate({
    subject: (props: ContactNotificationProps) => `Contact form: ${props.subject}`,
    component: (props: ContactNotificationProps) => <ContactNotification {...props} />,
    preview: { name: "Ada Cook", email: "ada@example.com", subject: "Hello", message: "I love the soup recipe." },
  }),
  "magic-link": defineTemplate({
    subject: () => "Your Recipe Box sign-in link",
    component: (props: MagicLinkProps) => <MagicLink {...props} />,
    preview: { url: "http://localhost:3000/api/auth/magic-link/verify?token=preview" },
  }),
  "verify-email": defineTemplate({
    subject: () => "Confirm your email for Recipe Box",
    component: (props: VerifyEmailProps) => <VerifyEmail {...props} />,
    preview: { name: "Ada", url: "http://localhost:3000/api/auth/verify-email?token=preview" },
  }),
  "reset-password": defineTemplate({
    subject: () => "Reset your Recipe Box password",
    component: (props: ResetPasswordProps) => <ResetPassword {...props} />,
    preview: {
      name: "Ada",
      url: "http://localhost:3000/api/auth/reset-password/preview?callbackURL=%2Freset-password",
    },
  }),
  "finish-sign-up": defineTemplate({
    subject: () => "Finish signing up for Recipe Box",
    component: (props: FinishSignUpProps) => <FinishSignUp {...props} />,
    preview: {
      name: "Ada",
      url: "http://localhost:3000/api/auth/reset-password/preview?callbackURL=%2Freset-password%3Fpurpose%3Dfinish-sign-up",
    },
  }),
  "account-exists": defineTemplate({
    subject: () => "You already have a Recipe Box account",
    component: (props: AccountExistsProps) => <AccountExists {...props} />,
    preview: { name: "Ada", signInUrl: "http://localhost:3000/sign-in" },
  }),
  welcome: defineTemplate({
    subject: () => "Welcome to Recipe Box",
    component: (props: WelcomeProps) => <Welcome {...props} />,
    preview: { name: "Ada", dashboardUrl: "http://localhost:3000/dashboard" },
  }),
  "webhook-endpoint-disabled": defineTemplate({
    subject: (props: WebhookEndpointDisabledProps) => `A webhook endpoint of ${props.teamName} was turned off`,
    component: (props: WebhookEndpointDisabledProps) => <WebhookEndpointDisabled {...props} />,
    preview: {
      teamName: "Ada's Kitchen",
      endpoint: "https://hooks.example.com/recipe-box",
      reason: "failing",
      lastError: "HTTP 503",
      manageUrl: "http://localhost:3000/t/adas-kitchen-k3x9qa/webhooks",
    },
  }),
  "payment-failed": defineTemplate({
    subject: () => "Your Recipe Box payment did not go through",
    component: (props: PaymentFailedProps) => <PaymentFailed {...props} />,
    preview: { name: "Ada", amount: "$9.00", billingUrl: "http://localhost:3000/pricing" },
  }),
  // The account page (/account): email change (approved by the old address, confirmed by the new), password, deletion.
  "email-change-requested": defineTemplate({
    subject: () => "Approve your new email address for Recipe Box",
    component: (props: EmailChangeRequestedProps) => <EmailChangeRequested {...props} />,
    preview: {
      name: "Ada",
      newEmail: "ada.new@example.com",
      url: "http://localhost:3000/api/auth/verify-email?token=preview",
    },
  }),
  "verify-new-email": defineTemplate({
    subject: () => "Confirm your new email address for Recipe Box",
    component: (props: VerifyNewEmailProps) => <VerifyNewEmail {...props} />,
    preview: { name: "Ada", url: "http://localhost:3000/api/auth/verify-email?token=preview" },
  }),
  "password-changed": defineTemplate({
    subject: () => "Your Recipe Box password was changed",
    component: (props: PasswordChangedProps) => <PasswordChanged {...props} />,
    preview: { name: "Ada", accountUrl: "http://localhost:3000/account" },
  }),
  "account-deleted": defineTemplate({
    subject: () => "Your Recipe Box account is deleted",
    component: (props: AccountDeletedProps) => <AccountDeleted {...props} />,
    preview: { name: "Ada", subscriptionCanceled: true },
  }),
};

export type TemplateName = keyof typeof templates;
export type TemplateProps<N extends TemplateName> = Parameters<(typeof templates)[N]["component"]>[0];

/** Each template rendered with its sample props, for the previews at /dev/emails. */
export function renderPreviews() {
  return Promise.all(
    (Object.keys(templates) as TemplateName[]).map(async (name) => {
      const preview = templates[name].preview as TemplateProps<typeof name>;
      const subject = (templates[name].subject as (props: TemplateProps<typeof name>) => string)(preview);
      return { name, subject, ...(await renderEmail(name, preview)) };
    }),
  );
}

export function isTemplateName(name: string): name is TemplateName {
  return name in templates;
}

/**
 * HTML to plain text as React Email's `toPlainText` does it (the same
 * html-to-text options and selectors), compiled once: `toPlainText` compiles
 * them on every call, about 0.5 ms an email, more than React's render of it;
 * compiled, the conversion takes about 0.2 ms (the contact notification).
 */
const toPlainText = compile({ wordwrap: false, selectors: plainTextSelectors });

/** The HTML and plain-text versions of one email. */
export async function renderEmail<N extends TemplateName>(template: N, props: TemplateProps<N>) {
  const element = (templates[template].component as (p: TemplateProps<N>) => React.ReactElement)(props);
  // One render: the text version is derived from the HTML rather than rendered a second time.
  const html = await render(element);
  return { html, text: toPlainText(html) };
}
