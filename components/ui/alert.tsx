import { cva, type VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui/slot";
import { cn } from "./cn";

/**
 * A message in a coloured box: a form's outcome, a notice, a warning. The caller gives the role: `alert` for
 * what went wrong (announced at once), `status` for an outcome, none for a standing notice.
 */
export const alertVariants = cva("space-y-2 rounded-md border px-3 py-2 text-sm break-words", {
  variants: {
    variant: {
      info: "border-border bg-card text-stone-700",
      success: "border-emerald-200 bg-emerald-50 text-emerald-900",
      warning: "border-amber-300 bg-amber-50 text-amber-900",
      destructive: "border-red-200 bg-red-50 text-red-800",
    },
  },
  defaultVariants: { variant: "info" },
});

/** `asChild`: style the child instead (a <section> with its own heading, a <p>). */
export function Alert({
  className,
  variant,
  asChild = false,
  ...props
}: React.ComponentProps<"div"> & VariantProps<typeof alertVariants> & { asChild?: boolean }) {
  const Component = asChild ? Slot : "div";
  return <Component data-slot="alert" className={cn(alertVariants({ variant }), className)} {...props} />;
}

export function AlertTitle({ className, ...props }: React.ComponentProps<"h2">) {
  return <h2 data-slot="alert-title" className={cn("font-medium", className)} {...props} />;
}
