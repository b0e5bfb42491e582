import { Card } from "@/components/ui/card";

/** The narrow column every sign-in page uses: its heading, an optional sentence, then the forms in a card. */
export function AuthCard({ title, intro, children }: { title: string; intro?: string; children: React.ReactNode }) {
  return (
    <section className="mx-auto max-w-sm space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">{title}</h1>
        {intro && <p className="text-sm text-muted-foreground">{intro}</p>}
      </div>
      <Card className="space-y-6">{children}</Card>
    </section>
  );
}
