import { render, toPlainText } from "@react-email/render";
import { AccountExists, type AccountExistsProps } from "./account-exists";
import { ContactNotification, type ContactNotificationProps } from "./contact-notification";
import { MagicLink, type MagicLinkProps } from "./magic-link";
import { PaymentFailed, type PaymentFailedProps } from "./payment-failed";
import { VerifyEmail, type VerifyEmailProps } from "./verify-email";
import { Welcome, type WelcomeProps } from "./welcome";

/** Every email the app sends: its subject and its React Email component, by template name. */
export const templates = {
  "contact-notification": {
    subject: (props: ContactNotificationProps) => `Contact form: ${props.subject}`,
    component: (props: ContactNotificationProps) => <ContactNotification {...props} />,
  },
  "magic-link": {
    subject: () => "Your Recipe Box sign-in link",
    component: (props: MagicLinkProps) => <MagicLink {...props} />,
  },
  "verify-email": {
    subject: () => "Confirm your email for Recipe Box",
    component: (props: VerifyEmailProps) => <VerifyEmail {...props} />,
  },
  "account-exists": {
    subject: () => "You already have a Recipe Box account",
    component: (props: AccountExistsProps) => <AccountExists {...props} />,
  },
  welcome: {
    subject: () => "Welcome to Recipe Box",
    component: (props: WelcomeProps) => <Welcome {...props} />,
  },
  "payment-failed": {
    subject: () => "Your Recipe Box payment did not go through",
    component: (props: PaymentFailedProps) => <PaymentFailed {...props} />,
  },
};

export type TemplateName = keyof typeof templates;
export type TemplateProps<N extends TemplateName> = Parameters<(typeof templates)[N]["component"]>[0];

export function isTemplateName(name: string): name is TemplateName {
  return name in templates;
}

/** The HTML and plain-text versions of one email. */
export async function renderEmail<N extends TemplateName>(template: N, props: TemplateProps<N>) {
  const element = (templates[template].component as (p: TemplateProps<N>) => React.ReactElement)(props);
  // One render: the text version is derived from the HTML rather than rendered a second time.
  const html = await render(element);
  return { html, text: toPlainText(html) };
}
