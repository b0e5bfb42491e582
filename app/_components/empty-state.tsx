import { cn } from "@/components/ui/cn";

/** What a list shows while it has nothing in it: a dashed box with a sentence (and maybe a link). */
export function EmptyState({ className, children }: { className?: string; children: React.ReactNode }) {
  return (
    <p
      className={cn(
        "rounded-lg border border-dashed border-input bg-card p-6 text-center text-muted-foreground sm:p-8",
        className,
      )}
    >
      {children}
    </p>
  );
}
