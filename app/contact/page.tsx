import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { ContactForm } from "./contact-form";

export const metadata: Metadata = { title: "Contact" };

export default function ContactPage() {
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Contact us</h1>
        <p className="text-muted-foreground">Questions, ideas, a recipe that went wrong: we read everything.</p>
      </div>
      <Card>
        <ContactForm />
      </Card>
    </section>
  );
}
