import { cva, type VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui/slot";
import { cn } from "./cn";

/**
 * Every button and button-looking link. Each size is at least 44 × 44 px, the touch target a phone needs
 * (the 390 px browser test fails on a smaller one). `asChild` styles its child instead, e.g. a `<Link>`.
 */
export const buttonVariants = cva(
  [
    "inline-flex min-h-11 min-w-11 shrink-0 cursor-pointer items-center justify-center gap-2 rounded-md text-sm",
    "font-medium whitespace-nowrap transition-colors disabled:pointer-events-none disabled:opacity-60",
    "aria-disabled:cursor-wait [&_svg]:size-4 [&_svg]:shrink-0",
  ],
  {
    variants: {
      variant: {
        default: "bg-primary text-primary-foreground shadow-sm hover:bg-primary-hover",
        secondary: "border border-input bg-secondary text-secondary-foreground shadow-sm hover:bg-secondary-hover",
        destructive: "bg-destructive text-destructive-foreground shadow-sm hover:bg-destructive-hover",
        "destructive-outline": "border border-red-300 bg-secondary text-red-700 shadow-sm hover:bg-red-50",
        ghost: "text-stone-700 hover:bg-muted hover:text-emerald-800",
        link: "text-link underline-offset-4 hover:underline",
      },
      size: {
        default: "px-4 py-2",
        icon: "size-11",
        wide: "w-full px-4 py-2",
      },
    },
    defaultVariants: { variant: "default", size: "default" },
  },
);

export type ButtonProps = React.ComponentProps<"button"> &
  VariantProps<typeof buttonVariants> & {
    /** Render the child element (a link) with the button's look instead of a <button>. */
    asChild?: boolean;
  };

export function Button({ className, variant, size, asChild = false, ...props }: ButtonProps) {
  const Component = asChild ? Slot : "button";
  return <Component data-slot="button" className={cn(buttonVariants({ variant, size }), className)} {...props} />;
}
