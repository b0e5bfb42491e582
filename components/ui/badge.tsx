import { cva, type VariantProps } from "class-variance-authority";
import { cn } from "./cn";

/** A short status word (Draft, Published, Pro, a webhook's status). Phrasing content: it may sit inside a <p>. */
export const badgeVariants = cva(
  "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap align-middle",
  {
    variants: {
      variant: {
        neutral: "bg-muted text-stone-700",
        success: "bg-emerald-100 text-emerald-800",
        info: "bg-sky-100 text-sky-800",
        warning: "bg-amber-100 text-amber-900",
        danger: "bg-red-100 text-red-800",
      },
    },
    defaultVariants: { variant: "neutral" },
  },
);

export function Badge({
  className,
  variant,
  ...props
}: React.ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span data-slot="badge" className={cn(badgeVariants({ variant }), className)} {...props} />;
}
