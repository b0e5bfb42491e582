import type { Metadata } from "next";
import { ContactForm } from "./contact-form";

export const metadata: Metadata = { title: "Contact" };

export default function ContactPage() {
  return (
    <section className="mx-auto max-w-xl">
      <h1 className="mb-2 text-2xl font-semibold">Contact us</h1>
      <p className="mb-6 text-stone-600">Questions, ideas, a recipe that went wrong: we read everything.</p>
      <ContactForm />
    </section>
  );
}
